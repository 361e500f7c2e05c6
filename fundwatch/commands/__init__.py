"""One module per subcommand; each exposes register(subparsers) and sets func=run.

Modules are discovered, so a new subcommand is a new module here. Keep imports at module level
cheap (heavy libraries are imported inside run), so `fundwatch detect` starts fast.
"""
