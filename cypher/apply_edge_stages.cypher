// params: $load, $limit
// After the commit point, one transaction per batch: a batch of the relationships that load $load
// staged get their new properties (`applied` 0: none left); the stages stay, marked applied, until
// all are (see apply_node_stages).
MATCH (s:LoadStage {_stageLoad: $load})
WHERE s._stageKind = 'edge' AND s._stageApplied IS NULL
WITH s LIMIT $limit
OPTIONAL MATCH ()-[r]->()
WHERE elementId(r) = s._stageTarget
FOREACH (x IN CASE WHEN r IS NULL THEN [] ELSE [r] END |
  SET x = properties(s)
  REMOVE x._stageLoad, x._stageTarget, x._stageKind, x._stageApplied)
SET s._stageApplied = true
RETURN count(*) AS applied
