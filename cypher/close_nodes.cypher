// params: $ids, $date
UNWIND $ids AS id
MATCH (n:Item {id: id})
SET n.observedTo = n.observedTo + $date
