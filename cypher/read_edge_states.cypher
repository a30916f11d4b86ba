// params: $after, $limit
// The states of the relationships leaving a page of nodes (ids after $after, in id order), as
// parallel lists; `last` is the page's last node id, whether or not it has relationships.
MATCH (a:Item)
WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $limit
WITH collect(a) AS page
UNWIND page AS a
OPTIONAL MATCH (a)-[r]->(b:Item)
RETURN last(page).id AS last,
       collect(type(r) + '|' + a.id + '|' + b.id + '|' + r.key) AS idents,
       collect(r._hash) AS hashes, collect(r.dataset) AS datasets,
       collect(size(r.observedTo) < size(r.observedFrom)) AS present
