// params: $rows
// Dates come as ISO strings, and the empty observed ends and history are set here, as in create_nodes.
UNWIND $rows AS row
MATCH (a:Item {id: row.source})
MATCH (b:Item {id: row.target})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props, r.validFrom = date(row.validFrom), r.validTo = date(row.validTo),
    r.observedFrom = [date(row.opened)], r.observedTo = [], r._history = []
