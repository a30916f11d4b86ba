// params: $rows
// An end absent so far (activities loaded before structures) is an Item without a public label
// until its own record arrives: no relationship is lost, none is counted before both ends exist.
UNWIND $rows AS row
MERGE (a:Item {id: row.source})
MERGE (b:Item {id: row.target})
MERGE (a)-[r:$(row.type) {key: row.key}]->(b)
SET r = row.props
