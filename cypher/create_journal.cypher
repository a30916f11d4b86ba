// params: $load, $pid, $host
// Fails on the constraint `load_journal_lock` when another load's journal exists.
CREATE (:LoadJournal {lock: 'load', id: $load, pid: $pid, host: $host, startedAt: datetime()})
