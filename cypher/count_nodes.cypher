// params: (none)
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` (`pending`) and is left out; an item whose committed
// update still waits on a LoadStage node (`applying`) is read from it. `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
// With no load pending or applying (nearly always), the first branch reads as if there were no journal.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id }
       + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending,
     COLLECT { MATCH (a:LoadApply) WHERE a.done IS NULL RETURN a.load } AS applying
WITH before, pending, applying, pending = [] AND applying = [] AS plain
WITH before, COLLECT {
  WITH plain WHERE plain
  MATCH (n:Item)
  UNWIND [l IN labels(n) WHERE l <> 'Item'] AS label
  WITH label, count(*) AS count
  RETURN {label: label, count: count} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  MATCH (n:Item)
  WHERE NOT coalesce(n._load IN pending, false)
  OPTIONAL CALL (n, applying) {
    WITH n WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: n.id}) WHERE s._stageLoad IN applying
    RETURN s AS n_s LIMIT 1
  }
  UNWIND [l IN CASE WHEN n_s IS NULL THEN labels(n)
         ELSE [l IN labels(n) WHERE NOT l IN n_s._stageLabels] + n_s._stageLabels END WHERE l <> 'Item'] AS label
  WITH label, count(*) AS count
  RETURN {label: label, count: count} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
