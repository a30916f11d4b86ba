// params: (none)
// A load's staged updates, found by the item they update (its id, or a relationship's element id).
CREATE INDEX load_stage IF NOT EXISTS FOR (s:LoadStage) ON (s._stageTarget)
