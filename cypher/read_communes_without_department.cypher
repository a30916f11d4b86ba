// params: $load
// The communes, this load's included (a staged update may label an Item a Commune), with no department.
CALL () {
  MATCH (c:Commune)
  RETURN c
  UNION
  MATCH (s:LoadStage {_stageLoad: $load})
  WHERE 'Commune' IN coalesce(s._stageLabels, [])
  MATCH (c:Item {id: s._stageTarget})
  RETURN c
}
WITH DISTINCT c
WHERE NOT (c)-[:PART_OF]->()
RETURN c.id AS id
