"""Building the base world: entities, establishments, activities, roles and groupings at a scale."""

from __future__ import annotations

import random
from collections import defaultdict

from loaders.synthetic import histograms
from loaders.synthetic.figures import Figures, Table
from loaders.synthetic.identifiers import NumberBook
from loaders.synthetic.places import DEPARTMENTS
from loaders.synthetic.texts import plain
from loaders.synthetic.world import Activity, Establishment, Gcc, Gco, LegalEntity, World

# Public hospitals (établissements publics de santé): the legal statuses of GHT members.
HOSPITAL_STATUTS = {"10": 7, "11": 185, "12": 16, "13": 802, "14": 181, "15": 18}
# Statuts juridiques of GCS (29 public, 89 private) and GCSMS (30, 66), by national counts; the
# r372 typeGco codes 001 and 002 are taken to be GCS and GCSMS (the census does not say).
GROUPING_STATUTS = {"001": {"29": 549, "89": 532}, "002": {"30": 93, "66": 169}}
# Categories of public hospitals' establishments (a model choice, not measured).
HOSPITAL_CATEGORIES = {"355": 40, "292": 10, "500": 20, "362": 8, "106": 8, "156": 7, "425": 5}
# Statuts of the three largest entities, after the real largest ones: CROIX ROUGE FRANCAISE
# (association reconnue d'utilité publique), DEPARTEMENT DE LA LOIRE ATLANTIQUE (département),
# ORSAC (association).
PINNED_STATUTS = ("61", "02", "60")
FIRST_ACTIVITY_ID = 3001


def draw_pinned(
    figs: Figures, name: str, items: int, total: int | None, scale: float, rng: random.Random
) -> list[int]:
    """Draw `items` counts shaped like histogram `name`, its real outliers scaled and kept."""
    hist, pins = figs.histogram(name)
    floor = min(k for k in hist if k >= 2) if any(k >= 2 for k in hist) else 1
    pins = [max(floor, round(p * scale)) for p in pins][: max(0, items)]
    rest_total = None if total is None else total - sum(pins)
    values = histograms.draw(hist, items - len(pins), rest_total, rng, floor=2)
    for p in pins:
        values.insert(rng.randrange(len(values) + 1), p)
    return values


def build_world(figs: Figures, scale: float, seed: int, base_day: int) -> World:
    """Return the base world at `scale` (1.0: the national register of July 2026)."""
    rng = random.Random(seed)
    book = NumberBook(random.Random(seed + 1), scale)
    counts = {k: round(v * scale) for k, v in figs.counts.items()}
    depts = Table({d.code: d.weight for d in DEPARTMENTS})
    entities, sizes = _entities(figs, counts, depts, book, rng, scale)
    establishments = _establishments(figs, counts, entities, sizes, depts, book, rng, scale)
    world = World(seed, scale, base_day, entities, establishments, [], [], [], book)
    world.next_ege_id = len(establishments) + 1
    world.showcase = next((e.ege_id for e in establishments if not e.closed), 0)
    world.activities = _activities(figs, counts, entities, rng)
    world.next_ae_id = FIRST_ACTIVITY_ID + 2 * len(world.activities)
    _roles(figs, counts, entities, establishments, rng, scale)
    world.gccs = _gccs(figs, counts, entities, rng)
    world.gcos = _gcos(figs, counts, entities, rng)
    return world


def _entities(
    figs: Figures,
    counts: dict[str, int],
    depts: Table,
    book: NumberBook,
    rng: random.Random,
    scale: float,
) -> tuple[list[LegalEntity], list[int]]:
    n_pm = counts["legalEntities"]
    sizes = draw_pinned(figs, "legalEntity.establishments", n_pm, counts["establishments"], scale, rng)
    pins = sorted(range(n_pm), key=lambda i: -sizes[i])[: len(PINNED_STATUTS)]
    statuts, siren_null = (
        figs.table("statutJuridique"),
        figs.null("structures", "pmej.informationsGeneralesPMEJ.siren"),
    )
    # Networks of five establishments or more are alive; closures fall on the small ones.
    small = sum(1 for s in sizes if s < 5)
    p_closed = min(1.0, figs.rates["legalEntity.closed"] * n_pm / max(1, small))
    out = []
    for i in range(n_pm):
        dept = _with_room(depts, book, rng)
        statut = PINNED_STATUTS[pins.index(i)] if i in pins else statuts.pick(rng)
        public = statut < "31"  # codes 01 to 30: State, local authorities, public bodies
        siren = None if rng.random() < siren_null else book.siren(public)
        closed = sizes[i] < 5 and rng.random() < p_closed
        out.append(LegalEntity(i + 1, book.finess(dept), dept, statut, siren, closed))
    return out, sizes


def _with_room(depts: Table, book: NumberBook, rng: random.Random) -> str:
    """Draw a département by weight among those with FINESS numbers left."""
    while not book.has_room(dept := depts.pick(rng)):
        pass
    return dept


