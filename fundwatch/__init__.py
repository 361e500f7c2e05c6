"""fundwatch: watches Chinese and English news for AI-video funding stories."""

__version__ = "0.1.0"
