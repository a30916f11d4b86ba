// params: $rids, $date
UNWIND $rids AS rid
MATCH ()-[r]->()
WHERE elementId(r) = rid
SET r.observedTo = r.observedTo + $date
