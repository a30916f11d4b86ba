// params: (none)
// What names the committed content of the database, for the loader's state cache
// (graph/state_cache.py): the database's id, then each dataset with the load that last wrote it
// (a load writes its id there at its commit point). No dataset: an empty mark, never cached.
CALL db.info() YIELD id
WITH id, COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS marks
RETURN CASE WHEN marks = [] THEN '' ELSE id + '|' + reduce(s = '', m IN marks | s + m + ';') END AS mark
