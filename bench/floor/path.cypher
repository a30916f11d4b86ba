// params: $source, $target, $day
// The floor of `path(from, to, asOf) { paths }`: the shortest paths of at most 6 hops through the
// relationship types whose both ends may be crossed (the others end at a leaf or a place: never on a
// path between two structures), every node and relationship valid at $day when given.
MATCH (a:Item {id: $source}), (b:Item {id: $target})
MATCH p = allShortestPaths((a)-[:ATTACHED_TO|MEMBER_OF|HEADED_BY|RELATED_TO|HOLDS|OPERATES|IMPLEMENTS|BOUND_BY*..6]-(b))
WHERE $day IS NULL OR all(x IN nodes(p) + relationships(p) WHERE (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0])))
RETURN [n IN nodes(p) | n.id] AS ids
LIMIT 1000
