"""A background thread that keeps retrying undelivered members' messages (the outbox) and escalation
cards until their channels take them (leases let several replicas run one each), and runs a daily
chore (the retention purge) on the side."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot.desk.desk import Desk

log = logging.getLogger("rightsbot.desk")


class DeliveryWorker:
    def __init__(
        self,
        desk: Desk,
        interval_seconds: float,
        *,
        daily: Callable[[], object] | None = None,
        daily_every_seconds: float = 24 * 3600,
    ) -> None:
        self.desk = desk
        self.interval_seconds = interval_seconds
        self.daily, self.daily_every_seconds = daily, daily_every_seconds
        self._daily_due = time.monotonic() + daily_every_seconds  # start-up has just run it
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
            self._run_daily_if_due()

    def _run_daily_if_due(self) -> None:
        if self.daily is None or time.monotonic() < self._daily_due:
            return
        self._daily_due = time.monotonic() + self.daily_every_seconds
        try:
            self.daily()
        except Exception as error:  # tried again tomorrow; the worker carries on
            log.error("daily chore failed error=%s", type(error).__name__)
