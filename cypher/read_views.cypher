// params: $ids
// Nodes for the queries, by id (not the unlabelled far ends of relationships).
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
UNWIND $ids AS id
MATCH (n:Item {id: id})
WHERE size(labels(n)) > 1
RETURN n.id AS id, n {.*, validFrom: toString(n.validFrom), validTo: toString(n.validTo),
         observedFrom: [d IN n.observedFrom | toString(d)], observedTo: [d IN n.observedTo | toString(d)],
         _search: null, _hash: null} AS props,
       [l IN labels(n) WHERE l <> 'Item'][0] AS label
