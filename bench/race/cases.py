"""The race's workload: each query as our GraphQL, our REST, the store call, the peer's GraphQL and the floor.

A query is one family (lookup, search, ecosystem…) with a list of samples drawn once, with a fixed
seed, from the embedded store. A family knows how to ask each contender for the same answer, and how
to reduce each contender's answer to the content that must agree (a set of FINESS numbers or ids),
so that a faster answer that says less is caught.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from api.formats.names import NAMING_KEYS
from graph.embedded_store import ADJ, KIND, PROPS, EmbeddedStore
from graph.queries import SearchQuery, fold
from graph.store import GraphStore

PAST = "2020-01-01"
LINKS = ("ATTACHED_TO", "MEMBER_OF", "HEADED_BY", "RELATED_TO")
KINDS = {"LegalEntity": "LEGAL_ENTITY", "Establishment": "ESTABLISHMENT"}
Vars = dict[str, Any]
StoreCall = Callable[[GraphStore], object]

# The peer's relationship fields over the four structural relationship types
# (bench/peers/neo4j-graphql/typeDefs.graphql).
PEER_LINKS = {
    "LegalEntity": (
        ("establishments", "Establishment"),
        ("memberOf", "Grouping"),
        ("heads", "OrganicGrouping"),
    ),
    "Establishment": (
        ("legalEntity", "LegalEntity"),
        ("memberOf", "Grouping"),
        ("relatedTo", "Establishment"),
        ("relatedFrom", "Establishment"),
    ),
    "OrganicGrouping": (("members", "Member"), ("head", "LegalEntity")),
    "ConventionalGrouping": (("members", "Member"),),
}
UNIONS = {"Grouping": ("OrganicGrouping", "ConventionalGrouping"), "Member": ("LegalEntity", "Establishment")}
PEER_WHERE = {
    "LegalEntity": "LegalEntityWhere",
    "Establishment": "EstablishmentWhere",
    "OrganicGrouping": "OrganicGroupingWhere",
    "ConventionalGrouping": "ConventionalGroupingWhere",
    "Grouping": "GroupingWhere",
    "Member": "MemberWhere",
    "OperatedActivity": "OperatedActivityWhere",
}


@dataclass
class Sample:
    """One concrete question: its arguments (finess, text, pair…) and the date, None for the latest."""

    args: dict[str, Any]
    as_of: str | None = None


@dataclass
class Query:
    """A named query of the race: a family, its samples, and what the peer cannot express."""

    name: str
    family: Family
    samples: list[Sample] = field(default_factory=list)

    @property
    def peer_note(self) -> str | None:
        """Why the peer answers only part of it, or not at all (None: fully expressed)."""
        return self.family.peer_note(self.samples[0] if self.samples else Sample({}))


def peer_validity(day: str) -> dict[str, Any]:
    """Return the peer's `where` for a node valid at `day`: its source dates only (see peer_note)."""
    return {
        "AND": [
            {"OR": [{"validFrom": {"eq": None}}, {"validFrom": {"lte": day}}]},
            {"OR": [{"validTo": {"eq": None}}, {"validTo": {"gt": day}}]},
        ]
    }


def peer_where(target: str, day: str) -> dict[str, Any]:
    """Return the validity `where` for a field of this target type (a union gets one per member)."""
    if target in UNIONS:
        return {member: peer_validity(day) for member in UNIONS[target]}
    return peer_validity(day)


