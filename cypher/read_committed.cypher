// params: $load
// Whether load $load committed (its datasets carry its id), for a load whose commit got no answer.
OPTIONAL MATCH (d:Dataset {load: $load})
RETURN count(d) > 0 AS committed
