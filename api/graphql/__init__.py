"""The GraphQL API: schema, per-request context and its HTTP router."""
