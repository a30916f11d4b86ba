// params: $load, $batch
// Rollback: the updates that load $load staged and never applied; auto-commit, a transaction per batch.
MATCH (s:LoadStage)
WHERE s._stageLoad = $load
CALL (s) { DELETE s } IN TRANSACTIONS OF $batch ROWS
