"""Tool catalogs: load, validate and normalize; importers per format turn others into native."""

from gauntlet.catalog.issues import Issue
from gauntlet.catalog.loader import CatalogLoad, load_folder

__all__ = ["CatalogLoad", "Issue", "load_folder"]
