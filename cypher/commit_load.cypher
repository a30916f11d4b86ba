// params: $load, $datasets
// The commit point of a load: its datasets' latest dates and labels, and its journal deleted, in one
// transaction. `committed` is false when the journal is gone and the load did not commit (another
// process took it for dead and rolled it back); a retried commit finds the datasets it marked.
OPTIONAL MATCH (j:LoadJournal {id: $load})
OPTIONAL MATCH (done:Dataset {load: $load})
WITH j, count(done) > 0 AS already
FOREACH (ds IN CASE WHEN j IS NOT NULL THEN $datasets ELSE [] END |
  MERGE (d:Dataset {name: ds.name})
  SET d.latest = ds.latest, d.labels = coalesce(ds.labels, d.labels), d.load = $load)
WITH j, j IS NOT NULL OR already AS committed
DELETE j
RETURN committed
