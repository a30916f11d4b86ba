// params: $ids, $types, $direction
// The relationships of these types of each node, with the node at the other end; a relationship to
// a leaf (an Event, an Address) is listed from its owner only; $direction `out` keeps those leaving
// the node, `in` those coming to it, `both` all. The caller applies the as-of rule.
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time. read_neighbour_keys reads only some properties.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` (`pending`) and is left out; an item whose committed
// update still waits on a LoadStage node (`applying`) is read from it. `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
// With no load pending or applying (nearly always), the first branch reads as if there were no journal.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id }
       + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending,
     COLLECT { MATCH (a:LoadApply) WHERE a.done IS NULL RETURN a.load } AS applying
WITH before, pending, applying, pending = [] AND applying = [] AS plain
WITH before, COLLECT {
  WITH plain WHERE plain
  UNWIND $ids AS id
  MATCH (n:Item {id: id})-[r:$any($types)]-(m:Item)
  WHERE size(labels(m)) > 1 AND NOT (type(r) IN ['RECORDED', 'HAS_ADDRESS'] AND endNode(r) = n)
    AND ($direction = 'both' OR (startNode(r) = n) = ($direction = 'out'))
  RETURN {id: id, type: type(r), outgoing: startNode(r) = n, rel: r {.*, validFrom: toString(r.validFrom), validTo: toString(r.validTo),
         observedFrom: [d IN r.observedFrom | toString(d)], observedTo: [d IN r.observedTo | toString(d)],
         _search: null, _hash: null},
         other: m {.*, validFrom: toString(m.validFrom), validTo: toString(m.validTo),
         observedFrom: [d IN m.observedFrom | toString(d)], observedTo: [d IN m.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(m) WHERE l <> 'Item'][0]} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  UNWIND $ids AS id
  MATCH (n:Item {id: id})-[r:$any($types)]-(m:Item)
  WHERE NOT (type(r) IN ['RECORDED', 'HAS_ADDRESS'] AND endNode(r) = n)
    AND ($direction = 'both' OR (startNode(r) = n) = ($direction = 'out'))
    AND NOT coalesce(n._load IN pending, false) AND NOT coalesce(r._load IN pending, false) AND NOT coalesce(m._load IN pending, false)
  OPTIONAL CALL (m, applying) {
    WITH m WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: m.id}) WHERE s._stageLoad IN applying
    RETURN s AS m_s LIMIT 1
  }
  OPTIONAL CALL (r, applying) {
    WITH r WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: elementId(r)}) WHERE s._stageLoad IN applying
    RETURN s AS r_s LIMIT 1
  }
  WITH id, n, r, CASE WHEN r_s IS NULL THEN r ELSE r_s END AS e, CASE WHEN m_s IS NULL THEN m ELSE m_s END AS o, CASE WHEN m_s IS NULL THEN labels(m)
         ELSE [l IN labels(m) WHERE NOT l IN m_s._stageLabels] + m_s._stageLabels END AS labels
  WHERE size(labels) > 1
  RETURN {id: id, type: type(r), outgoing: startNode(r) = n, rel: e {.*, validFrom: toString(e.validFrom), validTo: toString(e.validTo),
         observedFrom: [d IN e.observedFrom | toString(d)], observedTo: [d IN e.observedTo | toString(d)],
         _search: null, _hash: null},
         other: o {.*, validFrom: toString(o.validFrom), validTo: toString(o.validTo),
         observedFrom: [d IN o.observedFrom | toString(d)], observedTo: [d IN o.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels WHERE l <> 'Item'][0]} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
