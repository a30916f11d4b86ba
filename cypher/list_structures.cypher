// params: $kinds, $category, $day, $skip, $limit
// Every structure (a search without words or place), filtered, valid at $day when given
// (docs/graph-schema.md, Time), ordered by name then id.
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
  MATCH (n:LegalEntity|Establishment|OrganicGrouping|ConventionalGrouping)
  WHERE ($kinds IS NULL OR any(l IN labels(n) WHERE l IN $kinds))
    AND ($category IS NULL OR n.category = $category)
    AND ($day IS NULL OR ((n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
    AND (any(i IN range(0, size(n.observedFrom) - 1)
             WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
         OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))))
  WITH n ORDER BY n.name, n.id
  WITH collect(n) AS hits
  WITH size(hits) AS total, hits[$skip..$skip + $limit] AS page
  RETURN {total: total, page: [x IN page | {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(x) WHERE l <> 'Item'][0]}]} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  CALL (applying) {
    MATCH (n:LegalEntity|Establishment|OrganicGrouping|ConventionalGrouping)
    RETURN n
    UNION
    WITH applying WHERE applying <> []
    MATCH (s:LoadStage)
    WHERE s._stageLoad IN applying AND s._stageKind = 'node'
      AND any(l IN s._stageLabels WHERE l IN ['LegalEntity', 'Establishment', 'OrganicGrouping', 'ConventionalGrouping'])
    MATCH (n:Item {id: s._stageTarget})
    RETURN n
  }
  WITH n WHERE NOT coalesce(n._load IN pending, false)
  OPTIONAL CALL (n, applying) {
    WITH n WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: n.id}) WHERE s._stageLoad IN applying
    RETURN s AS n_s LIMIT 1
  }
  WITH CASE WHEN n_s IS NULL THEN n ELSE n_s END AS x, CASE WHEN n_s IS NULL THEN labels(n)
         ELSE [l IN labels(n) WHERE NOT l IN n_s._stageLabels] + n_s._stageLabels END AS labels
  WHERE any(l IN labels WHERE l IN ['LegalEntity', 'Establishment', 'OrganicGrouping', 'ConventionalGrouping'])
    AND ($kinds IS NULL OR any(l IN labels WHERE l IN $kinds))
    AND ($category IS NULL OR x.category = $category)
    AND ($day IS NULL OR ((x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
  WITH x, labels ORDER BY x.name, x.id
  WITH collect({x: x, labels: labels}) AS hits
  WITH size(hits) AS total, hits[$skip..$skip + $limit] AS page
  RETURN {total: total, page: COLLECT {
    UNWIND range(0, size(page) - 1) AS i
    WITH i, page[i].x AS x, page[i].labels AS labels ORDER BY i
    RETURN {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels WHERE l <> 'Item'][0]}
  }} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
