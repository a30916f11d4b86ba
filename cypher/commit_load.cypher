// params: $load, $datasets, $staged
// The commit point of a load: its datasets' latest dates and labels, its journal deleted, and a
// LoadApply node naming it while its staged updates (if $staged) are applied, in one transaction.
// `committed` is false when the journal is gone and the load did not commit (another process took it
// for dead and rolled it back); a retried commit finds the datasets it marked.
OPTIONAL MATCH (j:LoadJournal {id: $load})
OPTIONAL MATCH (done:Dataset {load: $load})
WITH j, count(done) > 0 AS already
FOREACH (ds IN CASE WHEN j IS NOT NULL THEN $datasets ELSE [] END |
  MERGE (d:Dataset {name: ds.name})
  SET d.latest = ds.latest, d.labels = coalesce(ds.labels, d.labels), d.load = $load)
FOREACH (x IN CASE WHEN j IS NOT NULL AND $staged THEN [j] ELSE [] END |
  MERGE (a:LoadApply {load: $load}) SET a.pid = x.pid, a.host = x.host, a.startedAt = x.startedAt)
WITH j, j IS NOT NULL OR already AS committed
DELETE j
RETURN committed
