"""Schema migrations (Alembic), shipped inside the package and run when a store opens.

`upgrade(engine)` brings any database to the newest schema: a new one is created from nothing, and
one made by an older rightsbot (tables from `create_all`, no alembic_version) is adopted by the
first migration, which is that schema exactly, then converted in place with its rows kept.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

HERE = Path(__file__).resolve().parent


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    return config


@cache
def head() -> str:
    """The newest revision shipped with this rightsbot."""
    if not (HERE / "env.py").is_file():
        raise RuntimeError(f"rightsbot's migrations are missing from {HERE}: reinstall the package")
    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if found is None:
        raise RuntimeError(f"no migrations found in {HERE}: reinstall the package")
    return found


def current(engine: Engine) -> str | None:
    """The database's revision; None for a new database or one made before migrations."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one connection; raises if the database refuses.
    Cheap when the database is already at the newest revision (one query)."""
    if revision == "head" and current(engine) == head():
        return
    config = alembic_config()
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per step is noise at start-up
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
