// params: $after, $limit
// Node states, a page of ids after $after in id order (index-backed), as parallel lists: one record
// per page is several times faster to fetch than one record per node.
MATCH (n:Item)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN collect(n.id) AS ids, collect(coalesce(n._hash, '')) AS hashes,
       collect(coalesce(n.dataset, '')) AS datasets,
       collect(coalesce(size(n.observedTo) < size(n.observedFrom), false)) AS present
