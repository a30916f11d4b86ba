// params: $load, $limit
// After the commit point, one transaction per batch: a batch of the nodes that load $load staged get
// their new properties and labels (`applied` 0: none left). The stages stay, marked applied, until all
// are: a reader that met an item before its batch and looks for its stage after still finds it.
MATCH (s:LoadStage {_stageLoad: $load})
WHERE s._stageKind = 'node' AND s._stageApplied IS NULL
WITH s LIMIT $limit
OPTIONAL MATCH (n:Item {id: s._stageTarget})
FOREACH (x IN CASE WHEN n IS NULL THEN [] ELSE [n] END |
  SET x = properties(s)
  REMOVE x._stageLoad, x._stageTarget, x._stageLabels, x._stageKind, x._stageApplied
  SET x:$(s._stageLabels))
SET s._stageApplied = true
RETURN count(*) AS applied
