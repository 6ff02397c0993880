"""Gauntlet: verified, frontier-hard synthetic tool-use training data.

The engine is a plain library (no Dagster import): the assets in `assets/` call it, and
so can a notebook, a test or a benchmark.
"""

__version__ = "0.1.0"
GENERATOR = "gauntlet"
