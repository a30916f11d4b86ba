// params: $day
// A relationship is valid at $day when it and both its ends are (docs/graph-schema.md, Time).
MATCH (a:Item)-[r]->(b:Item)
WHERE size(labels(a)) > 1 AND size(labels(b)) > 1
  AND all(x IN [a, r, b] WHERE
    (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0])))
RETURN type(r) AS type, count(*) AS count
