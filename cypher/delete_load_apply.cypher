// params: $load
// Once every staged update of load $load is applied, readers no longer look for them.
MATCH (a:LoadApply {load: $load})
DELETE a
