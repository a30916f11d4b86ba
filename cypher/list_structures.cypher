// params: $kinds, $category, $commune, $department, $region, $day, $skip, $limit
// Every structure (a search without words), filtered, valid at $day when given
// (docs/graph-schema.md, Time), ordered by name then id.
MATCH (n:LegalEntity|Establishment|OrganicGrouping|ConventionalGrouping)
WHERE ($kinds IS NULL OR any(l IN labels(n) WHERE l IN $kinds))
  AND ($category IS NULL OR n.category = $category)
  AND ($day IS NULL OR (
    (n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
    AND (any(i IN range(0, size(n.observedFrom) - 1)
             WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
         OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))))
  AND (($commune IS NULL AND $department IS NULL AND $region IS NULL) OR EXISTS {
    MATCH (n)-[l:LOCATED_IN]->(c:Commune)
    OPTIONAL MATCH (c)-[:PART_OF]->(d:Department)
    OPTIONAL MATCH (d)-[:PART_OF]->(r:Region)
    WITH l, c, d, r
    WHERE ($commune IS NULL OR c.code = $commune) AND ($department IS NULL OR d.code = $department)
      AND ($region IS NULL OR r.code = $region)
      AND ($day IS NULL OR all(x IN [l, c] WHERE
        (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
        AND (any(i IN range(0, size(x.observedFrom) - 1)
                 WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
             OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
    RETURN 1 })
WITH n ORDER BY n.name, n.id
WITH collect(n) AS hits
RETURN size(hits) AS total,
       [x IN hits[$skip..$skip + $limit] | {props: properties(x), label: [l IN labels(x) WHERE l <> 'Item'][0]}] AS page
