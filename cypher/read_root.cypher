// params: $finess
// A structure by its FINESS number (its id), or a grouping by its number or its id, read for the
// queries in one round trip (resolve_structure, then read_views, took two).
// Dates come as ISO strings and internal properties are left out (see read_views).
// Readers see the committed state (docs/loading.md, *What readers see*): what a running or dead load
// created carries its journal's id in `_load` (`pending`) and is left out; an item whose committed
// update still waits on a LoadStage node (`applying`) is read from it. `before` and `after`, the
// journal and the datasets' loads read first and last, differ when a load began or committed meanwhile.
// With no load pending or applying (nearly always), the first branch reads as if there were no journal.
WITH COLLECT { MATCH (j:LoadJournal) RETURN j.id }
       + COLLECT { MATCH (d:Dataset) RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS before
WITH before, [x IN before WHERE NOT x CONTAINS '='] AS pending,
     COLLECT { MATCH (a:LoadApply) WHERE a.done IS NULL RETURN a.load } AS applying
WITH before, pending, applying, pending = [] AND applying = [] AS plain
WITH before, COLLECT {
  WITH plain WHERE plain
  OPTIONAL MATCH (n:Item {id: $finess})
  WHERE n:LegalEntity OR n:Establishment OR n:OrganicGrouping OR n:ConventionalGrouping
  OPTIONAL MATCH (c:ConventionalGrouping {finess: $finess})
  OPTIONAL MATCH (o:OrganicGrouping {finess: $finess})
  WITH coalesce(n, c, o) AS x
  WHERE x IS NOT NULL
  RETURN {id: x.id, props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null},
         label: [l IN labels(x) WHERE l <> 'Item'][0]} AS row
  UNION ALL
  WITH pending, applying, plain WHERE NOT plain
  CALL (applying) {
    MATCH (x:Item {id: $finess})
    RETURN x
    UNION
    MATCH (x:ConventionalGrouping {finess: $finess})
    RETURN x
    UNION
    MATCH (x:OrganicGrouping {finess: $finess})
    RETURN x
    UNION
    WITH applying WHERE applying <> []
    MATCH (s:LoadStage {finess: $finess})
    WHERE s._stageLoad IN applying AND s._stageKind = 'node'
    MATCH (x:Item {id: s._stageTarget})
    RETURN x
  }
  WITH x WHERE NOT coalesce(x._load IN pending, false)
  OPTIONAL CALL (x, applying) {
    WITH x WHERE applying <> []
    MATCH (s:LoadStage {_stageTarget: x.id}) WHERE s._stageLoad IN applying
    RETURN s AS x_s LIMIT 1
  }
  WITH x AS live, CASE WHEN x_s IS NULL THEN x ELSE x_s END AS x, CASE WHEN x_s IS NULL THEN labels(x)
         ELSE [l IN labels(x) WHERE NOT l IN x_s._stageLabels] + x_s._stageLabels END AS labels
  WHERE (x.id = $finess AND any(l IN labels WHERE l IN ['LegalEntity', 'Establishment', 'OrganicGrouping', 'ConventionalGrouping']))
     OR (x.finess = $finess AND any(l IN labels WHERE l IN ['ConventionalGrouping', 'OrganicGrouping']))
  WITH x, labels ORDER BY x.id = $finess DESC, 'ConventionalGrouping' IN labels DESC LIMIT 1
  RETURN {id: x.id, props: x {.*, validFrom: toString(x.validFrom), validTo: toString(x.validTo),
         observedFrom: [d IN x.observedFrom | toString(d)], observedTo: [d IN x.observedTo | toString(d)],
         _search: null, _hash: null},
         label: [l IN labels WHERE l <> 'Item'][0]} AS row
} AS rows
RETURN before, rows,
       COLLECT { MATCH (j:LoadJournal) WHERE rows IS NOT NULL RETURN j.id }
       + COLLECT { MATCH (d:Dataset) WHERE rows IS NOT NULL RETURN d.name + '=' + coalesce(d.load, '') ORDER BY d.name } AS after
