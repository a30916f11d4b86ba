// params: (none)
// Every relationship's identity, content hash, dataset and presence: read once at the start of a load.
MATCH (a:Item)-[r]->(b:Item)
RETURN type(r) + '|' + a.id + '|' + b.id + '|' + r.key AS ident, r._hash AS hash, r.dataset AS dataset,
       size(r.observedTo) < size(r.observedFrom) AS present, elementId(r) AS rid
