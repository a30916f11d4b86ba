"""The race of issue 6: against @neo4j/graphql, the raw driver and neo4j-admin import (bench/run)."""