def _establishments(
    figs: Figures,
    counts: dict[str, int],
    entities: list[LegalEntity],
    sizes: list[int],
    depts: Table,
    book: NumberBook,
    rng: random.Random,
    scale: float,
) -> list[Establishment]:
    n_ege = sum(sizes)
    addresses = draw_pinned(
        figs, "establishment.addresses", n_ege, counts["establishmentAddresses"], scale, rng
    )
    categories, hospital = figs.table("categorie"), Table(HOSPITAL_CATEGORIES)
    out: list[Establishment] = []
    for entity, size in zip(entities, sizes, strict=True):
        national = size >= 20  # big networks spread over the country
        for _ in range(size):
            local = rng.random() < (0.3 if national else 0.92)
            dept = entity.dept if local and book.has_room(entity.dept) else _with_room(depts, book, rng)
            table = hospital if entity.statut in HOSPITAL_STATUTS else categories
            ege = Establishment(
                len(out) + 1,
                book.finess(dept),
                entity,
                dept,
                table.pick(rng),
                addresses[len(out)],
                entity.next_nic,
                entity.closed,
            )
            entity.next_nic += 1
            entity.establishments.append(ege)
            out.append(ege)
    # Establishments of closed entities are closed; more closures among the others reach the rate.
    target = round(figs.rates["establishment.closed"] * len(out)) - sum(e.closed for e in out)
    open_ones = [e for e in out if not e.closed and len(e.owner.establishments) < 20]
    for ege in rng.sample(open_ones, max(0, min(target, len(open_ones)))):
        ege.closed = True
    return out


def _activities(
    figs: Figures, counts: dict[str, int], entities: list[LegalEntity], rng: random.Random
) -> list[Activity]:
    """Give authorised+operated activity pairs to the entities the activities file lists."""
    by_size: dict[int, list[LegalEntity]] = defaultdict(list)
    for e in entities:
        by_size[min(len(e.establishments), 3)].append(e)
    chosen = list(by_size[3])
    wanted_pm = counts["activityLegalEntities"] - len(chosen)
    wanted_ege = counts["activityEstablishments"] - sum(len(e.establishments) for e in chosen)
    # x two-establishment and y one-establishment entities: x + y = pm, 2x + y = establishments.
    twos = max(0, min(len(by_size[2]), wanted_ege - wanted_pm))
    chosen += rng.sample(by_size[2], twos)
    # Pharmacies and laboratories hold no authorised activity in this flow: others go first.
    ones = sorted(
        by_size[1],
        key=lambda e: (e.establishments[0].category in ("620", "610", "611"), rng.random()),
    )
    chosen += ones[: max(0, min(len(ones), wanted_pm - twos))]
    chosen.sort(key=lambda e: e.pm_id)
    eges = [ege for e in chosen for ege in e.establishments]
    per_ege = histograms.draw(
        figs.histogram("establishment.activities")[0], len(eges), counts["authorised"], rng, 1
    )
    donors = [i for i, n in enumerate(per_ege) if n >= 2]
    start = 0
    for e in chosen:  # every listed entity holds at least one authorisation
        if donors and not any(per_ege[start : start + len(e.establishments)]):
            while per_ege[donor := donors[rng.randrange(len(donors))]] < 2:
                donors.remove(donor)
            per_ege[donor] -= 1
            per_ege[start] += 1
        start += len(e.establishments)
    natures = figs.table("codeNature")
    # Activities of closed establishments are closed: the others close less often, to keep the rate.
    on_closed = sum(n for ege, n in zip(eges, per_ege, strict=True) if ege.closed)
    target = figs.rates["activity.closed"] * sum(per_ege)
    p_closed = max(0.0, (target - on_closed) / max(1, sum(per_ege) - on_closed))
    p_ended = figs.rates["activity.ended"] / figs.rates["activity.closed"]
    out: list[Activity] = []
    for ege, n in zip(eges, per_ege, strict=True):
        dominant = natures.pick(rng)  # activities of one establishment mostly share a nature
        for _ in range(n):
            nature = dominant if rng.random() < 0.8 else natures.pick(rng)
            closed = ege.closed or rng.random() < p_closed
            act = Activity(FIRST_ACTIVITY_ID + 2 * len(out), ege.owner, ege, nature, ege.owner.pm_id, closed)
            act.ended = closed and rng.random() < p_ended
            ege.activities.append(act)
            ege.owner.authorisations.append(act)
            out.append(act)
    _cover(out, natures.codes, rng)
    return out


def _cover(activities: list[Activity], natures: list[str], rng: random.Random) -> None:
    """Give every nature at least one activity (EML has 68 nationally: none at 1 % otherwise)."""
    counts = dict.fromkeys(natures, 0)
    for act in activities:
        counts[act.nature] += 1
    for nature in natures:
        while not counts[nature] and len(activities) >= len(natures):
            act = activities[rng.randrange(len(activities))]
            if counts[act.nature] > 1:
                counts[act.nature] -= 1
                act.nature = nature
                counts[nature] += 1