def ids_in(value: Any) -> set[str]:
    """Return every `id` found in a nested JSON answer."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("id"), str):
                found.add(item["id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


class Family:
    """How each contender asks one kind of question; subclasses fill in the parts."""

    rest_note: str | None = None  # when our REST route answers more than the GraphQL query asks

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        raise NotImplementedError

    def rest(self, s: Sample) -> str | None:
        return None

    def store(self, s: Sample) -> StoreCall:
        raise NotImplementedError

    def peer(self, s: Sample) -> tuple[str, Vars] | None:
        return None

    def peer_note(self, s: Sample) -> str | None:
        if s.as_of is not None:
            return (
                "as of a date: `where` on the nodes' validFrom/validTo only; the observed intervals, the "
                "relationships' dates and the properties' history are not expressible"
            )
        return None

    def floor(self, s: Sample) -> tuple[str, Vars] | None:
        return None

    def key_ours(self, data: Any) -> Any:
        raise NotImplementedError

    def key_peer(self, data: Any) -> Any:
        return None

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        raise NotImplementedError

    def same(self, ours: Any, other: Any) -> bool:
        return bool(ours == other)


def _day(s: Sample) -> dt.date | None:
    return dt.date.fromisoformat(s.as_of) if s.as_of else None


class Lookup(Family):
    rest_note = "REST answers the structure with its direct relationships"

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        q = "query($f: String!, $d: Date) { structure(finess: $f, asOf: $d) { id finess name kind } }"
        return q, {"f": s.args["finess"], "d": s.as_of}

    def rest(self, s: Sample) -> str:
        return f"/api/v1/structures/{s.args['finess']}" + (f"?as_of={s.as_of}" if s.as_of else "")

    def store(self, s: Sample) -> StoreCall:
        f, d = s.args["finess"], s.as_of
        return lambda store: store.root(f, d)

    def peer(self, s: Sample) -> tuple[str, Vars]:
        v: Vars = {"f": s.args["finess"]}
        if s.as_of is None:
            q = (
                "query($f: ID!) { le: legalEntities(where: {id: {eq: $f}}) { id finess name }"
                " et: establishments(where: {id: {eq: $f}}) { id finess name } }"
            )
            return q, v
        q = (
            "query($a: LegalEntityWhere, $b: EstablishmentWhere) {"
            " le: legalEntities(where: $a) { id finess name }"
            " et: establishments(where: $b) { id finess name } }"
        )
        where = {"AND": [{"id": {"eq": s.args["finess"]}}, peer_validity(s.as_of)]}
        return q, {"a": where, "b": where}

    def floor(self, s: Sample) -> tuple[str, Vars]:
        return "lookup", {"finess": s.args["finess"], "day": _day(s)}

    def key_ours(self, data: Any) -> Any:
        return ids_in(data["structure"])

    def key_peer(self, data: Any) -> Any:
        return ids_in(data)

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        return {r["id"] for r in rows}


class Search(Family):
    """Search among establishments: by number prefix, by words, or by a word in a department."""

    rest_note = "REST answers each hit with a few more fields (category, kind)"

    def __init__(self, by: str) -> None:
        self.by = by  # "prefix", "words" or "department"

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        q = (
            "query($t: String, $dep: String, $d: Date) { search(text: $t, kinds: [ESTABLISHMENT],"
            " department: $dep, asOf: $d, first: 20) { totalCount edges { node { id finess name } } } }"
        )
        return q, {"t": s.args["text"], "dep": s.args.get("department"), "d": s.as_of}

    def rest(self, s: Sample) -> str:
        path = f"/api/v1/search?q={s.args['text'].replace(' ', '+')}&kind=Establishment&limit=20"
        if s.args.get("department"):
            path += f"&department={s.args['department']}"
        return path + (f"&as_of={s.as_of}" if s.as_of else "")

    def store(self, s: Sample) -> StoreCall:
        query = SearchQuery(
            text=s.args["text"], kinds=["Establishment"], department=s.args.get("department"), as_of=s.as_of
        )
        return lambda store: store.search(query)

    def peer(self, s: Sample) -> tuple[str, Vars]:
        words = fold(s.args["text"]).split()
        if self.by == "prefix":  # a FINESS number prefix: the unique index on Item(id), by range
            where: dict[str, Any] = {"id": {"startsWith": s.args["text"]}}
            if s.as_of:
                where = {"AND": [where, peer_validity(s.as_of)]}
            q = (
                "query($w: EstablishmentWhere) { establishmentsConnection(where: $w,"
                " sort: [{name: ASC}, {id: ASC}],"
                " first: 20) { totalCount edges { node { id finess name } } } }"
            )
            return q, {"w": where}
        node: dict[str, Any] = {}
        conditions = []
        if s.args.get("department"):
            dep = {"department": {"some": {"id": {"eq": "dep:" + s.args["department"]}}}}
            conditions.append({"locatedIn": {"some": dep}})
        if s.as_of:
            conditions.append(peer_validity(s.as_of))
        if conditions:
            node = {"AND": conditions}
        q = (
            "query($p: String!, $w: EstablishmentIndexWhere) { establishmentsByWords(phrase: $p, where: $w,"
            " sort: [{node: {name: ASC}}, {node: {id: ASC}}], first: 20)"
            " { totalCount edges { node { id finess name } } } }"
        )
        return q, {"p": " ".join(f"+{w}*" for w in words), "w": {"node": node} if node else None}

    def peer_note(self, s: Sample) -> str | None:
        notes = []
        if self.by == "prefix":
            notes.append("a number prefix by `id: {startsWith}` (our search also matches SIRET prefixes)")
        if s.as_of:
            notes.append(
                "as of a date: `where` on validFrom/validTo only (observed intervals and the place's dates"
                " not expressible)"
            )
        return "; ".join(notes) or None

    def floor(self, s: Sample) -> tuple[str, Vars]:
        words = fold(s.args["text"]).split()
        common = {"kinds": ["Establishment"], "day": _day(s), "limit": 20}
        if s.args.get("department"):
            return "search_in_department", {"words": words, "department": s.args["department"], **common}
        return "search_words", {"query": " ".join(f"+{w}*" for w in words), **common}

    def key_ours(self, data: Any) -> Any:
        found = data["search"]
        return found["totalCount"], [e["node"]["id"] for e in found["edges"]]

    def key_peer(self, data: Any) -> Any:
        found = next(iter(data.values()))
        return found["totalCount"], [e["node"]["id"] for e in found["edges"]]

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        return rows[0]["total"], [h["id"] for h in rows[0]["page"]]


class Ecosystem(Family):
    """The structures within `depth` hops through the four structural relationship types."""

    rest_note = "REST answers every property of each node and relationship (the node-link JSON)"

    def __init__(self, depth: int) -> None:
        self.depth = depth

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        # What the peer and the floor answer: each node's id, number and name, each relationship's ends,
        # type and role (our resolver then reads only what these fields show: api/graphql/schema.py).
        q = (
            "query($f: String!, $n: Int!, $d: Date) { ecosystem(finess: $f, depth: $n, asOf: $d,"
            " relations: [ATTACHED_TO, MEMBER_OF, HEADED_BY, RELATED_TO], limit: 2000) { truncated"
            " nodes { id finess name } edges { source target type role } } }"
        )
        return q, {"f": s.args["finess"], "n": self.depth, "d": s.as_of}

    def rest(self, s: Sample) -> str:
        relations = "".join(f"&relation={r}" for r in LINKS)
        path = f"/api/v1/structures/{s.args['finess']}/ecosystem?depth={self.depth}&limit=2000{relations}"
        return path + (f"&as_of={s.as_of}" if s.as_of else "")

    def store(self, s: Sample) -> StoreCall:
        f, d, n = s.args["finess"], s.as_of, self.depth
        return lambda store: store.ecosystem(f, n, d, LINKS, 2000, keys=NAMING_KEYS)  # as the GraphQL asks

    def peer(self, s: Sample) -> tuple[str, Vars]:
        label = s.args["label"]
        used: dict[str, Any] = {}
        body = self._selection(label, self.depth, s.as_of, used)
        root = {"LegalEntity": "legalEntities", "Establishment": "establishments"}[label]
        where: dict[str, Any] = {"id": {"eq": s.args["finess"]}}
        if s.as_of:
            where = {"AND": [where, peer_validity(s.as_of)]}
        used["root"] = (PEER_WHERE[label], where)
        params = ", ".join(f"${k}: {t}" for k, (t, _) in sorted(used.items()))
        return f"query({params}) {{ {root}(where: $root) {{ {body} }} }}", {
            k: v for k, (_, v) in used.items()
        }

    def _selection(self, label: str, depth: int, as_of: str | None, used: dict[str, Any]) -> str:
        parts = ["id finess name"]
        if depth > 0:
            for name, target in PEER_LINKS[label]:
                args = ""
                if as_of:
                    var = "w" + target
                    used[var] = (PEER_WHERE[target], peer_where(target, as_of))
                    args = f"(where: ${var})"
                if target in UNIONS:
                    inner = " ".join(
                        f"... on {t} {{ {self._selection(t, depth - 1, as_of, used)} }}"
                        for t in UNIONS[target]
                    )
                else:
                    inner = self._selection(target, depth - 1, as_of, used)
                parts.append(f"{name}{args} {{ {inner} }}")
        return " ".join(parts)

    def peer_note(self, s: Sample) -> str | None:
        note = "as nested relationship fields, one level per hop (the library has no traversal of its own)"
        base = super().peer_note(s)
        return f"{note}; {base}" if base else note

    def floor(self, s: Sample) -> tuple[str, Vars]:
        name = f"ecosystem_depth_{self.depth}" + ("_as_of" if s.as_of else "")
        return name, {"finess": s.args["finess"], "day": _day(s)}

    def key_ours(self, data: Any) -> Any:
        eco = data["ecosystem"]
        return None if eco["truncated"] else {n["id"] for n in eco["nodes"]}

    def key_peer(self, data: Any) -> Any:
        return ids_in(data)

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        return {r["id"] for r in rows}

    def same(self, ours: Any, other: Any) -> bool:
        return ours is None or bool(ours == other)  # a truncated answer of ours is not compared


class Organigram(Family):
    """The tree under a GHT: members, their establishments, the establishments' operated activities."""

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        q = "query($f: String!, $d: Date) { organigram(finess: $f, asOf: $d) { tree } }"
        return q, {"f": s.args["finess"], "d": s.as_of}

    def rest(self, s: Sample) -> str:
        return f"/api/v1/structures/{s.args['finess']}/organigram" + (f"?as_of={s.as_of}" if s.as_of else "")

    def store(self, s: Sample) -> StoreCall:
        f, d = s.args["finess"], s.as_of
        return lambda store: store.organigram(f, d, keys=NAMING_KEYS)  # as `{ tree }` asks

    def peer(self, s: Sample) -> tuple[str, Vars]:
        used: dict[str, Any] = {"g": ("ConventionalGroupingWhere", {"id": {"eq": s.args["finess"]}})}

        def arg(target: str) -> str:
            if not s.as_of:
                return ""
            used["w" + target] = (PEER_WHERE[target], peer_where(target, s.as_of))
            return f"(where: $w{target})"

        activities = f"operatedActivities{arg('OperatedActivity')} {{ id nature }}"
        body = (
            f"id finess name members{arg('Member')} {{ ... on LegalEntity {{ id finess name"
            f" establishments{arg('Establishment')} {{ id finess name {activities} }} }}"
            f" ... on Establishment {{ id finess name {activities} }} }}"
        )
        params = ", ".join(f"${k}: {t}" for k, (t, _) in sorted(used.items()))
        return f"query({params}) {{ conventionalGroupings(where: $g) {{ {body} }} }}", {
            k: v for k, (_, v) in used.items()
        }

    def floor(self, s: Sample) -> tuple[str, Vars]:
        return "organigram", {"finess": s.args["finess"], "day": _day(s)}

    def key_ours(self, data: Any) -> Any:
        tree = data["organigram"]["tree"]
        return ids_in(tree if isinstance(tree, dict) else json.loads(tree))

    def key_peer(self, data: Any) -> Any:
        return ids_in(data)

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        return ids_in(rows)


