// params: $dataset
MATCH (a:Item)-[r]->(b:Item)
WHERE r.dataset = $dataset AND size(r.observedTo) < size(r.observedFrom)
RETURN elementId(r) AS rid, type(r) + '|' + a.id + '|' + b.id + '|' + r.key AS ident
