// params: $id
// A structure and its direct relationships; the caller applies the as-of rule to each.
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  MATCH (n:Item {id: $id})
  WHERE NOT coalesce(n._load IN pending, false)
  OPTIONAL MATCH (n)-[r]-(m:Item)
  WHERE size(labels(m)) > 1 AND NOT coalesce(r._load IN pending, false) AND NOT coalesce(m._load IN pending, false)
  WITH n, collect(CASE WHEN r IS NULL THEN NULL ELSE {
         type: type(r), props: r {.*, validFrom: toString(r.validFrom), validTo: toString(r.validTo),
         observedFrom: [d IN r.observedFrom | toString(d)], observedTo: [d IN r.observedTo | toString(d)],
         _search: null, _hash: null}, outgoing: startNode(r) = n,
         other: m {.*, validFrom: toString(m.validFrom), validTo: toString(m.validTo),
         observedFrom: [d IN m.observedFrom | toString(d)], observedTo: [d IN m.observedTo | toString(d)],
         _search: null, _hash: null}, otherLabel: [l IN labels(m) WHERE l <> 'Item'][0]} END) AS edges
  RETURN {node: n {.*, validFrom: toString(n.validFrom), validTo: toString(n.validTo),
         observedFrom: [d IN n.observedFrom | toString(d)], observedTo: [d IN n.observedTo | toString(d)],
         _search: null, _hash: null},
       label: [l IN labels(n) WHERE l <> 'Item'][0],
       edges: edges}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
