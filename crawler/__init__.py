"""The Scrapy project: spiders built from the source catalog, and the item pipeline.

Imports storage, detection and configuration (never the CLI or the scheduler).
"""
