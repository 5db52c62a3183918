"""`rightsbot slack`: run the app in Socket Mode or over HTTP, with start-up chores and the retry worker."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError

from bot.logs import configure_logging
from bot.reply import Engine
from bot.settings import Settings, SlackSettings
from bot.slack.app import build_slack_app
from bot.slack.client import secret
from bot.slack.server import make_server
from bot.wiring import Services, build_services

log = logging.getLogger("rightsbot.slack")

NEEDS = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the Signing Secret from the app's Basic Information page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-...) with connections:write, from Basic Information",
    "RIGHTSBOT_OFFICERS_CHANNEL": "the id of the officers' channel (C...), where escalations are posted",
}


class SlackConfigError(Exception):
    """A missing or rejected setting; the CLI prints it on one line and exits 2."""


def check_config(settings: Settings, *, socket: bool) -> None:
    slack = settings.slack
    present = {
        "SLACK_BOT_TOKEN": secret(slack.bot_token),
        "SLACK_SIGNING_SECRET": secret(slack.signing_secret) if not socket else "not needed",
        "SLACK_APP_TOKEN": secret(slack.app_token) if socket else "not needed",
        "RIGHTSBOT_OFFICERS_CHANNEL": slack.officers_channel,
    }
    for name, value in present.items():
        if not value:
            raise SlackConfigError(f"{name} is not set: {NEEDS[name]} (see docs/slack.md)")


def run_slack(
    settings: Settings, engine: Engine, *, socket: bool, port: int, stop: threading.Event | None = None
) -> None:
    """Runs until SIGTERM or Ctrl+C (or until `stop` is set, for tests of Socket Mode)."""
    check_config(settings, socket=socket)
    configure_logging(settings)
    services = build_services(settings, engine)
    app = build_app_or_explain(services)
    services.start_up()
    worker = services.delivery_worker().start()
    try:
        if socket:
            serve_socket(app, str(secret(settings.slack.app_token)), stop or threading.Event())
        else:
            serve_http(app, settings.slack, port)
    finally:
        worker.stop()


def build_app_or_explain(services: Services) -> App:
    """Bolt checks the token with auth.test while building; turn its failure into one clear line."""
    try:
        return build_slack_app(services)
    except BoltError as error:
        raise SlackConfigError(f"Slack did not accept SLACK_BOT_TOKEN: {error}") from error
    except OSError as error:
        raise SlackConfigError(f"could not reach the Slack API ({type(error).__name__}): {error}") from error


def serve_socket(app: App, app_token: str, stop: threading.Event) -> None:
    """Socket Mode: the app dials out to Slack, so no public URL is needed behind a firewall."""
    handler = SocketModeHandler(app, app_token)
    handler.connect()
    log.info("connected to Slack in Socket Mode")
    run_until_stopped(app, stop.wait, on_sigterm=stop.set, close=handler.close)


def serve_http(app: App, slack: SlackSettings, port: int) -> None:
    """Slack's Events API over HTTP (bot/slack/server.py); SIGTERM stops accepting, lets the acks in
    flight finish, and run_until_stopped then waits for the answers in Bolt's lazy pool."""
    server = make_server(app, slack.http_host, port, threads=slack.http_threads)
    log.info("listening on http://%s:%d/slack/events (health: /healthz)", slack.http_host, server.port)
    shut_down = lambda: threading.Thread(target=server.shutdown, daemon=True).start()  # noqa: E731
    run_until_stopped(app, server.serve_forever, on_sigterm=shut_down, close=server.server_close)


def run_until_stopped(
    app: App, serve: Callable[[], object], *, on_sigterm: Callable[[], object], close: Callable[[], object]
) -> None:
    """Serve until Ctrl+C or SIGTERM, then let the answers in flight finish before exiting."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: on_sigterm())
    try:
        serve()
    except KeyboardInterrupt:
        pass
    finally:
        close()
        app.listener_runner.listener_executor.shutdown(wait=True)

