// params: $load, $batch
// Place words added to the `_search` of structures where missing: `_` and the id without its colon of
// each place a structure has ever been located in, its commune and what that commune is PART_OF
// (`_com59350 _dep59 _reg32`), so that the full-text index finds words and place at once. For the
// LOCATED_IN relationships that load $load wrote and the communes under the PART_OF it wrote; for
// every structure when $load is null. Words are only added, never removed: the search checks the
// LOCATED_IN valid at the date asked, so a word too many costs a check and a word missing a result.
// Auto-commit, a transaction per batch; run again, it finds nothing missing.
CALL () {
  MATCH (n)-[l:LOCATED_IN]->(c)
  WHERE $load IS NULL OR l._load = $load
  RETURN n, c
  UNION
  MATCH (x)-[p:PART_OF]->()
  WHERE $load IS NOT NULL AND p._load = $load
  MATCH (n)-[:LOCATED_IN]->(c)-[:PART_OF*0..1]->(x)
  RETURN n, c
}
WITH n, c
WHERE n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
CALL (n, c) {
  WITH n, COLLECT { MATCH (c)-[:PART_OF*0..2]->(p) RETURN DISTINCT '_' + replace(p.id, ':', '') } AS places
  WITH n, [w IN places WHERE NOT (' ' + coalesce(n._search, '') + ' ') CONTAINS (' ' + w + ' ')] AS missing
  WHERE missing <> []
  SET n._search = trim(reduce(s = coalesce(n._search, ''), w IN missing | s + ' ' + w))
} IN TRANSACTIONS OF $batch ROWS
