// params: (none)
// Every node's content hash, dataset and presence: read once at the start of a load.
MATCH (n:Item)
RETURN n.id AS id, n._hash AS hash, n.dataset AS dataset, size(n.observedTo) < size(n.observedFrom) AS present
