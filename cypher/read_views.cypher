// params: $ids
// Nodes for the queries, by id (not the unlabelled far ends of relationships).
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
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
  UNWIND $ids AS id
  MATCH (n:Item {id: id})
  WHERE size(labels(n)) > 1
  RETURN {id: n.id, props: n {.*, validFrom: toString(n.validFrom), validTo: toString(n.validTo),
         observedFrom: [d IN n.observedFrom | toString(d)], observedTo: [d IN n.observedTo | toString(d)],
         _search: null, _hash: null},
         label: [l IN labels(n) WHERE l <> 'Item'][0]} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  UNWIND $ids AS id
  MATCH (n:Item {id: id})
  WHERE NOT coalesce(n._load IN pending, false)
  OPTIONAL CALL (n, applying) {
    WITH n WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: n.id}) WHERE s._stageLoad IN applying
    RETURN s AS n_s LIMIT 1
  }
  WITH CASE WHEN n_s IS NULL THEN n ELSE n_s END AS x, CASE WHEN n_s IS NULL THEN labels(n)
         ELSE [l IN labels(n) WHERE NOT l IN n_s._stageLabels] + n_s._stageLabels END AS labels
  WHERE size(labels) > 1
  RETURN {id: x.id, props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null},
         label: [l IN labels WHERE l <> 'Item'][0]} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
