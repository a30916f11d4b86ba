// params: $finess, $day
// The floor of `organigram(finess, asOf) { tree }` for a grouping: its members, their establishments,
// the establishments' operated activities, valid at $day when given, as one nested value.
MATCH (g:Item {id: $finess})
RETURN g.id AS id, g.name AS name, [(g)<-[r:MEMBER_OF]-(m)
  WHERE $day IS NULL OR all(x IN [r, m] WHERE (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))) |
  {id: m.id, name: m.name, role: r.role,
   children: [(m)<-[a:ATTACHED_TO]-(e) WHERE $day IS NULL OR all(x IN [a, e] WHERE (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))) |
              {id: e.id, name: e.name, children: [(e)-[o:OPERATES]->(t)
                WHERE $day IS NULL OR all(x IN [o, t] WHERE (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))) | {id: t.id, nature: t.nature}]}]
           + [(m)-[o:OPERATES]->(t) WHERE $day IS NULL OR all(x IN [o, t] WHERE (x.validFrom IS NULL OR x.validFrom <= $day) AND (x.validTo IS NULL OR $day < x.validTo)
    AND (any(i IN range(0, size(x.observedFrom) - 1)
             WHERE x.observedFrom[i] <= $day AND (i >= size(x.observedTo) OR $day < x.observedTo[i]))
         OR ((x.validFrom IS NOT NULL OR x.validTo IS NOT NULL) AND $day < x.observedFrom[0]))) | {id: t.id, nature: t.nature}]}]
  AS members
