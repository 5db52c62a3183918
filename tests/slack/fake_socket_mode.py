"""A fake Slack Socket Mode server on 127.0.0.1: says hello, pushes event envelopes, records acks.

The slack_sdk client dials plain ws:// when the port is not 443, so no TLS is needed here."""

from __future__ import annotations

import itertools
import json
import queue
import threading
import time
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

_envelope_ids = itertools.count(1)


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.connections = 0
        self._outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._server: Server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=test"

    def push_event(self, body: dict[str, Any]) -> str:
        """Sends an events_api envelope, as Slack does for each event; returns its envelope id."""
        envelope_id = f"env-{next(_envelope_ids)}"
        self._outbox.put(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "accepts_response_payload": False,
                "payload": body,
            }
        )
        return envelope_id

    def wait(self, check: Any, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"still not true after {timeout}s")
            time.sleep(0.01)

    def acked(self, envelope_id: str) -> bool:
        with self._lock:
            return any(ack.get("envelope_id") == envelope_id for ack in self.acks)

    def _session(self, connection: ServerConnection) -> None:
        connection.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0"}})
        )
        with self._lock:
            self.connections += 1
        try:
            while True:
                self._send_waiting(connection)
                try:
                    message = connection.recv(timeout=0.02)
                except TimeoutError:
                    continue
                with self._lock:
                    self.acks.append(json.loads(message))
        except ConnectionClosed:
            return

    def _send_waiting(self, connection: ServerConnection) -> None:
        while True:
            try:
                connection.send(json.dumps(self._outbox.get_nowait()))
            except queue.Empty:
                return
