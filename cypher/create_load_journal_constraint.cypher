// params: (none)
// Every journal has `lock: 'load'`: the constraint lets only one exist, so two loads cannot both start.
CREATE CONSTRAINT load_journal_lock IF NOT EXISTS FOR (j:LoadJournal) REQUIRE j.lock IS UNIQUE
