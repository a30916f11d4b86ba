// params: (none)
MATCH (a:Item)-[r]->(b:Item)
WHERE size(labels(a)) > 1 AND size(labels(b)) > 1
RETURN type(r) AS type, count(*) AS count
