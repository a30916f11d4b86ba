"""A corpus of hostile inputs made, at test time, from the real files of shared/finess.

Bases: the real FINESS+ structures and activities samples (their first legal entities, dated
2026-08-20 so that a store holding them at 2026-08-13 loads them as a newer snapshot), real flux
standard extracts (cs1400102, cs1400105, cs1400109 and the cs1500106 nomenclature) and an etalab
cs1100507 extract written from real values (shared/ has no etalab file: the values are those of the
FINESS sample extracts that tests/unit/test_etalab_csv.py uses). Each base, plain and gzip, is
mutated in the classes of docs/reliability.md: truncated, bit flips (seeded), wrong types, huge
strings, deep nesting, a gzip bomb, invalid UTF-8, duplicate ids, impossible and extreme dates,
coordinates out of range. Nothing is written outside the folder given.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests import factories
from tests.factories import SHARED

SEED = 20261126
LEGACY = SHARED / "finess" / "legacy-samples"
NOMENCLATURES = SHARED / "finess" / "nomenclatures"
BASE_DAY, NEXT_DAY = "2026-08-13", "2026-08-20"
BOMB_BYTES = 10 * 10**9  # what the gzip bomb decompresses to
NAME_DAYS = {
    "cs1400102": "20211214-0336",
    "cs1400105": "20211214-0346",
    "cs1400109": "20211210-0438",
    "cs1500106": "20250526-0337",
}


@dataclass
class Case:
    """One hostile file: its mutation class, its base format and where it is."""

    name: str
    kind: str
    base: str
    path: Path


def _reduced(doc: dict[str, Any], keep: int) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    doc["pmej"] = doc["pmej"][:keep]
    return doc


def json_bases() -> dict[str, dict[str, Any]]:
    """The real FINESS+ samples, cut to their first legal entities."""
    return {
        "structures": _reduced(factories.structures(), 4),
        "activities": _reduced(factories.activities(), 4),
    }


def write_json(doc: dict[str, Any], path: Path, day: str, gz: bool) -> Path:
    """Write a FINESS+ document dated `day`."""
    return factories.write(copy.deepcopy(doc), path, day, gz=gz)


def _etalab() -> bytes:
    from tests.unit.test_etalab_csv import LAMBERT, et, geo

    lines = ["finess;etalab;111;2026-08-20", et(), et(nofinesset="010000032", rs="CH DE NANTUA")]
    lines += [geo("010000024", "872249.7", "6568830.9", LAMBERT), geo("010000032", "893512.1", "6563051.2")]
    return "".join(line + "\n" for line in lines).encode("latin-1")


def text_bases() -> dict[str, bytes]:
    """The XML and CSV bases, as plain bytes."""
    return {
        "cs1400102": (LEGACY / "finess_cs1400102_stock_20211214-0336.xml").read_bytes(),
        "cs1400105": (LEGACY / "finess_cs1400105_stock_20211214-0346.xml").read_bytes(),
        "cs1400109": gzip.decompress((LEGACY / "finess_cs1400109_stock_20211210-0438.xml.gz").read_bytes()),
        "cs1500106": gzip.decompress(
            (NOMENCLATURES / "finess_cs1500106_stock_20250526-0337.xml.gz").read_bytes()
        ),
        "etalab-507": _etalab(),
    }


# -- mutations of parsed JSON --------------------------------------------------------------------

WRONG = (5, "x", {}, [], None, True, [1, "a", {}], {"k": [1]}, 1e300, -0.0, "0000-00-00", [[[]]])


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        doc = doc[step]
    doc[path[-1]] = value


def _fields(doc: Any, names: set[str]) -> list[tuple[Any, ...]]:
    return [p for p in _paths(doc) if p and p[-1] in names]


def json_mutations(doc: dict[str, Any], rng: random.Random) -> Iterator[tuple[str, str, Any]]:
    """Yield (kind, name, document) mutations of a parsed FINESS+ document."""
    paths = [p for p in _paths(doc) if len(p) > 1 and p[0] == "pmej"]
    for i in range(10):
        mutated = copy.deepcopy(doc)
        for path in rng.sample(paths, 3):
            _set(mutated, path, copy.deepcopy(rng.choice(WRONG)))
        yield "wrong types", f"random {i}", mutated
    for top in ("pmej", "gcc", "gco"):
        mutated = copy.deepcopy(doc)
        mutated[top] = {"not": "a list"} if top == "pmej" else 7
        yield "wrong types", f"{top} not a list", mutated
    huge = copy.deepcopy(doc)
    name_paths = _fields(huge, {"denominationPm", "nomEgeCourt", "libelleZI", "numAutorisationArhgos"})
    _set(huge, name_paths[0] if name_paths else ("pmej", 0, "x"), "N" * (20 << 20))
    yield "huge strings", "a 20 MiB name", huge
    for day, label in (
        ("0000-00-00", "0000-00-00"),
        ("9999-12-31", "9999-12-31"),
        ("2021-02-30", "2021-02-30"),
    ):
        mutated = copy.deepcopy(doc)
        for path in _fields(
            mutated,
            {
                "dateOuverture",
                "dateCreation",
                "dateFermeture",
                "dateDebutActiviteAutorisee",
                "dateFinActiviteAutorisee",
                "dateEvenement",
                "dateEffetEngagement",
            },
        ):
            _set(mutated, path, day)
        yield "dates", f"every date {label}", mutated
    for x, y, label in (
        (1e308, -1e308, "1e308"),
        (181.5, 95.0, "beyond 180 and 90"),
        (91.0, 92.0, "latitudes beyond 90"),
        ("NaN", "Infinity", "NaN and Infinity as text"),
        (-999999999.0, 0.0, "far west"),
    ):
        mutated = copy.deepcopy(doc)
        for path in _fields(mutated, {"coordonneeX", "directionLongitude"}):
            _set(mutated, path, x)
        for path in _fields(mutated, {"coordonneeY", "directionLatitude"}):
            _set(mutated, path, y)
        yield "coordinates", label, mutated
    mutated = copy.deepcopy(doc)
    mutated["pmej"] = mutated["pmej"] + [copy.deepcopy(mutated["pmej"][0])]
    yield "duplicate ids", "a legal entity twice", mutated
    mutated = copy.deepcopy(doc)
    first = mutated["pmej"][0]
    for ege in first.get("ege") or ():
        ege.get("informationsGeneralesEGE", {})["numFinessEge"] = "010000024"
    yield "duplicate ids", "establishments sharing a number", mutated


def json_texts(doc: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Yield (kind, name, JSON text) of mutations only expressible as text."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    head, _, tail = text.partition('"pmej": [')
    depth = 100_000
    yield (
        "deep nesting",
        "100,000 nested arrays in pmej",
        head + '"pmej": [' + "[" * depth + "]" * depth + "," + tail,
    )
    yield (
        "deep nesting",
        "100,000 nested objects in pmej",
        head + '"pmej": [' + '{"a":' * depth + "1" + "}" * depth + "," + tail,
    )
    yield "deep nesting", "an unclosed 100,000-deep array", head + '"pmej": [' + "[" * depth
    yield (
        "deep nesting",
        "100,000 nested arrays as a header",
        '{"generatedAt": ' + "[" * depth + "]" * depth + "}",
    )
    yield (
        "wrong types",
        "NaN and Infinity",
        text.replace('"etatObjet": "A"', '"etatObjet": NaN', 1).replace(
            '"generatedAt"', '"x": Infinity, "generatedAt"', 1
        ),
    )
    yield (
        "wrong types",
        "a number beyond 64 bits",
        text.replace('"etatObjet": "A"', '"etatObjet": 123456789012345678901234567890', 1),
    )
    yield "duplicate ids", "duplicate keys", text.replace('"generatedAt"', '"pmej": [], "generatedAt"', 1)
    for day in ("0000-00-00", "9999-12-31"):
        yield (
            "dates",
            f"generatedAt {day}",
            text.replace(f'"generatedAt": "{NEXT_DAY}', f'"generatedAt": "{day}', 1),
        )
    yield (
        "dates",
        "generatedAt older than the store's",
        text.replace(f'"generatedAt": "{NEXT_DAY}', '"generatedAt": "2026-08-01', 1),
    )


# -- mutations of bytes -----------------------------------------------------------------------


def truncations(data: bytes) -> Iterator[tuple[str, bytes]]:
    for fraction in (0.25, 0.5, 0.999):
        yield f"cut at {fraction:.1%}", data[: int(len(data) * fraction)]


def bit_flips(data: bytes, rng: random.Random, count: int) -> Iterator[tuple[str, bytes]]:
    for i in range(count):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(flipped))
            flipped[pos] ^= 1 << rng.randrange(8)
        yield f"flips {i}", bytes(flipped)


def invalid_utf8(data: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    for i, bad in enumerate((b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80")):
        pos = rng.randrange(len(data) // 4, len(data))
        yield f"bytes {bad!r} at {pos}", data[:pos] + bad + data[pos:]
        if i == 1:
            yield "invalid byte in the first 64 KiB", data[:40] + b"\xff" + data[40:]


def gzip_bomb(path: Path, prefix: bytes, filler: bytes, total: int = BOMB_BYTES) -> Path:
    """Write a gzip file that decompresses to `prefix` then `total` bytes of `filler`, streaming.

    One gzip member of 100 MB of filler is compressed once and repeated: gzip readers decompress
    concatenated members one after the other, so the file is a few MB.
    """
    block = 100 * 10**6
    with path.open("wb") as out:
        out.write(gzip.compress(prefix, 9))
        member = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = filler * (block // len(filler))
        one = member.compress(chunk) + member.flush()
        for _ in range(total // len(chunk)):
            out.write(one)
    return path


def build(folder: Path) -> list[Case]:
    """Write the whole corpus under `folder`; return its cases."""
    rng = random.Random(SEED)
    cases: list[Case] = []
    folder.mkdir(parents=True, exist_ok=True)

    def add(kind: str, base: str, name: str, data: bytes, suffix: str, gz: bool) -> None:
        ext = f"{suffix}.gz" if gz else suffix
        slug = "".join(c if c.isalnum() else "-" for c in f"{base} {kind} {name}").strip("-")
        # A flux file without <horodatage> is dated by its name, as the official ones are.
        dated = f"_stock_{NAME_DAYS[base]}" if base in NAME_DAYS else ""
        path = folder / f"{len(cases):03d}-{slug[:80]}{dated}{ext}"
        path.write_bytes(gzip.compress(data, 6) if gz else data)
        cases.append(Case(f"{base}{' gz' if gz else ''}: {name}", kind, base, path))

    for base, doc in json_bases().items():
        doc["generatedAt"] = f"{NEXT_DAY}T02:00:00.000000000Z"
        text = json.dumps(doc, ensure_ascii=False, indent=1).encode()
        for gz in (False, True):
            for name, data in truncations(text):
                add("truncated", base, name, data, ".json", gz)
        compressed = gzip.compress(text, 6)
        for name, data in list(truncations(compressed))[1:2]:  # the gzip bytes cut: a corrupt gzip
            add("truncated", base, f"gzip {name}", data, ".json.gz", False)
        for name, data in bit_flips(text, rng, 8):
            add("bit flips", base, name, data, ".json", False)
        for name, data in bit_flips(compressed, rng, 4):
            add("bit flips", base, f"gzip {name}", data, ".json.gz", False)
        for kind, name, mutated in json_mutations(doc, rng):
            add(
                kind,
                base,
                name,
                json.dumps(mutated, ensure_ascii=False).encode(),
                ".json",
                name.startswith("random 1"),
            )
        for kind, name, mutated_text in json_texts(doc):
            add(kind, base, name, mutated_text.encode(), ".json", False)
        for name, data in invalid_utf8(text, rng):
            add("invalid UTF-8", base, name, data, ".json", False)
    for base, data in text_bases().items():
        suffix = ".csv" if base.startswith("etalab") else ".xml"
        for gz in (False, True):
            for name, cut in truncations(data):
                add("truncated", base, name, cut, suffix, gz)
        for name, flipped in bit_flips(data, rng, 6):
            add("bit flips", base, name, flipped, suffix, name.endswith("0"))
        for name, bad in invalid_utf8(data, rng):
            add("invalid UTF-8", base, name, bad, suffix, False)
        add("huge strings", base, "a 20 MiB value", _huge(data, suffix), suffix, False)
        add("duplicate ids", base, "every record twice", _twice(data, suffix), suffix, False)
        for day in ("0000-00-00", "9999-12-31", "2021-02-30"):
            add("dates", base, f"every date {day}", _dates(data, day), suffix, False)
        if suffix == ".xml":
            add("deep nesting", base, "100,000 nested elements", _nested_xml(data), suffix, False)
        if base in ("cs1400109", "etalab-507"):
            for value in ("1e999", "nan", "-inf", "99999999999"):
                add(
                    "coordinates",
                    base,
                    f"coordinates {value}",
                    _coordinates(data, suffix, value),
                    suffix,
                    False,
                )
        add("wrong types", base, "letters in numbers", _letters(data), suffix, False)
    bomb = folder / "bomb-zeros.json.gz"
    cases.append(Case("10 GB of zeros", "gzip bomb", "any", gzip_bomb(bomb, b"", b"\0" * 1024)))
    json_head = f'{{"generatedAt": "{NEXT_DAY}T02:00:00Z", "pmej": ['.encode()
    cases.append(
        Case(
            "FINESS+ head, then 10 GB of spaces",
            "gzip bomb",
            "structures",
            gzip_bomb(folder / "bomb-spaces.json.gz", json_head, b" " * 1024),
        )
    )
    cases.append(
        Case(
            "FINESS+ head, then a 10 GB string",
            "gzip bomb",
            "structures",
            gzip_bomb(folder / "bomb-string.json.gz", json_head + b'{"x": "', b"A" * 1024),
        )
    )
    cases.append(
        Case(
            "etalab line 1, then a 10 GB line",
            "gzip bomb",
            "etalab-507",
            gzip_bomb(
                folder / "bomb-line.csv.gz", b"finess;etalab;111;2026-08-20\nstructureet;", b"A" * 1024
            ),
        )
    )
    xml_head = (
        b'<?xml version="1.0" encoding="UTF-8"?><fluxfiness><structureet>'
        b"<nofinesset>010000024</nofinesset><rs>"
    )
    cases.append(
        Case(
            "flux head, then a 10 GB leaf",
            "gzip bomb",
            "cs1400102",
            gzip_bomb(folder / "bomb-leaf_stock_20211214-0336.xml.gz", xml_head, b"A" * 1024),
        )
    )
    return cases


def _text_fields(data: bytes, suffix: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of values: XML leaf texts, CSV fields of data lines."""
    spans = []
    if suffix == ".xml":
        pos = 0
        while (start := data.find(b">", pos)) != -1:
            end = data.find(b"<", start)
            if end == -1:
                break
            if end - start > 1 and data[start + 1 : end].strip():
                spans.append((start + 1, end))
            pos = end
    else:
        offset = 0
        for n, line in enumerate(data.split(b"\n")):
            if n > 0 and line:
                col = 0
                for field in line.split(b";"):
                    if col:
                        spans.append((offset + col, offset + col + len(field)))
                    col += len(field) + 1
            offset += len(line) + 1
    return spans


