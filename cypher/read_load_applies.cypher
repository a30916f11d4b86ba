// params: (none)
// Committed loads with staged updates: not all applied yet (`done` false), or applied and left for the
// next load to delete.
MATCH (a:LoadApply)
RETURN a.load AS id, a.pid AS pid, a.host AS host, toString(a.startedAt) AS startedAt,
       coalesce(a.done, false) AS done
