// params: $ids, $load
// What the load $load reads before it writes: a node as this load left it, its staged update if any;
// `created`: whether this load created it (then written in place, not staged).
UNWIND $ids AS id
MATCH (n:Item {id: id})
OPTIONAL MATCH (s:LoadStage {_stageLoad: $load, _stageTarget: id})
RETURN n.id AS id, CASE WHEN s IS NULL THEN properties(n) ELSE properties(s) END AS props,
       CASE WHEN s IS NULL THEN [l IN labels(n) WHERE l <> 'Item'] ELSE s._stageLabels END AS labels,
       coalesce(n._load = $load, false) AS created
