// params: $load, $rows
// A relationship that existed before load $load and that it updates waits on a LoadStage node
// (its element id in `_stageTarget`), applied at the commit point (apply_edge_stages).
UNWIND $rows AS row
MERGE (s:LoadStage {_stageLoad: $load, _stageTarget: row.rid})
SET s = row.props, s._stageLoad = $load, s._stageTarget = row.rid, s._stageKind = 'edge'
