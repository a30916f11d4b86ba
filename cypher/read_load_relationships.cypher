// params: $load
// Rollback: the relationships that load $load updated (a scan: rollbacks are rare).
MATCH ()-[r]->()
WHERE r._load = $load AND r._undo IS NOT NULL
RETURN elementId(r) AS rid
