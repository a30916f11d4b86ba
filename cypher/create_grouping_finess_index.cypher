// params: (none)
CREATE INDEX grouping_finess IF NOT EXISTS FOR (n:ConventionalGrouping) ON (n.finess)
