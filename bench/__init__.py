"""Reproducible benchmarks (bench/README.md); importable so that the race reuses the others."""
