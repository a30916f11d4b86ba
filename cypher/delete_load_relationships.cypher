// params: $load, $batch
// Rollback: the relationships that load $load created (no `_undo`); auto-commit, a transaction per batch.
MATCH ()-[r]->()
WHERE r._load = $load AND r._undo IS NULL
CALL (r) { DELETE r } IN TRANSACTIONS OF $batch ROWS
