// params: $rows
UNWIND $rows AS row
CREATE (n:Item)
SET n = row.props
SET n:$(row.label)