class Path(Family):
    """The shortest paths between two structures through every relationship type."""

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        q = "query($a: String!, $b: String!, $d: Date) { path(from: $a, to: $b, asOf: $d) { paths } }"
        return q, {"a": s.args["source"], "b": s.args["target"], "d": s.as_of}

    def rest(self, s: Sample) -> str:
        path = f"/api/v1/path?from={s.args['source']}&to={s.args['target']}"
        return path + (f"&as_of={s.as_of}" if s.as_of else "")

    def store(self, s: Sample) -> StoreCall:
        a, b, d = s.args["source"], s.args["target"], s.as_of
        return lambda store: store.path(a, b, d, keys=NAMING_KEYS)  # as the GraphQL asks

    def peer_note(self, s: Sample) -> str | None:
        return "not expressible: the generated API has no shortest path (only a hand-written @cypher field)"

    def floor(self, s: Sample) -> tuple[str, Vars]:
        return "path", {"source": s.args["source"], "target": s.args["target"], "day": _day(s)}

    def key_ours(self, data: Any) -> Any:
        return {tuple(p) for p in (data["path"] or {}).get("paths") or ()}

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        return {tuple(r["ids"]) for r in rows}

    def same(self, ours: Any, other: Any) -> bool:
        # Ours lists at most 10 paths; each must be one of the floor's, and of the same length.
        lengths = {len(p) for p in ours} | {len(p) for p in other}
        return bool(ours <= other and len(lengths) <= 1 and bool(ours) == bool(other))


