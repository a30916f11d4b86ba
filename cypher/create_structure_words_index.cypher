// params: (none)
// The words a structure is found by (`_search`: names and numbers folded by graph/queries.py, so
// that both stores split words alike), matched by prefix; the whitespace analyzer keeps them as is.
CREATE FULLTEXT INDEX structure_words IF NOT EXISTS
FOR (n:LegalEntity|Establishment|OrganicGrouping|ConventionalGrouping) ON EACH [n._search]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}
