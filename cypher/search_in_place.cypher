// params: $place, $lucene, $words, $kinds, $category, $commune, $department, $region, $day, $skip, $limit
// Structures located in a place (`com:`, `dep:` or `reg:` id) through a LOCATED_IN commune valid at
// $day when given, having for each of $words a word starting with it; filtered, by name then id.
// Found by the full-text index: $lucene asks for the words and the place word (add_place_words), so
// that Lucene intersects them; each hit is then checked against its LOCATED_IN at $day. A database
// whose structures lack place words yet (read_place_words) is searched the slower way below: from
// the place, each structure located there checked for the words (' ' + word found in ' ' + `_search`).
// A department or region that is the place itself is not checked again for each structure.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` (`pending`) and is left out; an item whose committed
// update still waits on a LoadStage node (`applying`) is read from it. `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
// With no load pending or applying (nearly always), the first branch reads as if there were no journal.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id }
       + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending,
     COLLECT { MATCH (a:LoadApply) WHERE a.done IS NULL RETURN a.load } AS applying
WITH before, pending, applying, pending = [] AND applying = [] AND EXISTS { MATCH (:PlaceWords) } AS plain
WITH before, COLLECT {
  WITH plain WHERE plain
  CALL db.index.fulltext.queryNodes('structure_words', $lucene) YIELD node AS n
  WHERE ($kinds IS NULL OR any(x IN labels(n) WHERE x IN $kinds))
    AND ($category IS NULL OR n.category = $category)
    AND ($day IS NULL OR ((n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
      AND (any(i IN range(0, size(n.observedFrom) - 1)
               WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
           OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))))
    AND EXISTS {
      MATCH (n)-[l:LOCATED_IN]->(c:Commune)-[:PART_OF*0..2]->(:Item {id: $place})
      WHERE ($commune IS NULL OR c.id = 'com:' + $commune)
        AND ($department IS NULL OR $place = 'dep:' + $department
             OR EXISTS { (c)-[:PART_OF]->(:Department {id: 'dep:' + $department}) })
        AND ($region IS NULL OR $place = 'reg:' + $region
             OR EXISTS { (c)-[:PART_OF]->(:Department)-[:PART_OF]->(:Region {id: 'reg:' + $region}) })
        AND ($day IS NULL OR all(x IN [l, c] WHERE ((x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
      AND (any(i IN range(0, size(x.observedFrom) - 1)
               WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
           OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0])))))
    }
  WITH n ORDER BY n.name, n.id
  WITH collect(n) AS hits
  WITH size(hits) AS total, hits[$skip..$skip + $limit] AS page
  RETURN {total: total, page: [x IN page | {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(x) WHERE l <> 'Item'][0]}]} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  MATCH p = (:Item {id: $place})<-[:PART_OF*0..2]-(c:Item)<-[l:LOCATED_IN]-(n:Item)
  WHERE (n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
         OR (applying <> [] AND size(labels(n)) = 1))
    AND (c:Commune OR (applying <> [] AND size(labels(c)) = 1))
    AND all(x IN nodes(p) WHERE NOT coalesce(x._load IN pending, false))
    AND all(x IN relationships(p) WHERE NOT coalesce(x._load IN pending, false))
    AND ($commune IS NULL OR c.id = 'com:' + $commune)
    AND ($department IS NULL OR $place = 'dep:' + $department
         OR EXISTS { MATCH (c)-[x:PART_OF]->(:Department {id: 'dep:' + $department})
                     WHERE NOT coalesce(x._load IN pending, false) })
    AND ($region IS NULL OR $place = 'reg:' + $region
         OR EXISTS { MATCH (c)-[x:PART_OF]->(:Department)-[y:PART_OF]->(:Region {id: 'reg:' + $region})
                     WHERE NOT coalesce(x._load IN pending, false) AND NOT coalesce(y._load IN pending, false) })
  OPTIONAL CALL (n, applying) {
    WITH n WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: n.id}) WHERE s._stageLoad IN applying
    RETURN s AS n_s LIMIT 1
  }
  OPTIONAL CALL (c, applying) {
    WITH c WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: c.id}) WHERE s._stageLoad IN applying
    RETURN s AS c_s LIMIT 1
  }
  OPTIONAL CALL (l, applying) {
    WITH l WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: elementId(l)}) WHERE s._stageLoad IN applying
    RETURN s AS l_s LIMIT 1
  }
  WITH CASE WHEN n_s IS NULL THEN n ELSE n_s END AS x, CASE WHEN n_s IS NULL THEN labels(n)
         ELSE [l IN labels(n) WHERE NOT l IN n_s._stageLabels] + n_s._stageLabels END AS labels, CASE WHEN c_s IS NULL THEN c ELSE c_s END AS place, CASE WHEN c_s IS NULL THEN labels(c)
         ELSE [l IN labels(c) WHERE NOT l IN c_s._stageLabels] + c_s._stageLabels END AS placeLabels,
       CASE WHEN l_s IS NULL THEN l ELSE l_s END AS link
  WHERE 'Commune' IN placeLabels
    AND all(w IN $words WHERE (' ' + x._search) CONTAINS (' ' + w))
    AND ($day IS NULL OR all(y IN [place, link] WHERE ((y.validFrom IS NULL OR y.validFrom <= $day) AND (y.validTo IS NULL OR $day < y.validTo)
      AND (any(i IN range(0, size(y.observedFrom) - 1)
               WHERE y.observedFrom[i] <= $day AND (i >= size(y.observedTo) OR $day < y.observedTo[i]))
           OR ((y.validFrom IS NOT NULL OR y.validTo IS NOT NULL) AND $day < y.observedFrom[0])))))
  AND any(l IN labels WHERE l IN ['LegalEntity', 'Establishment', 'OrganicGrouping', 'ConventionalGrouping'])
    AND ($kinds IS NULL OR any(l IN labels WHERE l IN $kinds))
    AND ($category IS NULL OR x.category = $category)
    AND ($day IS NULL OR ((x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
  WITH DISTINCT x, labels
  WITH x, labels ORDER BY x.name, x.id
  WITH collect({x: x, labels: labels}) AS hits
  WITH size(hits) AS total, hits[$skip..$skip + $limit] AS page
  RETURN {total: total, page: COLLECT {
    UNWIND range(0, size(page) - 1) AS i
    WITH i, page[i].x AS x, page[i].labels AS labels ORDER BY i
    RETURN {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels WHERE l <> 'Item'][0]}
  }} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
