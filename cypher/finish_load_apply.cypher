// params: $load
// Every staged update of load $load is applied: readers stop reading items from its stages. The
// stages stay until the next load has written its journal (delete_load_stages): a reader that
// decided to read them before this point may still be reading them, and that journal makes it ask again.
MATCH (a:LoadApply {load: $load})
SET a.done = true
