// params: $load
MATCH (j:LoadJournal {id: $load})
DELETE j
