// params: $query, $kinds, $category, $day, $skip, $limit
// Structures having, for each word, a word starting with it (Lucene prefix queries on `_search`),
// filtered, valid at $day when given (docs/graph-schema.md, Time), ordered by name then id.
CALL db.index.fulltext.queryNodes('structure_words', $query) YIELD node AS n
WHERE ($kinds IS NULL OR any(l IN labels(n) WHERE l IN $kinds))
  AND ($category IS NULL OR n.category = $category)
  AND ($day IS NULL OR (
    (n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
    AND (any(i IN range(0, size(n.observedFrom) - 1)
             WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
         OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))))
WITH n ORDER BY n.name, n.id
WITH collect(n) AS hits
RETURN size(hits) AS total,
       [x IN hits[$skip..$skip + $limit] | {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(x) WHERE l <> 'Item'][0]}] AS page