def _roles(
    figs: Figures,
    counts: dict[str, int],
    entities: list[LegalEntity],
    establishments: list[Establishment],
    rng: random.Random,
    scale: float,
) -> None:
    """Add EGE-to-EGE roles: hubs (porteuse of many) and isolated pairs, mostly within an entity."""
    if len(establishments) < 2:
        return
    roles = figs.table("roleRelationEge")
    multi = [e for e in entities if len(e.establishments) >= 2]
    weights = Table({str(i): len(e.establishments) for i, e in enumerate(multi)})
    used: set[int] = set()

    def free(pool: list[Establishment]) -> Establishment | None:
        for _ in range(6):
            ege = pool[rng.randrange(len(pool))]
            if ege.ege_id not in used:
                used.add(ege.ege_id)
                return ege
        return None

    def link(hub: Establishment, leaf: Establishment) -> None:
        role = (leaf.ege_id, hub.ege_id, roles.pick(rng))
        hub.roles.append(role)
        leaf.roles.append(role)

    degrees = draw_pinned(figs, "roleHub.degree", counts["roleHubs"], None, scale, rng)
    pairs = [1] * counts["rolePairs"]
    for degree in degrees + pairs:
        entity = multi[int(weights.pick(rng))] if multi else None
        pool = entity.establishments if entity else establishments
        hub = free(pool)
        if hub is None:
            continue
        for _ in range(degree):
            # 92% of relations stay within one legal entity (real sample: 442 of 480 entries).
            leaf = free(pool if rng.random() < 0.92 else establishments) or free(establishments)
            if leaf is not None:
                link(hub, leaf)


def _gccs(
    figs: Figures, counts: dict[str, int], entities: list[LegalEntity], rng: random.Random
) -> list[Gcc]:
    """Group open public hospitals into GHTs by département, one support (S) each."""
    n_gcc, n_members = counts["gcc"], counts["gccMemberships"]
    if not n_gcc:
        return []
    pool = [e for e in entities if e.statut in HOSPITAL_STATUTS and not e.closed]
    spare = [e for e in entities if not e.closed and e.establishments]
    hospital = Table(HOSPITAL_STATUTS)
    while len(pool) < n_members * 1.3 and spare:
        # Too few hospitals drawn at small scales: make some open entities public hospitals.
        extra = spare.pop(rng.randrange(len(spare)))
        if extra.statut not in HOSPITAL_STATUTS and len(extra.establishments) < 20:
            extra.statut = hospital.pick(rng)
            pool.append(extra)
    members = sorted(rng.sample(pool, min(n_members, len(pool))), key=lambda e: (e.dept, e.pm_id))
    sizes = histograms.draw(figs.histogram("gcc.members")[0], n_gcc, len(members), rng, 1)
    types = figs.table("typeGcc")
    names_used: dict[str, int] = defaultdict(int)
    depts = {d.code: d.name for d in DEPARTMENTS}
    out, start = [], 0
    for i, size in enumerate(sizes):
        group = members[start : start + max(1, size)]
        start += max(1, size)
        if not group:
            break
        support = max(group, key=lambda e: (len(e.establishments), -e.pm_id))
        rng.shuffle(group)
        names_used[support.dept] += 1
        suffix = ("", " NORD", " SUD", " EST", " OUEST", " CENTRE")[min(names_used[support.dept] - 1, 5)]
        name = f"{support.dept} {plain(depts[support.dept])}{suffix}"
        roles = [(e, "S" if e is support else "M") for e in group]
        out.append(Gcc(i + 1, name, types.pick(rng), roles))
    return out


def _gcos(
    figs: Figures, counts: dict[str, int], entities: list[LegalEntity], rng: random.Random
) -> list[Gco]:
    """Pick GCO heads; GCS and GCSMS heads list member entities and some of their establishments."""
    candidates = [e for e in entities if e.statut not in HOSPITAL_STATUTS]
    heads = sorted(rng.sample(candidates, min(counts["gco"], len(candidates))), key=lambda e: e.pm_id)
    by_dept: dict[str, list[LegalEntity]] = defaultdict(list)
    for e in entities:
        if not e.closed:
            by_dept[e.dept].append(e)
    types, out = figs.table("typeGco"), []
    for head in heads:
        kind = types.pick(rng)
        head.gco_type = kind
        members: list[LegalEntity] = []
        member_eges: list[Establishment] = []
        if kind in GROUPING_STATUTS:
            head.statut = Table(GROUPING_STATUTS[kind]).pick(rng)
            local = [e for e in by_dept[head.dept] if e is not head]
            members = rng.sample(local, min(len(local), rng.randint(2, 6)))
            for m in members:
                if m.establishments and rng.random() < 0.5:
                    member_eges.append(m.establishments[rng.randrange(len(m.establishments))])
        out.append(Gco(head, kind, members, member_eges))
    return out
