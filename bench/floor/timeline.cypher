// params: $finess
// The floor of `timeline(finess)`: the dated facts a timeline is made of, as stored: the structure's
// dates and previous versions, its events, its links to other structures with their dates.
MATCH (x:Item {id: $finess})
RETURN toString(x.validFrom) AS validFrom, toString(x.validTo) AS validTo,
       [d IN x.observedFrom | toString(d)] AS observedFrom, [d IN x.observedTo | toString(d)] AS observedTo,
       x._history AS history,
       [(x)-[:RECORDED]->(v) | {id: v.id, code: v.code, date: coalesce(toString(v.validFrom), v.date)}] AS events,
       [(x)-[l:ATTACHED_TO|MEMBER_OF|HEADED_BY|RELATED_TO]-(o) |
        {type: type(l), other: o.id, role: l.role, validFrom: toString(l.validFrom), validTo: toString(l.validTo),
         observedFrom: [d IN l.observedFrom | toString(d)], observedTo: [d IN l.observedTo | toString(d)]}] AS links
