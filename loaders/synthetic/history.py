"""One day of change in a synthetic world, applied to its compact state and listed for the record."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, TypeVar

from loaders.synthetic.build import HOSPITAL_STATUTS
from loaders.synthetic.common import iso, seed_of
from loaders.synthetic.figures import Figures
from loaders.synthetic.world import Activity, Establishment, LegalEntity, World

HISTORY = 9  # seed kind of a day's changes
# Changes per day in the national register (a quiet working day); scaled, at least one of each.
DAILY = {
    "openings": 8,
    "closures": 6,
    "transfers": 1,
    "gccMemberships": 1,
    "authorisationsStarted": 10,
    "authorisationsEnded": 8,
    "renames": 1,
}
KINDS = tuple(DAILY)
T = TypeVar("T")


def empty_changes(day: int, previous: int | None) -> dict[str, Any]:
    """Return a changes record with nothing changed yet."""
    return {
        "date": iso(day),
        "previous": iso(previous) if previous else None,
        "counts": dict.fromkeys(KINDS, 0),
        **{kind: [] for kind in KINDS},
    }


def _pick(rng: random.Random, pool: list[T], ok: Callable[[T], bool], tries: int = 200) -> T | None:
    """Return a random element of `pool` that passes `ok` (None when none is found quickly)."""
    for _ in range(tries if pool else 0):
        item = pool[rng.randrange(len(pool))]
        if ok(item):
            return item
    return None


def advance(world: World, figs: Figures, day: int) -> dict[str, Any]:
    """Apply day `day`'s changes to `world` (in place) and return what changed."""
    rng = random.Random(seed_of(world.seed, HISTORY, day))
    changes = empty_changes(day, day - 1)
    wanted = {kind: max(1, round(n * world.scale)) for kind, n in DAILY.items()}
    fresh: set[int] = set()  # objects born today are not closed, moved or renamed today

    def alive(e: Establishment) -> bool:
        return not (e.closed or e.closed_on or e.owner.closed or e.ege_id in fresh)

    def active_entity(e: LegalEntity) -> bool:
        return not e.closed and bool(e.establishments)

    for _ in range(wanted["openings"]):
        owner = _pick(rng, world.entities, active_entity)
        if owner is not None:
            opened = _open(world, figs, owner, day, rng)
            fresh.add(opened.ege_id)
            changes["openings"].append(
                {"egeId": str(opened.ege_id), "numFinessEge": opened.finess, "pmSmsseId": str(owner.pm_id)}
            )
    for _ in range(wanted["closures"]):
        closing = _pick(rng, world.establishments, alive)
        if closing is not None:
            closing.closed_on = closing.touched = day
            fresh.add(closing.ege_id)
            changes["closures"].append(_ege_ids(closing))
    for _ in range(wanted["transfers"]):
        moved = _transfer(world, day, rng, alive, active_entity)
        if moved:
            fresh.add(int(moved["egeId"]))
            changes["transfers"].append(moved)
    for _ in range(wanted["gccMemberships"]):
        if change := _gcc_change(world, day, rng):
            changes["gccMemberships"].append(change)
    for _ in range(wanted["authorisationsStarted"]):
        runner = _pick(rng, world.establishments, alive)
        if runner is not None:
            changes["authorisationsStarted"].append(_activity_ids(_authorise(world, figs, runner, day, rng)))
    started = {a["activiteAeId"] for a in changes["authorisationsStarted"]}
    for _ in range(wanted["authorisationsEnded"]):
        ending = _pick(
            rng, world.activities, lambda a: not (a.closed or a.ended_on or str(a.ae_id) in started)
        )
        if ending is not None:
            ending.ended_on = day
            changes["authorisationsEnded"].append(_activity_ids(ending))
    for _ in range(wanted["renames"]):
        renamed = _pick(rng, world.establishments, alive)
        if renamed is not None:
            renamed.name_version += 1
            renamed.touched = day
            fresh.add(renamed.ege_id)
            changes["renames"].append(_ege_ids(renamed))
    changes["counts"] = {kind: len(changes[kind]) for kind in KINDS}
    return changes


