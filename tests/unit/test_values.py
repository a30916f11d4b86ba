"""What the loaders do with values: valid-time bounds checked once per day, fields kept or left out."""

from __future__ import annotations

from typing import Any

from graph.model import Edge, LoadReport, Node
from loaders.finess_plus_fields import pick
from loaders.values import checked


def _checked(records: list[Node | Edge]) -> tuple[list[Node | Edge], LoadReport]:
    report = LoadReport(file="f.json")
    return list(checked(iter(records), report)), report


def test_a_bad_valid_time_bound_is_dropped_each_time_even_after_good_ones() -> None:
    bad: list[Any] = ["2026-02-30", "0000-00-00", "2026-1-01", ["2020-01-01"], 20200101, {"d": 1}]
    records: list[Node | Edge] = [Node("a", "Event", {}, "2020-01-01", "2021-01-01")]
    records += [Node(f"b{i}", "Event", {}, value, "2021-01-01") for i, value in enumerate(bad)]
    records += [Edge("RECORDED", "a", "b0", {}, "2020-01-01", value) for value in bad]
    records.append(Node("c", "Event", {}, "2020-01-01", None))

    out, report = _checked(records)

    assert out[0] == records[0]
    assert out[-1] == records[-1]
    for rec in out[1 : 1 + len(bad)]:
        assert (rec.valid_from, rec.valid_to) == (None, "2021-01-01")
    for rec in out[1 + len(bad) : -1]:
        assert (rec.valid_from, rec.valid_to) == ("2020-01-01", None)
    assert report.warning_counts == {"bad-date": 2 * len(bad)}


def test_pick_leaves_out_empty_values_only() -> None:
    src = {"a": None, "b": "", "c": [], "d": 0, "e": False, "f": "x", "g": [1, None, {"x": 1}], "h": {}}
    report = LoadReport(file="f.json")

    props = pick(src, {"d": "zero", "e": "no", "f": "text", "g": "list"}, {}, "$", report)

    assert props == {"zero": 0, "no": False, "text": "x", "list": [1]}
    assert report.warning_counts == {"unknown-field": 1}  # `h`, an object: not kept
