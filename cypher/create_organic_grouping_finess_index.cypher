// params: (none)
CREATE INDEX organic_grouping_finess IF NOT EXISTS FOR (n:OrganicGrouping) ON (n.finess)
