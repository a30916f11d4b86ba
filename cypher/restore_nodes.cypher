// params: $load, $rows
// Rollback: a node that load $load updated gets back its properties (and so its `_load`) and its
// public label (`row.labels`, empty for an Item that had none).
UNWIND $rows AS row
MATCH (n:Item {id: row.id})
WHERE n._load = $load
REMOVE n:$([l IN labels(n) WHERE l <> 'Item'])
SET n = row.props
SET n:$(row.labels)
