// params: $finess, $levels, $keys, $dated, $history, $share, $shares
// An organigram's boxes with the properties $keys names, in one statement: the root as read_root reads
// it, then $levels levels of children (a grouping's members by MEMBER_OF, a legal entity's
// establishments by ATTACHED_TO, an establishment's activities by OPERATES: graph/queries.py's
// CHILDREN), one list of rows per level, each row as read_neighbour_keys gives it for its parent.
// $shares sessions share the work: each reads the first level's boxes of one slice of them in id
// order ($share), with their relationships to the root, and everything under those; the root comes
// in share 0. Keeping each box's relationships from the first walk spares a second walk from the
// root (3-5 % of the largest legal entity's statement, bench/README.md).
// Readers see the committed state as read_root tells; while a load is pending or applying, no row
// comes: the caller then reads level by level (read_neighbour_keys), which knows staged items.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id }
       + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending,
     COLLECT { MATCH (a:LoadApply) WHERE a.done IS NULL RETURN a.load } AS applying
WITH before, pending = [] AND applying = [] AS plain
WITH before, COLLECT {
  WITH plain WHERE plain
  OPTIONAL MATCH (n:Item {id: $finess})
  WHERE n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
  OPTIONAL MATCH (g:ConventionalGrouping {finess: $finess})
  OPTIONAL MATCH (o:OrganicGrouping {finess: $finess})
  WITH coalesce(n, g, o) AS root
  CALL (root) {
    WITH root AS p WHERE root IS NOT NULL
    CALL (p) {
      WITH p WHERE p:LegalEntity OR p:OrganicGrouping OR p:ConventionalGrouping
      MATCH (p)<-[r:MEMBER_OF|ATTACHED_TO]-(c:Item) WHERE (type(r) = 'ATTACHED_TO') = p:LegalEntity
      RETURN r, c
      UNION ALL
      WITH p WHERE p:Establishment
      MATCH (p)-[r:OPERATES]->(c:Item)
      RETURN r, c
    }
    WITH c, collect(r) AS rs WHERE size(labels(c)) > 1
    ORDER BY c.id
    RETURN collect([c, rs]) AS firsts
  }
  WITH root, firsts, size(firsts) * $share / $shares AS lo, size(firsts) * ($share + 1) / $shares AS hi
  WITH root, firsts[lo..hi] AS mine
  CALL (root, mine) {
    UNWIND mine AS first
    UNWIND first[1] AS r
    WITH root AS p, r, first[0] AS c
    WITH p, r, c, [l IN labels(c) WHERE l <> 'Item'][0] AS label
    RETURN collect([p.id, type(r), startNode(r) = p, CASE WHEN $history OR type(r) IN $dated THEN [toString(r.validFrom), toString(r.validTo)] END, [k IN coalesce($keys[type(r)], []) | r[k]],
              c.id, CASE WHEN $history OR label IN $dated THEN [toString(c.validFrom), toString(c.validTo)] END, [k IN coalesce($keys[label], []) | c[k]], label,
              CASE WHEN $history THEN [[d IN r.observedFrom | toString(d)], [d IN r.observedTo | toString(d)], r._history,
                                       [d IN c.observedFrom | toString(d)], [d IN c.observedTo | toString(d)], c._history] END]) AS rows1
  }
  WITH root, rows1, [first IN mine | first[0]] AS level1
  CALL (level1) {
    UNWIND level1 AS p
    CALL (p) {
      WITH p WHERE $levels >= 2 AND (p:LegalEntity OR p:OrganicGrouping OR p:ConventionalGrouping)
      MATCH (p)<-[r:MEMBER_OF|ATTACHED_TO]-(c:Item) WHERE (type(r) = 'ATTACHED_TO') = p:LegalEntity
      RETURN r, c
      UNION ALL
      WITH p WHERE $levels >= 2 AND p:Establishment
      MATCH (p)-[r:OPERATES]->(c:Item)
      RETURN r, c
    }
    WITH p, r, c, [l IN labels(c) WHERE l <> 'Item'][0] AS label WHERE label IS NOT NULL
    RETURN collect([p.id, type(r), startNode(r) = p, CASE WHEN $history OR type(r) IN $dated THEN [toString(r.validFrom), toString(r.validTo)] END, [k IN coalesce($keys[type(r)], []) | r[k]],
              c.id, CASE WHEN $history OR label IN $dated THEN [toString(c.validFrom), toString(c.validTo)] END, [k IN coalesce($keys[label], []) | c[k]], label,
              CASE WHEN $history THEN [[d IN r.observedFrom | toString(d)], [d IN r.observedTo | toString(d)], r._history,
                                       [d IN c.observedFrom | toString(d)], [d IN c.observedTo | toString(d)], c._history] END]) AS rows2, collect(DISTINCT c) AS level2
  }
  CALL (level2) {
    UNWIND level2 AS p
    CALL (p) {
      WITH p WHERE $levels >= 3 AND (p:LegalEntity OR p:OrganicGrouping OR p:ConventionalGrouping)
      MATCH (p)<-[r:MEMBER_OF|ATTACHED_TO]-(c:Item) WHERE (type(r) = 'ATTACHED_TO') = p:LegalEntity
      RETURN r, c
      UNION ALL
      WITH p WHERE $levels >= 3 AND p:Establishment
      MATCH (p)-[r:OPERATES]->(c:Item)
      RETURN r, c
    }
    WITH p, r, c, [l IN labels(c) WHERE l <> 'Item'][0] AS label WHERE label IS NOT NULL
    RETURN collect([p.id, type(r), startNode(r) = p, CASE WHEN $history OR type(r) IN $dated THEN [toString(r.validFrom), toString(r.validTo)] END, [k IN coalesce($keys[type(r)], []) | r[k]],
              c.id, CASE WHEN $history OR label IN $dated THEN [toString(c.validFrom), toString(c.validTo)] END, [k IN coalesce($keys[label], []) | c[k]], label,
              CASE WHEN $history THEN [[d IN r.observedFrom | toString(d)], [d IN r.observedTo | toString(d)], r._history,
                                       [d IN c.observedFrom | toString(d)], [d IN c.observedTo | toString(d)], c._history] END]) AS rows3, collect(DISTINCT c) AS level3
  }
  CALL (level3) {
    UNWIND level3 AS p
    CALL (p) {
      WITH p WHERE $levels >= 4 AND (p:LegalEntity OR p:OrganicGrouping OR p:ConventionalGrouping)
      MATCH (p)<-[r:MEMBER_OF|ATTACHED_TO]-(c:Item) WHERE (type(r) = 'ATTACHED_TO') = p:LegalEntity
      RETURN r, c
      UNION ALL
      WITH p WHERE $levels >= 4 AND p:Establishment
      MATCH (p)-[r:OPERATES]->(c:Item)
      RETURN r, c
    }
    WITH p, r, c, [l IN labels(c) WHERE l <> 'Item'][0] AS label WHERE label IS NOT NULL
    RETURN collect([p.id, type(r), startNode(r) = p, CASE WHEN $history OR type(r) IN $dated THEN [toString(r.validFrom), toString(r.validTo)] END, [k IN coalesce($keys[type(r)], []) | r[k]],
              c.id, CASE WHEN $history OR label IN $dated THEN [toString(c.validFrom), toString(c.validTo)] END, [k IN coalesce($keys[label], []) | c[k]], label,
              CASE WHEN $history THEN [[d IN r.observedFrom | toString(d)], [d IN r.observedTo | toString(d)], r._history,
                                       [d IN c.observedFrom | toString(d)], [d IN c.observedTo | toString(d)], c._history] END]) AS rows4, collect(DISTINCT c) AS level4
  }
  CALL (level4) {
    UNWIND level4 AS p
    CALL (p) {
      WITH p WHERE $levels >= 5 AND (p:LegalEntity OR p:OrganicGrouping OR p:ConventionalGrouping)
      MATCH (p)<-[r:MEMBER_OF|ATTACHED_TO]-(c:Item) WHERE (type(r) = 'ATTACHED_TO') = p:LegalEntity
      RETURN r, c
      UNION ALL
      WITH p WHERE $levels >= 5 AND p:Establishment
      MATCH (p)-[r:OPERATES]->(c:Item)
      RETURN r, c
    }
    WITH p, r, c, [l IN labels(c) WHERE l <> 'Item'][0] AS label WHERE label IS NOT NULL
    RETURN collect([p.id, type(r), startNode(r) = p, CASE WHEN $history OR type(r) IN $dated THEN [toString(r.validFrom), toString(r.validTo)] END, [k IN coalesce($keys[type(r)], []) | r[k]],
              c.id, CASE WHEN $history OR label IN $dated THEN [toString(c.validFrom), toString(c.validTo)] END, [k IN coalesce($keys[label], []) | c[k]], label,
              CASE WHEN $history THEN [[d IN r.observedFrom | toString(d)], [d IN r.observedTo | toString(d)], r._history,
                                       [d IN c.observedFrom | toString(d)], [d IN c.observedTo | toString(d)], c._history] END]) AS rows5, collect(DISTINCT c) AS level5
  }
  RETURN {root: CASE WHEN root IS NULL OR $share > 0 THEN null ELSE
                 {props: root {.*, validFrom: toString(root.validFrom), validTo: toString(root.validTo),
                       observedFrom: [d IN root.observedFrom | toString(d)], observedTo: [d IN root.observedTo | toString(d)],
                       _search: null, _hash: null},
                  label: [l IN labels(root) WHERE l <> 'Item'][0]} END,
          levels: [rows1, rows2, rows3, rows4, rows5]} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
