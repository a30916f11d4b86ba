// params: (none)
// Every structure's `_search` now holds its place words: searches in a place may use them.
MERGE (:PlaceWords)
