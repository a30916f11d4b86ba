// params: $ids
// Nodes for the queries, by id (not the unlabelled far ends of relationships).
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  UNWIND $ids AS id
  MATCH (n:Item {id: id})
  WHERE size(labels(n)) > 1 AND NOT coalesce(n._load IN pending, false)
  RETURN {id: n.id, props: n {.*, validFrom: toString(n.validFrom), validTo: toString(n.validTo),
         observedFrom: [d IN n.observedFrom | toString(d)], observedTo: [d IN n.observedTo | toString(d)],
         _search: null, _hash: null},
         label: [l IN labels(n) WHERE l <> 'Item'][0]}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
