"""FINESS, SIREN and SIRET numbers with valid keys, unique within one synthetic world."""

from __future__ import annotations

import random

from loaders.synthetic.places import finess_prefix


def luhn_key(digits: str) -> str:
    """Return the digit that, appended to `digits`, makes the whole pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 0:  # doubled positions, counted from the key digit still to come
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


# Numbers of each département left for the establishments the following days open (a few a day).
KEPT_FOR_OPENINGS = 500


class NumberBook:
    """Hands out FINESS numbers per département and SIREN numbers, never the same one twice."""

    def __init__(self, rng: random.Random, scale: float = 1.0) -> None:
        self.rng = rng
        # Gaps between serials, like a register that has numbered and deleted for decades; they
        # narrow as the scale grows so that every département keeps enough numbers.
        self.gap = max(1, round(12 / max(1.0, scale)))
        self.next_serial: dict[str, int] = {}
        self.sirens: set[str] = set()

    def has_room(self, dept: str) -> bool:
        """Tell whether `dept` can still number a structure of the first day, keeping some for openings.

        An overseas prefix leaves 10,000 numbers: at scale 3.0, La Réunion's structures outgrow them.
        """
        width = 8 - len(finess_prefix(dept))
        step, numbers = (self.gap if width > 4 else 1), int(10**width)
        return self.next_serial.get(dept, 0) + step + KEPT_FOR_OPENINGS < numbers

    def finess(self, dept: str) -> str:
        """Return a new FINESS number of `dept`: prefix, serial, Luhn key (unchecked in Corsica)."""
        prefix = finess_prefix(dept)
        width = 8 - len(prefix)
        serial = self.next_serial.get(dept)
        if serial is None:
            serial = self.rng.randrange(10 ** (width - 1) // 50)
        # Overseas prefixes leave four digits: serials follow each other there.
        serial += 1 + (self.rng.randrange(self.gap) if width > 4 else 0)
        if serial >= 10**width:
            raise ValueError(f"no FINESS numbers left in département {dept} at this scale")
        self.next_serial[dept] = serial
        body = prefix + str(serial).zfill(width)
        if body[:2] in ("2A", "2B"):
            return body + str(self.rng.randrange(10))
        return body + luhn_key(body)

    def siren(self, public: bool) -> str:
        """Return a new Luhn-valid SIREN (public bodies' SIRENs start with 1 or 2)."""
        while True:
            first = self.rng.choice("12") if public else self.rng.choice("3456789")
            body = first + str(self.rng.randrange(10**7)).zfill(7)
            number = body + luhn_key(body)
            if number not in self.sirens:
                self.sirens.add(number)
                return number


def siret(siren: str, nic: int) -> str:
    """Return the SIRET of establishment number `nic` (1-based) of `siren`, with its Luhn key."""
    body = siren + str(nic % 10000).zfill(4)
    return body + luhn_key(body)
