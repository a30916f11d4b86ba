// params: $rows
// A relationship that this load created and now writes again, by the element id that read_edges
// gave earlier in the same load (a direct seek). Others are staged (stage_edges).
UNWIND $rows AS row
MATCH ()-[r]->()
WHERE elementId(r) = row.rid
SET r = row.props
