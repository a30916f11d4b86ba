"""Print the GraphQL schema's SDL: `python -m api.graphql.sdl > docs/schema.graphql`."""

from __future__ import annotations

from api.graphql.schema import create_schema


def sdl() -> str:
    """Return the schema in the GraphQL schema definition language, as committed in docs/."""
    return create_schema().as_str() + "\n"


if __name__ == "__main__":
    print(sdl(), end="")
