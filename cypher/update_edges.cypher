// params: $rows
// By the element id that read_edges gave earlier in the same load (a direct seek).
UNWIND $rows AS row
MATCH ()-[r]->()
WHERE elementId(r) = row.rid
SET r = row.props
