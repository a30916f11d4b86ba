// params: $load, $rows
// Rollback: a relationship that load $load updated gets back its properties (and so its `_load`).
UNWIND $rows AS row
MATCH ()-[r]->()
WHERE elementId(r) = row.rid AND r._load = $load
SET r = row.props
