// params: $rows
// A node that this load created and now writes again (an unlabelled far end getting its record):
// readers do not see it before the commit, so it is written in place. Others are staged (stage_nodes).
UNWIND $rows AS row
MATCH (n:Item {id: row.id})
SET n = row.props
SET n:$(row.labels)
