"""`python -m loaders.synthetic OUTDIR [--scale S] [--days N] [--seed K] [--start YYYY-MM-DD]`."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from loaders.synthetic.generator import generate


def main(argv: list[str] | None = None) -> int:
    """Generate synthetic FINESS+ files from the command line and print what was written."""
    parser = argparse.ArgumentParser(prog="python -m loaders.synthetic", description=__doc__)
    parser.add_argument("outdir", type=Path, help="directory to write the files into")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the national size")
    parser.add_argument("--days", type=int, default=1, help="daily snapshots to write")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 8, 13))
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        paths = generate(args.outdir, args.scale, args.days, args.seed, args.start)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
    print(f"{len(paths)} files in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
