// params: $finess
// The floor of `ecosystem(finess, depth: 1, relations: [ATTACHED_TO, MEMBER_OF, HEADED_BY, RELATED_TO])`:
// every structure within 1 hops (a pruning breadth-first expansion: DISTINCT ends), with the
// relationships between them.
MATCH (r:Item {id: $finess})-[:ATTACHED_TO|MEMBER_OF|HEADED_BY|RELATED_TO*0..1]-(m)
WITH collect(DISTINCT m) AS found
UNWIND found AS a
RETURN a.id AS id, a.finess AS finess, a.name AS name, [l IN labels(a) WHERE l <> 'Item'][0] AS label,
       [(a)-[e:ATTACHED_TO|MEMBER_OF|HEADED_BY|RELATED_TO]->(b) WHERE b IN found | [type(e), b.id, e.role]] AS out
