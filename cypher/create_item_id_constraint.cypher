// params: (none)
// Every node also carries the label Item, whose unique `id` index serves every lookup by id.
CREATE CONSTRAINT item_id IF NOT EXISTS FOR (n:Item) REQUIRE n.id IS UNIQUE
