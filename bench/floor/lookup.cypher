// params: $finess, $day
// The floor of `structure(finess, asOf) { id finess name kind }`: one structure by its number, valid
// at $day when given (the rule of docs/graph-schema.md, Time).
MATCH (x:Item {id: $finess})
WHERE (x:LegalEntity OR x:Establishment OR x:OrganicGrouping OR x:ConventionalGrouping)
  AND ($day IS NULL OR ((x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
RETURN x.id AS id, x.finess AS finess, x.name AS name, [l IN labels(x) WHERE l <> 'Item'][0] AS label
