"""Schema migrations (Alembic), shipped inside the package and run when a store opens.

`upgrade(engine)` brings any database to the newest schema: a new one is created from nothing, and
one made by an older rightsbot (tables from `create_all`, no alembic_version) is adopted by the
first migration, which is that schema exactly, then converted in place with its rows kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).resolve().parent


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one connection; raises if the database refuses."""
    if not (HERE / "env.py").is_file():
        raise RuntimeError(f"rightsbot's migrations are missing from {HERE}: reinstall the package")
    config = alembic_config()
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per step is noise at start-up
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
