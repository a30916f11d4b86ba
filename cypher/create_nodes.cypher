// params: $rows, $dataset, $load, $opened
// Dates come as ISO strings (`validFrom`, `validTo`, `$opened`, the first observed date): the
// driver's conversion of Python dates took a third of its time sending a batch. What every row holds
// alike (the dataset, the load, the first observed date, the empty observed ends and history) is set
// here rather than sent with every row. The label is given at creation: setting it afterwards took
// a fifth longer (bench/README.md).
WITH date($opened) AS opened
UNWIND $rows AS row
CREATE (n:Item:$(row.label))
SET n = row.props, n.dataset = $dataset, n._load = $load,
    n.validFrom = date(row.validFrom), n.validTo = date(row.validTo),
    n.observedFrom = [opened], n.observedTo = [], n._history = []
