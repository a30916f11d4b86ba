"""The one settings object: every setting has a name, a default and a help line."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_store() -> str:
    """Return the default embedded store path, under the user's data directory."""
    return str(Path(platformdirs.user_data_dir("finess-graph")) / "store.pickle")


class Settings(BaseSettings):
    """Settings read from `FINESS_GRAPH_*` environment variables, overridden by command-line options."""

    model_config = SettingsConfigDict(env_prefix="FINESS_GRAPH_", extra="ignore")

    store: str = Field(
        default_factory=default_store,
        description="Where the graph lives: a file path for the embedded store.",
    )
    dataset_api: str = Field(
        default="https://www.data.gouv.fr/api/1",
        description="Base URL of the data.gouv API that `sync` asks for the latest FINESS+ files.",
    )
    download_dir: str = Field(
        default_factory=lambda: str(Path(platformdirs.user_cache_dir("finess-graph")) / "downloads"),
        description="Where `sync` keeps the files it downloads.",
    )
