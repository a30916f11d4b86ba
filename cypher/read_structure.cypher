// params: $id
// A structure and its direct relationships; the caller applies the as-of rule to each.
// Dates come as ISO strings and internal properties are left out: converting Neo4j dates in
// Python took a large share of a traversal's time.
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
  MATCH (n:Item {id: $id})
  OPTIONAL MATCH (n)-[r]-(m:Item)
  WHERE size(labels(m)) > 1
  WITH n, collect(CASE WHEN r IS NULL THEN NULL ELSE {
         type: type(r), props: r {.*, validFrom: toString(r.validFrom), validTo: toString(r.validTo),
         observedFrom: [d IN r.observedFrom | toString(d)], observedTo: [d IN r.observedTo | toString(d)],
         _search: null, _hash: null}, outgoing: startNode(r) = n,
         other: m {.*, validFrom: toString(m.validFrom), validTo: toString(m.validTo),
         observedFrom: [d IN m.observedFrom | toString(d)], observedTo: [d IN m.observedTo | toString(d)],
         _search: null, _hash: null}, otherLabel: [l IN labels(m) WHERE l <> 'Item'][0]} END) AS edges
  RETURN {node: n {.*, validFrom: toString(n.validFrom), validTo: toString(n.validTo),
         observedFrom: [d IN n.observedFrom | toString(d)], observedTo: [d IN n.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels(n) WHERE l <> 'Item'][0], edges: edges} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  MATCH (n:Item {id: $id})
  WHERE NOT coalesce(n._load IN pending, false)
  OPTIONAL CALL (n, applying) {
    WITH n WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: n.id}) WHERE s._stageLoad IN applying
    RETURN s AS n_s LIMIT 1
  }
  WITH n, CASE WHEN n_s IS NULL THEN n ELSE n_s END AS x, CASE WHEN n_s IS NULL THEN labels(n)
         ELSE [l IN labels(n) WHERE NOT l IN n_s._stageLabels] + n_s._stageLabels END AS labels, applying, pending
  OPTIONAL MATCH (n)-[r]-(m:Item)
  WHERE NOT coalesce(r._load IN pending, false) AND NOT coalesce(m._load IN pending, false)
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
  WITH n, x, labels, r, CASE WHEN r_s IS NULL THEN r ELSE r_s END AS e, CASE WHEN m_s IS NULL THEN m ELSE m_s END AS o, CASE WHEN m_s IS NULL THEN labels(m)
         ELSE [l IN labels(m) WHERE NOT l IN m_s._stageLabels] + m_s._stageLabels END AS other
  WITH x, labels, collect(CASE WHEN r IS NULL OR size(other) < 2 THEN NULL ELSE {
         type: type(r), props: e {.*, validFrom: toString(e.validFrom), validTo: toString(e.validTo),
         observedFrom: [d IN e.observedFrom | toString(d)], observedTo: [d IN e.observedTo | toString(d)],
         _search: null, _hash: null}, outgoing: startNode(r) = n,
         other: o {.*, validFrom: toString(o.validFrom), validTo: toString(o.validTo),
         observedFrom: [d IN o.observedFrom | toString(d)], observedTo: [d IN o.observedTo | toString(d)],
         _search: null, _hash: null}, otherLabel: [l IN other WHERE l <> 'Item'][0]} END) AS edges
  RETURN {node: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null}, label: [l IN labels WHERE l <> 'Item'][0], edges: edges} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
