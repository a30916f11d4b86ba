// params: $ids, $types, $direction
// The relationships of these types of each node, with the node at the other end; a relationship to
// a leaf (an Event, an Address) is listed from its owner only; $direction `out` keeps those leaving
// the node, `in` those coming to it, `both` all. The caller applies the as-of rule.
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
UNWIND $ids AS id
MATCH (n:Item {id: id})-[r:$any($types)]-(m:Item)
WHERE size(labels(m)) > 1 AND NOT (type(r) IN ['RECORDED', 'HAS_ADDRESS'] AND endNode(r) = n)
  AND ($direction = 'both' OR (startNode(r) = n) = ($direction = 'out'))
RETURN id, type(r) AS type, startNode(r) = n AS outgoing, r {.*, validFrom: toString(r.validFrom), validTo: toString(r.validTo),
         observedFrom: [d IN r.observedFrom | toString(d)], observedTo: [d IN r.observedTo | toString(d)],
         _search: null, _hash: null} AS rel,
       m {.*, validFrom: toString(m.validFrom), validTo: toString(m.validTo),
         observedFrom: [d IN m.observedFrom | toString(d)], observedTo: [d IN m.observedTo | toString(d)],
         _search: null, _hash: null} AS other,
       [l IN labels(m) WHERE l <> 'Item'][0] AS label
