// params: (none)
MATCH (d:Dataset)
RETURN d.name AS dataset, d.latest AS latest, d.labels AS labels
