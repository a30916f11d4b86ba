// params: (none)
// The load that last wrote each item (`_load`): a dead load's items are found by it when rolled back.
CREATE INDEX item_load IF NOT EXISTS FOR (n:Item) ON (n._load)
