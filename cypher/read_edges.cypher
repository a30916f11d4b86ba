// params: $rows, $load
// What the load $load reads before it writes: a relationship as this load left it, its staged update
// if any; `created`: whether this load created it (then written in place, not staged).
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
MATCH (a)-[r:$(row.type) {key: row.key}]->(b)
OPTIONAL MATCH (s:LoadStage {_stageLoad: $load, _stageTarget: elementId(r)})
RETURN row.ident AS ident, CASE WHEN s IS NULL THEN properties(r) ELSE properties(s) END AS props,
       elementId(r) AS rid, coalesce(r._load = $load, false) AS created
