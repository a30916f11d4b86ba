// params: $ids, $types
// The relationships of these types of each node, with the node at the other end; a relationship to
// a leaf (an Event, an Address) is listed from its owner only. The caller applies the as-of rule.
UNWIND $ids AS id
MATCH (n:Item {id: id})-[r:$any($types)]-(m:Item)
WHERE size(labels(m)) > 1 AND NOT (type(r) IN ['RECORDED', 'HAS_ADDRESS'] AND endNode(r) = n)
RETURN id, type(r) AS type, startNode(r) = n AS outgoing, properties(r) AS rel,
       properties(m) AS other, [l IN labels(m) WHERE l <> 'Item'][0] AS label
