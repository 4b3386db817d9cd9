"""The service catalog: what can be done at the kiosk, by which department, with which materials."""

from kiosk.catalog.loader import CatalogRepository, load_bundled_catalog, parse_catalog
from kiosk.catalog.model import Catalog, Department, FormField, Item, Material, Text, Waiver

__all__ = ["Catalog", "CatalogRepository", "Department", "FormField", "Item", "Material", "Text", "Waiver",
           "load_bundled_catalog", "parse_catalog"]
