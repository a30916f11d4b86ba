// params: $load, $limit
// At the commit point, in the commit's transaction: a batch of the relationships that load $load
// staged get their new properties; each stage applied is deleted (`applied` 0: none left).
MATCH (s:LoadStage {_stageLoad: $load})
WHERE s._stageKind = 'edge'
WITH s LIMIT $limit
OPTIONAL MATCH ()-[r]->()
WHERE elementId(r) = s._stageTarget
FOREACH (x IN CASE WHEN r IS NULL THEN [] ELSE [r] END |
  SET x = properties(s)
  REMOVE x._stageLoad, x._stageTarget, x._stageKind)
DELETE s
RETURN count(*) AS applied
