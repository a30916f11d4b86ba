// params: $rows
// Dates come as ISO strings (`validFrom`, `validTo`, `opened`, the first observed date): the
// driver's conversion of Python dates took a third of its time sending a batch. The empty observed
// ends and history are set here rather than sent with every row.
UNWIND $rows AS row
CREATE (n:Item)
SET n = row.props, n.validFrom = date(row.validFrom), n.validTo = date(row.validTo),
    n.observedFrom = [date(row.opened)], n.observedTo = [], n._history = []
SET n:$(row.label)
