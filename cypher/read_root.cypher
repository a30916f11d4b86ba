// params: $finess
// A structure by its FINESS number (its id), or a grouping by its number or its id, read for the
// queries in one round trip (resolve_structure, then read_views, took two).
// Dates come as ISO strings and internal properties are left out (see read_views).
OPTIONAL MATCH (n:Item {id: $finess})
WHERE n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
OPTIONAL MATCH (c:ConventionalGrouping {finess: $finess})
OPTIONAL MATCH (o:OrganicGrouping {finess: $finess})
WITH coalesce(n, c, o) AS x
WHERE x IS NOT NULL
RETURN x.id AS id, x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null} AS props,
       [l IN labels(x) WHERE l <> 'Item'][0] AS label
