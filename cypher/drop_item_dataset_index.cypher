// params: (none)
// An index on every item's `dataset` that no statement used (created up to 2026-11-27): each node a
// load created also wrote an entry in it. Dropped from databases that still have it.
DROP INDEX item_dataset IF EXISTS
