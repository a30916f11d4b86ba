// params: $id
// A structure and its direct relationships; the caller applies the as-of rule to each.
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
MATCH (n:Item {id: $id})
OPTIONAL MATCH (n)-[r]-(m:Item)
WHERE size(labels(m)) > 1
RETURN n {.*, validFrom: toString(n.validFrom), validTo: toString(n.validTo),
         observedFrom: [d IN n.observedFrom | toString(d)], observedTo: [d IN n.observedTo | toString(d)],
         _search: null, _hash: null} AS node,
       [l IN labels(n) WHERE l <> 'Item'][0] AS label,
       collect(CASE WHEN r IS NULL THEN NULL ELSE {
         type: type(r), props: r {.*, validFrom: toString(r.validFrom), validTo: toString(r.validTo),
         observedFrom: [d IN r.observedFrom | toString(d)], observedTo: [d IN r.observedTo | toString(d)],
         _search: null, _hash: null}, outgoing: startNode(r) = n,
         other: m {.*, validFrom: toString(m.validFrom), validTo: toString(m.validTo),
         observedFrom: [d IN m.observedFrom | toString(d)], observedTo: [d IN m.observedTo | toString(d)],
         _search: null, _hash: null}, otherLabel: [l IN labels(m) WHERE l <> 'Item'][0]} END) AS edges
