"""Deterministic synthetic FINESS+ daily files, shaped by figures measured on the national census."""

from loaders.synthetic.generator import generate

__all__ = ["generate"]
