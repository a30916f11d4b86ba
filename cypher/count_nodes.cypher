// params: (none)
MATCH (n:Item)
UNWIND [l IN labels(n) WHERE l <> 'Item'] AS label
RETURN label, count(*) AS count
