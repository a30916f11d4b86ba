// params: (none)
CREATE FULLTEXT INDEX structure_search IF NOT EXISTS
FOR (n:LegalEntity|Establishment|OrganicGrouping|ConventionalGrouping)
ON EACH [n.name, n.longName, n.finess, n.siren, n.siret]
