"""Generic spiders, one per kind of source; the loader subclasses them per catalog entry."""