class Timeline(Family):
    """A structure's dated facts; compared on the events it lists."""

    def graphql(self, s: Sample) -> tuple[str, Vars]:
        q = "query($f: String!) { timeline(finess: $f) { date kind related } }"
        return q, {"f": s.args["finess"]}

    def rest(self, s: Sample) -> str:
        return f"/api/v1/structures/{s.args['finess']}/timeline"

    def store(self, s: Sample) -> StoreCall:
        f = s.args["finess"]
        return lambda store: store.timeline(f)

    def peer(self, s: Sample) -> tuple[str, Vars]:
        label = s.args["label"]
        root = {"LegalEntity": "legalEntities", "Establishment": "establishments"}[label]
        dates = "validFrom validTo observedFrom observedTo"
        links = " ".join(
            f"{name}Connection {{ edges {{ properties {{ {dates} }}"
            f" node {{ {'__typename' if target in UNIONS else 'id'} }} }} }}"
            for name, target in PEER_LINKS[label]
        )
        events = "recorded { id code date validFrom }"
        q = f"query($f: ID!) {{ {root}(where: {{id: {{eq: $f}}}}) {{ id {dates} {events} {links} }} }}"
        return q, {"f": s.args["finess"]}

    def peer_note(self, s: Sample) -> str | None:
        return (
            "partly: the raw facts (dates, events, links with their dates) are fetched; the entries"
            " themselves (appearances, gaps, changes from the previous versions) would be the client's work"
        )

    def floor(self, s: Sample) -> tuple[str, Vars]:
        return "timeline", {"finess": s.args["finess"]}

    def key_ours(self, data: Any) -> Any:
        return {e["related"] for e in data["timeline"] if e["kind"] == "EVENT"}

    def key_peer(self, data: Any) -> Any:
        return {
            e["id"]
            for x in next(iter(data.values()))
            for e in x["recorded"]
            if e.get("validFrom") or e["date"]
        }

    def key_floor(self, rows: list[dict[str, Any]]) -> Any:
        return {e["id"] for r in rows for e in r["events"] if e["date"]}


