// params: $rows, $dataset, $load, $opened
// Dates come as ISO strings, and what every row holds alike is set here, as in create_nodes.
WITH date($opened) AS opened
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props, r.dataset = $dataset, r._load = $load,
    r.validFrom = date(row.validFrom), r.validTo = date(row.validTo),
    r.observedFrom = [opened], r.observedTo = [], r._history = []
