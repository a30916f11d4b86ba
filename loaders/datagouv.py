"""Find and download the latest FINESS+ daily files through the data.gouv API."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tqdm import tqdm

from graph.errors import FinessGraphError

DATASETS = {"finess-structures-1": "structures", "finess-activites-1": "activites"}
DAILY = re.compile(r"finess-(structures|activites)-journalier-(\d{8})\.json(\.gz)?$")
TIMEOUT = 60


def _get_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FinessGraphError(f"cannot read the data.gouv API at {url} ({exc})") from exc


def latest_resource(api: str, dataset: str) -> dict[str, Any]:
    """Return the dataset's resource that is the latest daily file, by the date in its name."""
    url = f"{api.rstrip('/')}/datasets/{dataset}/"
    body = _get_json(url)
    found: list[tuple[str, dict[str, Any]]] = []
    for resource in body.get("resources", []) if isinstance(body, dict) else []:
        for text in (resource.get("title") or "", (resource.get("url") or "").rsplit("/", 1)[-1]):
            m = DAILY.search(text)
            if m:
                found.append((m.group(2), resource))
                break
    if not found:
        raise FinessGraphError(f"{url}: no daily FINESS+ file (finess-…-journalier-AAAAMMJJ.json.gz) listed")
    return max(found, key=lambda pair: pair[0])[1]


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download(resource: dict[str, Any], folder: Path) -> Path:
    """Download a resource into `folder` with a progress bar and check its published checksum."""
    url = resource["url"]
    name = url.rsplit("/", 1)[-1] or f"{resource.get('id', 'resource')}.json.gz"
    target = folder / name
    checksum = resource.get("checksum") or {}
    algorithm, expected = str(checksum.get("type") or "").lower(), str(checksum.get("value") or "")
    if algorithm and algorithm not in hashlib.algorithms_available:
        raise FinessGraphError(f"{url}: unknown checksum type {algorithm!r}")
    if target.exists() and expected and _digest(target, algorithm) == expected.lower():
        return target  # already downloaded and intact
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response, partial.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(
                total=total, unit="B", unit_scale=True, desc=name, disable=None, file=sys.stderr
            ) as bar:
                for block in iter(lambda: response.read(1 << 20), b""):
                    out.write(block)
                    bar.update(len(block))
    except (urllib.error.URLError, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise FinessGraphError(f"cannot download {url} ({exc})") from exc
    if expected:
        actual = _digest(partial, algorithm)
        if actual != expected.lower():
            partial.unlink(missing_ok=True)
            raise FinessGraphError(
                f"{url}: the download's {algorithm} is {actual}, the published one {expected}; not loaded"
            )
    os.replace(partial, target)
    return target


def download_latest(api: str, folder: Path) -> list[Path]:
    """Download the latest daily structures and activities files; return their local paths."""
    return [download(latest_resource(api, dataset), folder) for dataset in DATASETS]
