// params: $dataset
MATCH (n:Item {dataset: $dataset})
WHERE size(n.observedTo) < size(n.observedFrom)
RETURN n.id AS id