def _name_words(rng: random.Random, name: str | None) -> str:
    words = fold(name or "chu").split() or ["chu"]
    first = words[0][: rng.randint(3, 6)]
    return first if len(words) == 1 else f"{first} {words[-1][:4]}"


def draw(store: EmbeddedStore, samples: int, seed: int, past: str = PAST) -> list[Query]:
    """Draw the race's queries from the embedded store, each also as of `past` (timeline excepted).

    The samples as of `past` are drawn among the structures valid then (an ecosystem of a structure
    that did not exist yet is an error, not a question).
    """
    rng = random.Random(seed)
    table = store.nodes_table
    by_kind: dict[str, list[str]] = {}
    for node_id, item in table.items():
        by_kind.setdefault(item[KIND], []).append(node_id)
    for ids in by_kind.values():
        ids.sort()

    def props(node_id: str) -> dict[str, Any]:
        return dict(json.loads(table[node_id][PROPS]))

    def department(node_id: str) -> str | None:
        for _, commune in store.neighbours([node_id], ["LOCATED_IN"], None, "out").get(node_id, ()):
            for _, dep in store.neighbours([commune.id], ["PART_OF"], None, "out").get(commune.id, ()):
                return str(dep.props.get("code"))
        return None

    def one(f: str) -> dict[str, Any]:
        return {"finess": f, "label": table[f][KIND]}

    def build(as_of: str | None) -> list[Query]:
        def valid(ids: list[str]) -> list[str]:
            return ids if as_of is None else [i for i in ids if store.root(i, as_of) is not None]

        def pick(ids: list[str]) -> list[str]:
            return [rng.choice(ids) for _ in range(samples)]

        legal, establishments = valid(by_kind["LegalEntity"]), valid(by_kind["Establishment"])
        structures = legal + establishments
        largest = max(legal, key=lambda i: len(table[i][ADJ] or ()))
        ghts = valid(by_kind.get("ConventionalGrouping", []))
        located = [(f, department(f)) for f in pick(establishments)]
        pairs: list[tuple[str, str]] = []
        while len(pairs) < samples:
            if rng.random() < 0.5 and ghts:  # two members of one GHT: a path exists
                members = store.members(rng.choice(ghts), as_of) or []
                if len(members) >= 2:
                    a, b = rng.sample(members, 2)
                    pairs.append((a.node.id, b.node.id))
                    continue
            pairs.append((rng.choice(structures), rng.choice(structures)))
        words = [{"text": _name_words(rng, props(f).get("name"))} for f in pick(establishments)]
        in_place = [
            {"text": _name_words(rng, props(f).get("name")).split()[0], "department": d}
            for f, d in located
            if d is not None
        ]
        base: list[tuple[str, Family, list[dict[str, Any]]]] = [
            ("lookup", Lookup(), [one(f) for f in pick(structures)]),
            ("search prefix", Search("prefix"), [{"text": f[:5]} for f in pick(establishments)]),
            ("search words", Search("words"), words),
            ("search filtered", Search("department"), in_place),
        ]
        for depth in (1, 2, 3):
            base.append((f"ecosystem depth {depth}", Ecosystem(depth), [one(f) for f in pick(structures)]))
        for depth in (1, 2, 3):
            base.append((f"ecosystem depth {depth} largest", Ecosystem(depth), [one(largest)] * samples))
        if ghts:
            cycled = [ghts[i % len(ghts)] for i in range(max(samples, len(ghts)))]
            base.append(("organigram GHT", Organigram(), [{"finess": g} for g in cycled]))
        base.append(("path", Path(), [{"source": a, "target": b} for a, b in pairs]))
        suffix = "" if as_of is None else " as of"
        return [Query(name + suffix, family, [Sample(a, as_of) for a in args]) for name, family, args in base]

    queries = build(None) + build(past)
    timeline = [Sample(one(f)) for f in [rng.choice(by_kind["Establishment"]) for _ in range(samples)]]
    queries.append(Query("timeline", Timeline(), timeline))
    return queries


def workload_facts(store: EmbeddedStore, queries: list[Query]) -> dict[str, Any]:
    """Return what the workload was drawn from: the largest legal entity, the number of GHTs."""
    table = store.nodes_table
    # Neither is drawn when `--only` leaves out the queries of the largest legal entity.
    largest = next((q.samples[0].args["finess"] for q in queries if q.name.endswith("largest")), None)
    past = next((q.samples[0].args["finess"] for q in queries if q.name.endswith("largest as of")), None)
    ghts = sum(1 for item in table.values() if item[KIND] == "ConventionalGrouping")
    return {
        "largest_legal_entity": largest,
        "links_of_largest": len(table[largest][ADJ] or ()) if largest is not None else None,
        "largest_legal_entity_valid_at_past_date": past,
        "ghts": ghts,
        "past_date": PAST,
    }


def each(queries: list[Query]) -> Iterator[tuple[Query, Sample]]:
    """Yield every (query, sample) pair."""
    for q in queries:
        for s in q.samples:
            yield q, s
