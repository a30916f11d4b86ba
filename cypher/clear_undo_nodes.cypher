// params: $load, $ids
// Once load $load is committed, the previous states it kept are dropped.
UNWIND $ids AS id
MATCH (n:Item {id: id})
WHERE n._load = $load
REMOVE n._undo
