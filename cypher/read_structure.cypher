// params: $id
// A structure and its direct relationships; the caller applies the as-of rule to each.
MATCH (n:Item {id: $id})
OPTIONAL MATCH (n)-[r]-(m:Item)
WHERE size(labels(m)) > 1
RETURN properties(n) AS node, [l IN labels(n) WHERE l <> 'Item'][0] AS label,
       collect(CASE WHEN r IS NULL THEN NULL ELSE {
         type: type(r), props: properties(r), outgoing: startNode(r) = n,
         other: properties(m), otherLabel: [l IN labels(m) WHERE l <> 'Item'][0]} END) AS edges
