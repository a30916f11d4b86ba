// params: $finess
// A structure by its FINESS number (its id), or a grouping by its number or its id, read for the
// queries in one round trip (resolve_structure, then read_views, took two).
// Dates come as ISO strings and internal properties are left out (see read_views).
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  OPTIONAL MATCH (n:Item {id: $finess})
  WHERE (n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping) AND NOT coalesce(n._load IN pending, false)
  OPTIONAL MATCH (c:ConventionalGrouping {finess: $finess})
  WHERE NOT coalesce(c._load IN pending, false)
  OPTIONAL MATCH (o:OrganicGrouping {finess: $finess})
  WHERE NOT coalesce(o._load IN pending, false)
  WITH coalesce(n, c, o) AS x
  WHERE x IS NOT NULL
  RETURN {id: x.id, props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null},
         label: [l IN labels(x) WHERE l <> 'Item'][0]}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
