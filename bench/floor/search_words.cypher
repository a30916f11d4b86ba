// params: $query, $kinds, $day, $limit
// The floor of `search(text, kinds, asOf, first)` by words or number prefix: the full-text index
// (Lucene prefixes `+w1* +w2*`), one kind, valid at $day when given, by name then id; the total and a page.
CALL db.index.fulltext.queryNodes('structure_words', $query) YIELD node AS x
WHERE any(l IN labels(x) WHERE l IN $kinds)
  AND ($day IS NULL OR ((x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
WITH x ORDER BY x.name, x.id
WITH collect(x {.id, .finess, .name}) AS hits
RETURN size(hits) AS total, hits[0..$limit] AS page
