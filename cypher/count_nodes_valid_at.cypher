// params: $day
// Valid at $day (docs/graph-schema.md, Time): source dates, then observed intervals.
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` and is left out (`pending`). `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id } + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending
WITH before, COLLECT {
  MATCH (n:Item)
  WHERE size(labels(n)) > 1 AND NOT coalesce(n._load IN pending, false)
  AND (n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
  AND (any(i IN range(0, size(n.observedFrom) - 1)
           WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
       OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))
  UNWIND [l IN labels(n) WHERE l <> 'Item'] AS label
  WITH label, count(*) AS count
  RETURN {label: label, count: count}
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
