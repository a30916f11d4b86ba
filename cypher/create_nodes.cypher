// params: $rows
// Dates come as ISO strings (`validFrom`, `validTo`, `opened`, the first observed date): the
// driver's conversion of Python dates took a third of its time sending a batch.
UNWIND $rows AS row
CREATE (n:Item)
SET n = row.props, n.validFrom = date(row.validFrom), n.validTo = date(row.validTo),
    n.observedFrom = [date(row.opened)]
SET n:$(row.label)
