"""The one settings object: every setting has a name, a default and a help line."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Seconds: the longest store query of the explorer on national data takes well under one (bench/README.md).
QUERY_TIMEOUT = 10.0
# Three times the national activities file (1.45 GB decompressed) and more: scale 3.0's is 5.4 GB.
MAX_INPUT_BYTES = 8 << 30


def default_store() -> str:
    """Return the default embedded store path, under the user's data directory."""
    return str(Path(platformdirs.user_data_dir("finess-graph")) / "store.pickle")


def default_neo4j_home() -> str:
    """Return `<checkout>/var/neo4j` in a source checkout, else `<user data dir>/finess-graph/neo4j`."""
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file():
        return str(checkout / "var" / "neo4j")
    return str(Path(platformdirs.user_data_dir("finess-graph")) / "neo4j")


class Settings(BaseSettings):
    """Settings read from `FINESS_GRAPH_*` environment variables, overridden by command-line options."""

    model_config = SettingsConfigDict(env_prefix="FINESS_GRAPH_", extra="ignore")

    store: str = Field(
        default_factory=default_store,
        description="Where the graph lives: a file path (embedded store) or a Neo4j URI "
        "(bolt://user:password@host:7687, neo4j://…, neo4j+s://…).",
    )
    dataset_api: str = Field(
        default="https://www.data.gouv.fr/api/1",
        description="Base URL of the data.gouv API that `sync` asks for the latest FINESS+ files.",
    )
    download_dir: str = Field(
        default_factory=lambda: str(Path(platformdirs.user_cache_dir("finess-graph")) / "downloads"),
        description="Where `sync` keeps the files it downloads.",
    )
    state_cache: str = Field(
        default_factory=lambda: str(Path(platformdirs.user_cache_dir("finess-graph")) / "neo4j-states"),
        description="Where a load into Neo4j keeps the item states it leaves (about 75 bytes per item, "
        "one file per database) so that the next load reads them from there rather than from the "
        "database; empty: not kept.",
    )
    neo4j_home: str = Field(
        default_factory=default_neo4j_home,
        description="Home folder of the local Neo4j server of `neo4j start|stop|status`: jars, data, logs.",
    )
    neo4j_port: int = Field(
        default=7687,
        description="Bolt port of the local Neo4j server, on 127.0.0.1 only.",
    )
    neo4j_version: str = Field(
        default="5.26.30",
        description="Version of Neo4j Community that `neo4j start` provisions from Maven Central.",
    )
    host: str = Field(default="127.0.0.1", description="Address `serve` listens on (loopback by default).")
    port: int = Field(default=8000, description="Port `serve` listens on; 0 picks a free one.")
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes `serve` runs, sharing its port (uvicorn workers); each opens the store.",
    )
    query_timeout: float = Field(
        default=QUERY_TIMEOUT,
        gt=0,
        description="Seconds a Neo4j read may run before the server stops it (the API answers 504).",
    )
    max_input_bytes: int = Field(
        default=MAX_INPUT_BYTES,
        gt=0,
        description="The most bytes one file given to `load` may hold once decompressed (8 GiB; the "
        "national activities file holds 1.45 GB): a larger one, a gzip bomb say, is refused.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (CORS); none by default.",
    )
