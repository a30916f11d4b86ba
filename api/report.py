"""Human-readable output of the command line: load summaries and structure listings."""

from __future__ import annotations

from typing import Any, TextIO

from graph.labels import Labels
from graph.queries import edge_key
from graph.store import LoadResult, StructureView

# Which label table names the codes of a property.
CODED = {"category": "category", "legalStatus": "legal_status", "role": "member_role"}


def coded(props: dict[str, Any], labels: Labels) -> dict[str, str]:
    """Return the labels of the coded properties of `props` whose code is known."""
    found = {}
    for key, table in CODED.items():
        if key in props:
            label = labels.label(table, str(props[key]))
            if label:
                found[key] = label
    return found


def print_load_summary(result: LoadResult, seconds: float, out: TextIO) -> None:
    """Print what each file brought, what changed in the store, and every kind of warning."""
    for change, report in zip(result.changes, result.reports, strict=False):
        print(f"{report.file}", file=out)
        if change.skipped_as_loaded:
            print(
                f"  {change.dataset} snapshot {change.snapshot} already loaded: nothing changed",
                file=out,
            )
            continue
        print(f"  {change.dataset} snapshot {change.snapshot}", file=out)
        for what, n in report.counts.items():
            print(f"  {what}: {n:,}", file=out)
        print(
            f"  store: {change.added:,} added, {change.changed:,} changed, {change.closed:,} closed, "
            f"{change.reopened:,} reopened, {change.unchanged:,} unchanged",
            file=out,
        )
        print(f"  skipped: {report.skipped:,}", file=out)
        if report.warning_counts:
            kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(report.warning_counts.items()))
            print(f"  warnings: {kinds}", file=out)
            for line in report.warnings:
                print(f"    {line}", file=out)
    if result.dangling:
        print(
            f"relationships to structures absent from the store: {result.dangling:,} "
            f"(e.g. {', '.join(result.dangling_examples)})",
            file=out,
        )
    print(f"done in {seconds:.1f} s", file=out)


def structure_json(view: StructureView, labels: Labels) -> dict[str, Any]:
    """Return a structure and its direct relationships as plain JSON-able data, with code labels."""

    def node(n: Any) -> dict[str, Any]:
        return {
            "id": n.id,
            "label": n.label,
            "validFrom": n.valid_from,
            "validTo": n.valid_to,
            "observed": n.observed,
            "versions": n.versions,
            "properties": n.props,
            "labels": coded(n.props, labels),
        }

    return {
        **node(view.node),
        "relationships": [
            {
                "type": e.type,
                "source": e.source,
                "target": e.target,
                "properties": e.props,
                "validFrom": e.valid_from,
                "validTo": e.valid_to,
                "observed": e.observed,
                "other": node(view.neighbours[e.target if e.source == view.node.id else e.source]),
            }
            for e in sorted(view.edges, key=edge_key)  # the same order from either store
        ],
    }


def print_structure(view: StructureView, labels: Labels, out: TextIO) -> None:
    """Print a structure, its properties (with the labels of their codes) and its relationships."""
    n = view.node
    name = n.props.get("name", "")
    print(f"{n.label} {n.props.get('finess', n.id)}  {name}", file=out)
    dates = f"valid {n.valid_from or '…'} → {n.valid_to or '…'}"
    print(f"  {dates}; observed {_observed(n.observed)}; {n.versions} version(s)", file=out)
    named = coded(n.props, labels)
    for key, value in sorted(n.props.items()):
        print(f"  {key}: {value}" + (f" ({named[key]})" if key in named else ""), file=out)
    by_type: dict[str, list[str]] = {}
    for e in view.edges:
        outgoing = e.source == n.id
        other = view.neighbours[e.target if outgoing else e.source]
        arrow = "→" if outgoing else "←"
        label = other.props.get("name") or other.props.get("code") or other.props.get("nature") or ""
        role = f" [{e.props['role']}]" if "role" in e.props else ""
        by_type.setdefault(f"{arrow} {e.type}", []).append(f"{other.label} {other.id} {label}{role}")
    for kind, lines in sorted(by_type.items()):
        print(f"  {kind} ({len(lines)})", file=out)
        for line in sorted(lines)[:50]:
            print(f"    {line}", file=out)
        if len(lines) > 50:
            print(f"    … {len(lines) - 50} more", file=out)


def _observed(observed: list[tuple[str | None, str | None]]) -> str:
    return ", ".join(f"{a or 'first snapshot'}–{b or 'now'}" for a, b in observed)
