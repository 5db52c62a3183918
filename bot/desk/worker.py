"""A background thread that keeps retrying undelivered members' messages (the outbox) and escalation
cards until their channels take them; leases let several replicas run one each."""

from __future__ import annotations

import logging
import threading

from bot.desk.desk import Desk

log = logging.getLogger("rightsbot.desk")


class DeliveryWorker:
    def __init__(self, desk: Desk, interval_seconds: float) -> None:
        self.desk = desk
        self.interval_seconds = interval_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rightsbot-escalation-delivery", daemon=True)

    def start(self) -> DeliveryWorker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            try:
                self.desk.deliver_pending()
            except Exception as error:  # a database blip must not end the worker
                log.error("escalation delivery round failed error=%s", type(error).__name__)
