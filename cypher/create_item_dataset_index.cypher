// params: (none)
CREATE INDEX item_dataset IF NOT EXISTS FOR (n:Item) ON (n.dataset)
