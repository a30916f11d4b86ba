// params: $load, $rids
// Once load $load is committed, the previous states it kept are dropped.
UNWIND $rids AS rid
MATCH ()-[r]->()
WHERE elementId(r) = rid AND r._load = $load
REMOVE r._undo
