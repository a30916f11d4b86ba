// params: $load, $rows
// A node that existed before load $load and that it updates is not written in place: its new
// properties and labels wait on a LoadStage node, applied at the commit point (apply_node_stages).
// Until then readers see it as it was. A second update in the same load replaces the first.
UNWIND $rows AS row
MERGE (s:LoadStage {_stageLoad: $load, _stageTarget: row.id})
SET s = row.props, s._stageLoad = $load, s._stageTarget = row.id, s._stageLabels = row.labels,
    s._stageKind = 'node'
