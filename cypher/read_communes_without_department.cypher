// params: (none)
MATCH (c:Commune)
WHERE NOT (c)-[:PART_OF]->()
RETURN c.code AS code
