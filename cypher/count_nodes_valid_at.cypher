// params: $day
// Valid at $day (docs/graph-schema.md, Time): source dates, then observed intervals.
MATCH (n:Item)
WHERE size(labels(n)) > 1
  AND (n.validFrom IS NULL OR n.validFrom <= $day) AND (n.validTo IS NULL OR $day < n.validTo)
  AND (any(i IN range(0, size(n.observedFrom) - 1)
           WHERE n.observedFrom[i] <= $day AND (i >= size(n.observedTo) OR $day < n.observedTo[i]))
       OR ((n.validFrom IS NOT NULL OR n.validTo IS NOT NULL) AND $day < n.observedFrom[0]))
UNWIND [l IN labels(n) WHERE l <> 'Item'] AS label
RETURN label, count(*) AS count