def _replace_spans(data: bytes, spans: list[tuple[int, int]], value: Callable[[bytes], bytes]) -> bytes:
    out, pos = [], 0
    for start, end in spans:
        out += [data[pos:start], value(data[start:end])]
        pos = end
    return b"".join([*out, data[pos:]])


def _huge(data: bytes, suffix: str) -> bytes:
    start, end = _text_fields(data, suffix)[3]
    return data[:start] + b"A" * (20 << 20) + data[end:]


def _twice(data: bytes, suffix: str) -> bytes:
    if suffix == ".csv":
        lines = data.split(b"\n")
        return b"\n".join([lines[0], *lines[1:], *lines[1:]])
    start = data.find(b">", data.find(b"<fluxfiness")) + 1
    end = data.rfind(b"</fluxfiness>")
    return data[:end] + data[start:end] + data[end:]


def _dates(data: bytes, day: str) -> bytes:
    import re

    return re.sub(rb"\b\d{4}-\d{2}-\d{2}\b", day.encode(), data)


def _nested_xml(data: bytes) -> bytes:
    end = data.find(b"</", data.find(b"<", data.find(b"<fluxfiness") + 1) + 1)
    return data[:end] + b"<a>" * 100_000 + b"</a>" * 100_000 + data[end:]


def _coordinates(data: bytes, suffix: str, value: str) -> bytes:
    import re

    if suffix == ".xml":
        return re.sub(rb"<coord([xy])et>[^<]*</coord", b"<coord\\1et>" + value.encode() + b"</coord", data)
    lines = []
    for line in data.split(b"\n"):
        if line.startswith(b"geolocalisation;"):
            parts = line.split(b";")
            parts[2] = parts[3] = value.encode()
            line = b";".join(parts)
        lines.append(line)
    return b"\n".join(lines)


def _letters(data: bytes) -> bytes:
    return _replace_spans(
        data,
        _text_fields(data, ".xml" if data.lstrip().startswith(b"<") else ".csv"),
        lambda v: b"x" + v[::-1] if v[:1].isdigit() else v,
    )
