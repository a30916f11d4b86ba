// params: $query, $kinds, $category, $day, $skip, $limit
// Structures having, for each word, a word starting with it (Lucene prefix queries on `_search`),
// filtered, valid at $day when given (docs/graph-schema.md, Time), ordered by name then id.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  CALL db.index.fulltext.queryNodes('structure_words', $query) YIELD node AS n
  WHERE NOT coalesce(n._load IN pending, false)
  AND ($kinds IS NULL OR any(l IN labels(n) WHERE l IN $kinds))
  AND ($category IS NULL OR n.category = $category)
  AND ($day IS NULL OR ((n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
    AND (any(i IN range(0, size(n.observedFrom) - 1)
             WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
         OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))))
  WITH n ORDER BY n.name, n.id
  WITH collect(n) AS hits
  RETURN {total: size(hits),
         page: [x IN hits[$skip..$skip + $limit] | {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(x) WHERE l <> 'Item'][0]}]}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
