// params: (none)
MATCH (j:LoadJournal)
RETURN j.id AS id, j.pid AS pid, j.host AS host, toString(j.startedAt) AS startedAt
