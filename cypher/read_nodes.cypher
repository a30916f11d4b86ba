// params: $ids
UNWIND $ids AS id
MATCH (n:Item {id: id})
RETURN n.id AS id, properties(n) AS props, [l IN labels(n) WHERE l <> 'Item'] AS labels
