// params: $rows
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
