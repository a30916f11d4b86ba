// params: $load, $rids
UNWIND $rids AS rid
MATCH ()-[r]->()
WHERE elementId(r) = rid AND r._load = $load
RETURN rid, r._undo AS undo
