// params: (none)
// Whether every structure's `_search` holds its place words (add_place_words), as the full-text
// search in a place assumes: a database written before them gets them on its next load.
RETURN EXISTS { MATCH (:PlaceWords) } AS ready
