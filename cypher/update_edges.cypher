// params: $rows
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
MATCH (a)-[r:$(row.type) {key: row.key}]->(b)
SET r = row.props
