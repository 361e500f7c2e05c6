"""The web dashboard, JSON API and feeds of `fundwatch serve` (read the same tables as the CLI).

Nothing is imported here: the CLI reads `fundwatch.web.config` when it builds its parser, and
FastAPI and the app load only when `serve` (or the demo's dashboard) runs. The app is
`fundwatch.web.app.create_app`.
"""
