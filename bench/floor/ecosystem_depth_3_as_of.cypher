// params: $finess, $day
// The floor of `ecosystem(finess, depth: 3, asOf, relations: [ATTACHED_TO, MEMBER_OF, HEADED_BY, RELATED_TO])`:
// a quantified path whose every relationship and node is valid at $day, DISTINCT ends.
MATCH (r:Item {id: $finess})
  ((a)-[e:ATTACHED_TO|MEMBER_OF|HEADED_BY|RELATED_TO]-(b)
    WHERE all(x IN [e, b] WHERE (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
        AND (any(i IN range(0, size(x.observedFrom) - 1)
                 WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
             OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0])))){0,3} (m)
WITH collect(DISTINCT m) AS found
UNWIND found AS a
RETURN a.id AS id, a.finess AS finess, a.name AS name, [l IN labels(a) WHERE l <> 'Item'][0] AS label,
       [(a)-[e:ATTACHED_TO|MEMBER_OF|HEADED_BY|RELATED_TO]->(b) WHERE b IN found | [type(e), b.id, e.role]] AS out
