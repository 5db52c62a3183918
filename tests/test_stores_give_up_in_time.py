"""Every call to a store server is bounded: a server that accepts the connection and then says nothing
(a frozen process, a half-dead proxy) costs seconds, never a worker thread for ever."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.settings import StoreSettings
from bot.storage import make_engine
from knowledge.store import StoreError, chroma_client


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def test_a_silent_postgresql_fails_to_connect_within_the_connect_timeout(silent_server: int) -> None:
    engine = make_engine(
        f"postgresql+psycopg://rightsbot:secret@127.0.0.1:{silent_server}/rightsbot",
        StoreSettings(database_connect_timeout_seconds=2, database_pool_timeout_seconds=1),
    )
    started = time.monotonic()

    with pytest.raises(OperationalError), engine.connect():
        pass
    assert time.monotonic() - started < 5


@pytest.mark.postgres
def test_a_statement_longer_than_the_statement_timeout_is_cancelled(postgres_url: str) -> None:
    engine = make_engine(postgres_url, StoreSettings(database_statement_timeout_seconds=0.5))
    started = time.monotonic()

    with pytest.raises(OperationalError, match="statement timeout"), engine.connect() as connection:
        connection.execute(text("SELECT pg_sleep(10)"))
    assert time.monotonic() - started < 3
    engine.dispose()


def test_a_silent_chroma_server_is_named_within_the_timeout(silent_server: int, tmp_path: Path) -> None:
    started = time.monotonic()

    with pytest.raises(StoreError, match=f"127.0.0.1:{silent_server} did not answer within 1 s"):
        chroma_client(tmp_path, f"http://127.0.0.1:{silent_server}", timeout_seconds=1.0)
    assert time.monotonic() - started < 3
