// params: $finess
// A structure by its FINESS number (its id), or a grouping by its number or its id.
OPTIONAL MATCH (n:Item {id: $finess})
WHERE n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
OPTIONAL MATCH (c:ConventionalGrouping {finess: $finess})
OPTIONAL MATCH (o:OrganicGrouping {finess: $finess})
RETURN coalesce(n.id, c.id, o.id) AS id
