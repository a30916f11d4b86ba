// params: $finess, $types, $keys, $dated, $history
// An ecosystem's root and its first level in one round trip: the structure with this number (or the
// grouping with this number or id) as read_root reads it, and its relationships of $types in both
// directions with their other ends, each row as read_neighbour_keys gives it.
// Readers see the committed state as read_root tells; while a load is pending or applying, no row
// comes: the caller then reads them apart (read_root, read_neighbour_keys), which know staged items.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id }
       + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending,
     COLLECT { MATCH (a:LoadApply) WHERE a.done IS NULL RETURN a.load } AS applying
WITH before, pending = [] AND applying = [] AS plain
WITH before, COLLECT {
  WITH plain WHERE plain
  OPTIONAL MATCH (n:Item {id: $finess})
  WHERE n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
  OPTIONAL MATCH (g:ConventionalGrouping {finess: $finess})
  OPTIONAL MATCH (o:OrganicGrouping {finess: $finess})
  WITH coalesce(n, g, o) AS x
  RETURN {root: CASE WHEN x IS NULL THEN null ELSE
                 {props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
                       observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
                       _search: null, _hash: null},
                  label: [l IN labels(x) WHERE l <> 'Item'][0]} END,
          rows: COLLECT {
            MATCH (x)-[r:$any($types)]-(m:Item)
            WHERE size(labels(m)) > 1 AND NOT (type(r) IN ['RECORDED', 'HAS_ADDRESS'] AND endNode(r) = x)
            WITH x, r, m, [l IN labels(m) WHERE l <> 'Item'][0] AS label
            RETURN [x.id, type(r), startNode(r) = x, CASE WHEN $history OR type(r) IN $dated THEN [toString(r.validFrom), toString(r.validTo)] END, [k IN coalesce($keys[type(r)], []) | r[k]],
                    m.id, CASE WHEN $history OR label IN $dated THEN [toString(m.validFrom), toString(m.validTo)] END, [k IN coalesce($keys[label], []) | m[k]], label,
                    CASE WHEN $history THEN [[d IN r.observedFrom | toString(d)], [d IN r.observedTo | toString(d)], r._history,
                                             [d IN m.observedFrom | toString(d)], [d IN m.observedTo | toString(d)], m._history] END]
          }} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
