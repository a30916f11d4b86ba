// params: $rows
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
MATCH (a)-[r:$(row.type) {key: row.key}]->(b)
RETURN row.ident AS ident, properties(r) AS props, elementId(r) AS rid