def _open(world: World, figs: Figures, owner: LegalEntity, day: int, rng: random.Random) -> Establishment:
    """Open a new establishment (new egeId and FINESS number) for `owner`."""
    ege = Establishment(
        world.next_ege_id,
        world.numbers.finess(owner.dept),
        owner,
        owner.dept,
        figs.table("categorie").pick(rng),
        1,
        owner.next_nic,
        False,
        opened_on=day,
        touched=day,
    )
    world.next_ege_id += 1
    owner.next_nic += 1
    owner.establishments.append(ege)
    world.establishments.append(ege)
    return ege


def _transfer(
    world: World,
    day: int,
    rng: random.Random,
    alive: Callable[[Establishment], bool],
    active_entity: Callable[[LegalEntity], bool],
) -> dict[str, Any] | None:
    """Move one establishment, with its authorisations, to another legal entity."""
    ege = _pick(rng, world.establishments, lambda e: alive(e) and len(e.owner.establishments) > 1)
    if ege is None:
        return None
    old = ege.owner
    new = _pick(rng, world.entities, lambda e: active_entity(e) and e is not old and e.dept == ege.dept)
    new = new or _pick(rng, world.entities, lambda e: active_entity(e) and e is not old)
    if new is None:
        return None
    old.establishments.remove(ege)
    new.establishments.append(ege)
    ege.owner, ege.nic = new, new.next_nic
    new.next_nic += 1
    ege.moved_from, ege.moved_on, ege.touched = old.pm_id, day, day
    old.touched = new.touched = day
    for act in ege.activities:  # the authorisations follow the establishment they are run in
        old.authorisations.remove(act)
        new.authorisations.append(act)
        act.owner = new
    return {
        "egeId": str(ege.ege_id),
        "numFinessEge": ege.finess,
        "fromPmSmsseId": str(old.pm_id),
        "toPmSmsseId": str(new.pm_id),
        "activiteAeIds": [str(a.ae_id) for a in ege.activities],
    }


def _gcc_change(world: World, day: int, rng: random.Random) -> dict[str, Any] | None:
    """Add a public hospital to a GHT, or remove an ordinary member; the support always stays."""
    in_any = {e.pm_id for g in world.gccs for e, _ in g.members}
    # A scan, not random probes: open hospitals outside any GHT are a few hundred in 98,168.
    free = [
        e for e in world.entities if e.statut in HOSPITAL_STATUTS and not e.closed and e.pm_id not in in_any
    ]
    removable = [g for g in world.gccs if any(role == "M" for _, role in g.members)]
    if world.gccs and free and (not removable or rng.random() < 0.5):
        member = free[rng.randrange(len(free))]
        local = [g for g in world.gccs if any(e.dept == member.dept for e, _ in g.members)]
        gcc = (local or world.gccs)[rng.randrange(len(local or world.gccs))]
        gcc.members.append((member, "M"))
        change = "added"
    elif removable:
        gcc = removable[rng.randrange(len(removable))]
        ordinary = [e for e, role in gcc.members if role == "M"]
        member = ordinary[rng.randrange(len(ordinary))]
        gcc.members = [(e, role) for e, role in gcc.members if e is not member]
        change = "removed"
    else:
        return None
    gcc.touched = day
    return {"gccId": str(gcc.gcc_id), "pmSmsseId": str(member.pm_id), "change": change}


def _authorise(world: World, figs: Figures, ege: Establishment, day: int, rng: random.Random) -> Activity:
    """Start a new authorised activity and the operated activity that runs it in `ege`."""
    act = Activity(
        world.next_ae_id,
        ege.owner,
        ege,
        figs.table("codeNature").pick(rng),
        ege.owner.pm_id,
        False,
        started_on=day,
    )
    world.next_ae_id += 2
    ege.activities.append(act)
    ege.owner.authorisations.append(act)
    world.activities.append(act)
    return act


def _ege_ids(ege: Establishment) -> dict[str, str]:
    return {"egeId": str(ege.ege_id), "pmSmsseId": str(ege.owner.pm_id)}


def _activity_ids(act: Activity) -> dict[str, str]:
    return {
        "activiteAeId": str(act.ae_id),
        "operatedActiviteAeId": str(act.ae_id + 1),
        "egeId": str(act.establishment.ege_id),
        "pmSmsseId": str(act.owner.pm_id),
    }
