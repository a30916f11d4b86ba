"""The compact state of a synthetic FINESS+ world: what changes from day to day, nothing more."""

# Everything else (addresses, contacts, events, engagements, capacities…) is redrawn at writing
# time from a generator seeded by the object's id: the same every day, without being stored.

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.synthetic.identifiers import NumberBook


@dataclass(slots=True, eq=False)
class LegalEntity:
    """An entité juridique (pmej): what identifies it and what it holds."""

    pm_id: int
    finess: str
    dept: str
    statut: str
    siren: str | None
    closed: bool
    gco_type: str | None = None
    establishments: list[Establishment] = field(default_factory=list)
    authorisations: list[Activity] = field(default_factory=list)
    next_nic: int = 1
    touched: int = 0  # ordinal of the day of the last change (0: unchanged since the base)


@dataclass(slots=True, eq=False)
class Establishment:
    """An entité géographique d'exercice (EGE) and its mutable state."""

    ege_id: int
    finess: str
    owner: LegalEntity
    dept: str
    category: str
    addresses: int
    nic: int
    closed: bool
    closed_on: int = 0  # ordinal of a closing day after the base (0: none)
    opened_on: int = 0  # ordinal of an opening day after the base (0: in the base)
    name_version: int = 0
    moved_from: int = 0  # pm_id of the previous owner after a transfer
    moved_on: int = 0
    roles: list[tuple[int, int, str]] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    touched: int = 0


@dataclass(slots=True, eq=False)
class Activity:
    """An authorised activity (odd id) and the operated activity (id + 1) that runs it."""

    ae_id: int
    owner: LegalEntity
    establishment: Establishment
    nature: str
    origin_pm: int  # holder when authorised: events keep naming it after a transfer
    closed: bool
    ended: bool = False  # dateFinEffectiveActivite set in the base
    started_on: int = 0
    ended_on: int = 0


@dataclass(slots=True, eq=False)
class Gcc:
    """A groupement de coopération conventionnelle (GHT): members with their roles."""

    gcc_id: int
    name: str
    type_gcc: str
    members: list[tuple[LegalEntity, str]]
    touched: int = 0


@dataclass(slots=True, eq=False)
class Gco:
    """A groupement de coopération organique headed by a legal entity (GCS, GCSMS, holding…)."""

    head: LegalEntity
    type_gco: str
    members: list[LegalEntity]
    member_establishments: list[Establishment]


@dataclass(slots=True, eq=False)
class World:
    """All objects of one synthetic register, with counters for the ids days will add."""

    seed: int
    scale: float
    base_day: int
    entities: list[LegalEntity]
    establishments: list[Establishment]
    activities: list[Activity]
    gccs: list[Gcc]
    gcos: list[Gco]
    numbers: NumberBook
    next_ege_id: int = 0
    next_ae_id: int = 0
    # An establishment whose first engagement is a recent one, with its authority: that rare
    # shape (89 nationally) then appears at every scale.
    showcase: int = 0
