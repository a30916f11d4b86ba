// params: $load, $rows
// Once load $load is committed, the previous states it kept are dropped.
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
MATCH (a)-[r:$(row.type) {key: row.key}]->(b)
WHERE r._load = $load
REMOVE r._undo
