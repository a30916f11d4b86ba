// params: (none)
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  MATCH (a:Item)-[r]->(b:Item)
  WHERE size(labels(a)) > 1 AND size(labels(b)) > 1 AND NOT coalesce(a._load IN pending, false) AND NOT coalesce(r._load IN pending, false) AND NOT coalesce(b._load IN pending, false)
  WITH type(r) AS type, count(*) AS count
  RETURN {type: type, count: count}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
