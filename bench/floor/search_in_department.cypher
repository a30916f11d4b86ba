// params: $words, $department, $kinds, $day, $limit
// The floor of `search(text, kinds, department, asOf, first)`: from the department's communes, the
// structures located there whose words start with each of $words; by name then id.
MATCH (:Department {id: 'dep:' + $department})<-[:PART_OF]-(:Commune)<-[:LOCATED_IN]-(x)
WHERE any(l IN labels(x) WHERE l IN $kinds)
  AND all(w IN $words WHERE (' ' + x._search) CONTAINS (' ' + w))
  AND ($day IS NULL OR ((x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
WITH DISTINCT x ORDER BY x.name, x.id
WITH collect(x {.id, .finess, .name}) AS hits
RETURN size(hits) AS total, hits[0..$limit] AS page
