// params: $ids, $load
// The far ends of relationships: an id absent so far becomes an Item without a public label until
// its own record arrives, so that no relationship is lost and none is counted before both ends exist.
UNWIND $ids AS id
MERGE (n:Item {id: id})
ON CREATE SET n._load = $load
