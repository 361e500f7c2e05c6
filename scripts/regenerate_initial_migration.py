"""Regenerate storage/migrations/versions/0001_initial_schema.py from storage/models.py.

Only while fundwatch is pre-release (no deployed databases to upgrade). After the first release,
add new revisions with `alembic revision --autogenerate` instead.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fundwatch.storage.engine import MIGRATIONS_DIR  # noqa: E402


def main() -> None:
    target = MIGRATIONS_DIR / "versions" / "0001_initial_schema.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/empty.db")
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    subprocess.run([sys.executable, "-m", "ruff", "format", str(target)], check=False)
    subprocess.run([sys.executable, "-m", "ruff", "check", "--fix", str(target)], check=False)


if __name__ == "__main__":
    main()
