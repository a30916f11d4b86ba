// params: $day
// A relationship is valid at $day when it and both its ends are (docs/graph-schema.md, Time).
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
  MATCH (a:Item)-[r]->(b:Item)
  WHERE size(labels(a)) > 1 AND size(labels(b)) > 1
    AND all(x IN [a, r, b] WHERE
      (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
      AND (any(i IN range(0, size(x.observedFrom) - 1)
               WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
           OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0])))
  WITH type(r) AS type, count(*) AS count
  RETURN {type: type, count: count} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  MATCH (a:Item)-[r]->(b:Item)
  WHERE NOT coalesce(a._load IN pending, false) AND NOT coalesce(r._load IN pending, false) AND NOT coalesce(b._load IN pending, false)
  OPTIONAL CALL (a, applying) {
    WITH a WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: a.id}) WHERE s._stageLoad IN applying
    RETURN s AS a_s LIMIT 1
  }
  OPTIONAL CALL (b, applying) {
    WITH b WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: b.id}) WHERE s._stageLoad IN applying
    RETURN s AS b_s LIMIT 1
  }
  OPTIONAL CALL (r, applying) {
    WITH r WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: elementId(r)}) WHERE s._stageLoad IN applying
    RETURN s AS r_s LIMIT 1
  }
  WITH type(r) AS type, [CASE WHEN a_s IS NULL THEN a ELSE a_s END, CASE WHEN r_s IS NULL THEN r ELSE r_s END, CASE WHEN b_s IS NULL THEN b ELSE b_s END] AS items,
       size(CASE WHEN a_s IS NULL THEN labels(a)
         ELSE [l IN labels(a) WHERE NOT l IN a_s._stageLabels] + a_s._stageLabels END) > 1 AND size(CASE WHEN b_s IS NULL THEN labels(b)
         ELSE [l IN labels(b) WHERE NOT l IN b_s._stageLabels] + b_s._stageLabels END) > 1 AS labelled
  WHERE labelled AND all(x IN items WHERE
    (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0])))
  WITH type, count(*) AS count
  RETURN {type: type, count: count} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
