"""`rightsbot teams` and `rightsbot serve`: start the channels over one set of services, with the
start-up chores (retention, undelivered cards) and the delivery worker, until SIGTERM or Ctrl+C."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Mapping
from typing import Any

from bot.logs import configure_logging
from bot.reply import Engine
from bot.settings import Settings
from bot.teams.server import TeamsServer, build_teams, service_settings
from bot.wiring import Services, build_services

log = logging.getLogger("rightsbot")


def run_teams(settings: Settings, engine: Engine, sdk_config: Mapping[str, Any], *, port: int) -> None:
    run_channels(settings, engine, sdk_config, teams_port=port)


def run_channels(
    settings: Settings,
    engine: Engine,
    sdk_config: Mapping[str, Any] | None,
    *,
    teams_port: int | None = None,
    slack: Callable[[Services], Callable[[], None]] | None = None,
) -> None:
    """Teams (when `sdk_config` is given) on its own thread, Slack (when `slack` is given: it builds
    the app over the services and returns its blocking serve call) in this one."""
    configure_logging(settings, also_hide=[str(service_settings(sdk_config or {}).get("CLIENTSECRET") or "")])
    services = build_services(settings, engine)
    serve_slack = slack(services) if slack else None  # built first: it checks its token with Slack
    teams = None
    if sdk_config is not None and teams_port is not None:
        runtime = build_teams(settings, services, sdk_config)
        teams = TeamsServer(runtime.web_app, settings.teams.http_host, teams_port).start()
    services.start_up()  # after Teams listens: its pending cards are posted from its event loop
    worker = services.delivery_worker().start()
    try:
        (serve_slack or wait_for_signal)()
    finally:
        worker.stop()
        if teams:
            teams.stop()


def wait_for_signal() -> None:
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()

