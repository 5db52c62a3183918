"""Shared fixtures: the real corpus (skipped or required), stores on temp folders, the real model once,
and the real servers (PostgreSQL, Chroma) that CI starts: skipped locally without them, required in CI."""

from __future__ import annotations

import os
import shlex
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from chroma_process import ChromaProcess
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.settings import Settings
from bot.wiring import Knowledge, default_embedder, open_knowledge
from ingest.pipeline import ingest
from knowledge.embedder import HashingEmbedder, MiniLMEmbedder

REPO = Path(__file__).resolve().parents[1]

# Property-based tests: a modest number of examples keeps the suite fast; HYPOTHESIS_PROFILE=thorough
# for a long hunt. No deadline: a shared two-core machine makes per-example timings meaningless.
hypothesis_settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _corpus_path() -> Path:
    return Path(os.environ.get("RIGHTSBOT_CORPUS_DIR") or REPO.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real documents in ../shared/corpus. CI sets RIGHTSBOT_REQUIRE_CORPUS=1: missing is a failure there."""
    path = _corpus_path()
    if not (path / "sources.yaml").is_file():
        message = f"the shared corpus is not at {path} (set RIGHTSBOT_CORPUS_DIR)"
        if os.environ.get("RIGHTSBOT_REQUIRE_CORPUS") == "1":
            pytest.fail(message + " and RIGHTSBOT_REQUIRE_CORPUS=1")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    return default_embedder()  # the same instance the CLI uses in-process: the model loads once


@pytest.fixture
def hashing() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def real_knowledge(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder, corpus_dir: Path
) -> Knowledge:
    """The bundled factsheets and the real corpus, embedded with the real model: built once per run."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("real-knowledge"))
    knowledge = open_knowledge(settings, minilm)
    ingest([REPO / "knowledge", corpus_dir], knowledge.store, minilm)
    return knowledge


# --- real servers: .ci/run starts them and sets RIGHTSBOT_REQUIRE_SERVERS=1 ---


def _server_missing(what: str, variable: str) -> None:
    message = f"no {what} for tests: set {variable} (.ci/run starts one)"
    if os.environ.get("RIGHTSBOT_REQUIRE_SERVERS") == "1":
        pytest.fail(message + " and RIGHTSBOT_REQUIRE_SERVERS=1")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """A PostgreSQL URL whose user may create databases (postgresql+psycopg://user:pw@127.0.0.1:port/db)."""
    url = os.environ.get("RIGHTSBOT_TEST_POSTGRES_URL", "")
    if not url:
        _server_missing("PostgreSQL", "RIGHTSBOT_TEST_POSTGRES_URL")
    return url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped after the test."""
    name = f"rightsbot_test_{uuid.uuid4().hex[:12]}"
    # No pool: a test may restart the server between creating the database and dropping it.
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:  # FORCE: the stores' pools may still hold connections
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each SQL store test runs on SQLite (the default) and on a real PostgreSQL, on a fresh database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'rightsbot.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def chroma_server() -> str:
    """A Chroma server's URL (http://127.0.0.1:port)."""
    url = os.environ.get("RIGHTSBOT_TEST_CHROMA_URL", "")
    if not url:
        _server_missing("Chroma server", "RIGHTSBOT_TEST_CHROMA_URL")
    return url


@pytest.fixture
def chroma_server_client(chroma_server: str) -> Iterator[object]:
    """A client of the test Chroma server on a fresh database of its own, deleted after the test."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    url = urlparse(chroma_server)
    settings = ChromaSettings(
        anonymized_telemetry=False,
        chroma_api_impl="chromadb.api.fastapi.FastAPI",
        chroma_server_host=url.hostname,
        chroma_server_http_port=url.port,
    )
    name = f"rightsbot_test_{uuid.uuid4().hex[:12]}"
    admin = chromadb.AdminClient(settings)
    admin.create_database(name)
    yield chromadb.HttpClient(
        host=url.hostname or "127.0.0.1",
        port=url.port or 8000,
        database=name,
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    admin.delete_database(name)


@pytest.fixture
def restart_postgres(postgres_server: str) -> Callable[[], None]:
    """Restarts the test PostgreSQL (pg_ctl restart, from RIGHTSBOT_TEST_POSTGRES_RESTART)."""
    command = os.environ.get("RIGHTSBOT_TEST_POSTGRES_RESTART", "")
    if not command:
        _server_missing("way to restart PostgreSQL", "RIGHTSBOT_TEST_POSTGRES_RESTART")

    def restart() -> None:
        # No pipes: the restarted server must not inherit (and hang on) this test's output.
        subprocess.run(
            shlex.split(command),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    return restart


@pytest.fixture
def own_chroma_server(tmp_path: Path) -> Iterator[ChromaProcess]:
    server = ChromaProcess(tmp_path / "chroma-server")
    yield server
    server.stop()
