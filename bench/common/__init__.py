"""Shared by the benches: report.py, the report scripts' helpers (common.sh, for the drivers, is
sourced, not imported)."""
