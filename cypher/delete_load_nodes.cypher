// params: $load, $batch
// Rollback: the nodes that load $load created (no `_undo`); auto-commit, a transaction per batch.
MATCH (n:Item)
WHERE n._load = $load AND n._undo IS NULL
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS
