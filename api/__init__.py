"""The interfaces over a GraphStore: the command line (and, later, GraphQL and REST)."""
