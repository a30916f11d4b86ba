// params: $dataset, $date, $labels
MERGE (d:Dataset {name: $dataset})
SET d.latest = $date, d.labels = coalesce($labels, d.labels)
