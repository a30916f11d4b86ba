// params: (none)
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  MATCH (n:Item)
  WHERE NOT coalesce(n._load IN pending, false)
  UNWIND [l IN labels(n) WHERE l <> 'Item'] AS label
  WITH label, count(*) AS count
  RETURN {label: label, count: count}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
