"""Parsers of the official FINESS files into domain records; they never touch a store."""
