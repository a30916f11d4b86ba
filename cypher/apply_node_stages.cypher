// params: $load, $limit
// At the commit point, in the commit's transaction: a batch of the nodes that load $load staged get
// their new properties and labels; each stage applied is deleted (`applied` 0: none left).
MATCH (s:LoadStage {_stageLoad: $load})
WHERE s._stageKind = 'node'
WITH s LIMIT $limit
OPTIONAL MATCH (n:Item {id: s._stageTarget})
FOREACH (x IN CASE WHEN n IS NULL THEN [] ELSE [n] END |
  SET x = properties(s)
  REMOVE x._stageLoad, x._stageTarget, x._stageLabels, x._stageKind
  SET x:$(s._stageLabels))
DELETE s
RETURN count(*) AS applied
