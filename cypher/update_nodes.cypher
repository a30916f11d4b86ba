// params: $rows
UNWIND $rows AS row
MATCH (n:Item {id: row.id})
SET n = row.props
SET n:$(row.label)
