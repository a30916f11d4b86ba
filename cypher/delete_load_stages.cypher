// params: $load, $batch
// The stages of load $load: never applied (its rollback), or all applied (deleted by the next load);
// auto-commit, a transaction per batch.
MATCH (s:LoadStage)
WHERE s._stageLoad = $load
CALL (s) { DELETE s } IN TRANSACTIONS OF $batch ROWS
