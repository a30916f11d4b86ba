// params: $rows
UNWIND $rows AS row
MERGE (n:Item {id: row.id})
SET n = row.props
SET n:$(row.label)
