// params: $load, $limit
// Rollback: a batch of the nodes that load $load updated; each one restored leaves the selection.
MATCH (n:Item)
WHERE n._load = $load AND n._undo IS NOT NULL
RETURN n.id AS id, n._undo AS undo
LIMIT $limit
