"""Downloader middlewares of fundwatch, wired in settings.DOWNLOADER_MIDDLEWARES."""
