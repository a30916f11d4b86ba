// params: $place, $words, $kinds, $category, $commune, $department, $region, $day, $skip, $limit
// Structures located in a place (`com:`, `dep:` or `reg:` id) through a LOCATED_IN commune valid at
// $day when given, having for each of $words a word starting with it (words are folded and joined by
// single spaces: ' ' + word found in ' ' + `_search`, cheaper than splitting it); filtered, by name then id.
// A department or region that is the place itself is not checked again for each structure.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  MATCH p = (:Item {id: $place})<-[:PART_OF*0..2]-(c:Commune)<-[l:LOCATED_IN]-(n)
  WHERE (n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping)
    AND all(x IN nodes(p) WHERE NOT coalesce(x._load IN pending, false))
    AND all(x IN relationships(p) WHERE NOT coalesce(x._load IN pending, false))
    AND all(w IN $words WHERE (' ' + n._search) CONTAINS (' ' + w))
    AND ($kinds IS NULL OR any(x IN labels(n) WHERE x IN $kinds))
    AND ($category IS NULL OR n.category = $category)
    AND ($commune IS NULL OR c.id = 'com:' + $commune)
    AND ($department IS NULL OR $place = 'dep:' + $department
         OR EXISTS { MATCH (c)-[x:PART_OF]->(:Department {id: 'dep:' + $department})
                     WHERE NOT coalesce(x._load IN pending, false) })
    AND ($region IS NULL OR $place = 'reg:' + $region
         OR EXISTS { MATCH (c)-[x:PART_OF]->(:Department)-[y:PART_OF]->(:Region {id: 'reg:' + $region})
                     WHERE NOT coalesce(x._load IN pending, false) AND NOT coalesce(y._load IN pending, false) })
    AND ($day IS NULL OR all(x IN [n, l, c] WHERE
      (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
      AND (any(i IN range(0, size(x.observedFrom) - 1)
               WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
           OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))))
  WITH DISTINCT n ORDER BY n.name, n.id
  WITH collect(n) AS hits
  RETURN {total: size(hits),
         page: [x IN hits[$skip..$skip + $limit] | {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(x) WHERE l <> 'Item'][0]}]}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
