"""`rightsbot teams`: the Agents SDK's aiohttp hosting, with `POST /api/messages` behind the SDK's JWT
middleware and `GET /healthz` outside it, plus the credential check and a server that runs either in
the main thread (the command) or in a thread of its own (`rightsbot serve`, tests).

Credentials use the SDK's own variable names (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID,
...CLIENTSECRET, ...TENANTID), read with the SDK's loader and passed in as its configuration dict.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware, start_agent_process
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    Connections,
    MemoryStorage,
    RestChannelServiceClientFactory,
    TurnState,
)

from bot.settings import Settings
from bot.teams.app import TeamsDeps, TeamsHandlers
from bot.teams.connector import TeamsConnector, TeamsMemberChannel, TeamsOfficerBoard
from bot.teams.history import TeamsHistory
from bot.teams.privacy import log_failure, quiet_sdk_loggers
from bot.wiring import Services

log = logging.getLogger("rightsbot.teams")

PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
NEEDS = {
    "CLIENTID": "the bot's Microsoft App ID",
    "CLIENTSECRET": "a client secret of its app registration",
    "TENANTID": "the app registration's Entra tenant id",
}
ANONYMOUS_WARNING = (
    "!!! RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS=true: requests without a token are accepted and replies go "
    "to whatever serviceUrl they name. For local testing with the Agents Playground only. !!!"
)


class TeamsConfigError(Exception):
    """A missing credential; the CLI prints it on one line and exits 2."""


def sdk_config_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The SDK's configuration, from the SDK's own variable names, read once at start-up."""
    return load_configuration_from_env(environ)


def service_settings(sdk_config: Mapping[str, Any]) -> dict[str, Any]:
    return ((sdk_config.get("CONNECTIONS") or {}).get("SERVICE_CONNECTION") or {}).get("SETTINGS") or {}


def check_credentials(sdk_config: Mapping[str, Any], allow_anonymous: bool) -> str | None:
    """The bot's app id; None in anonymous local mode. Raises TeamsConfigError naming what is missing."""
    given = service_settings(sdk_config)
    missing = [PREFIX + key for key in NEEDS if not given.get(key)]
    if not missing:
        return str(given["CLIENTID"])
    if allow_anonymous and len(missing) == len(NEEDS):
        return None
    what = "; ".join(f"{name} ({NEEDS[name.removeprefix(PREFIX)]})" for name in missing)
    raise TeamsConfigError(
        f"Teams credentials missing: {what}. Set them from the Azure Bot's app registration, or "
        "RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS=true for local testing only (see docs/teams.md)"
    )


def connection_manager(
    sdk_config: Mapping[str, Any], app_id: str | None, allow_anonymous: bool
) -> Connections:
    if (
        app_id is None
    ):  # anonymous: an empty service connection, so the JWT middleware lets tokenless requests in
        config = AgentAuthConfiguration(anonymous_allowed=True)
        return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})
    manager = MsalConnectionManager(**sdk_config)
    manager.get_default_connection_configuration().ANONYMOUS_ALLOWED = allow_anonymous
    return manager


@dataclass
class TeamsRuntime:
    web_app: web.Application
    connector: TeamsConnector
    handlers: TeamsHandlers


def build_teams(
    settings: Settings,
    services: Services,
    sdk_config: Mapping[str, Any],
    connections: Connections | None = None,
) -> TeamsRuntime:
    """Everything Teams needs, over the shared services; registers Teams with the desk as a member
    channel and, when RIGHTSBOT_TEAMS__OFFICERS_CHANNEL is set, as an officers' board.
    `connections` replaces the MSAL token provider (tests: no Entra to ask)."""
    teams = settings.teams
    app_id = check_credentials(sdk_config, teams.allow_anonymous)
    if teams.allow_anonymous:
        log.warning(ANONYMOUS_WARNING)
    quiet_sdk_loggers()
    connections = connections or connection_manager(sdk_config, app_id, teams.allow_anonymous)
    factory = RestChannelServiceClientFactory(connections)
    adapter = CloudAdapter(channel_service_client_factory=factory)
    agent = AgentApplication[TurnState](
        storage=MemoryStorage(),  # the SDK's per-turn state, which we do not use; ours is in SQL
        connection_manager=connections,
        start_typing_timer=False,  # the background answer shows typing itself
    )
    connector = TeamsConnector(adapter, factory, app_id)
    handlers = TeamsHandlers(
        TeamsDeps(
            engine=services.engine,
            desk=services.desk,
            answers=services.stores.feedback,
            history=TeamsHistory(settings.sqlalchemy_url, settings.stores),
            connector=connector,
            seen=services.stores.seen,
            limits=services.limits,
            officers_channel=teams.officers_channel,
        )
    )
    handlers.register(agent)
    adapter.on_turn_error = handlers.on_error  # the adapter's default also sends the exception text
    connect_to_desk(services, settings, connector, app_id, sdk_config)
    if not services.desk.boards:
        log.warning(
            "no officers' board (RIGHTSBOT_TEAMS__OFFICERS_CHANNEL or Slack's): escalations are stored, no officer sees them"
        )
    auth = connections.get_default_connection_configuration()
    return TeamsRuntime(web_app(agent, adapter, auth, connector, handlers), connector, handlers)


def connect_to_desk(
    services: Services,
    settings: Settings,
    connector: TeamsConnector,
    app_id: str | None,
    sdk_config: Mapping[str, Any],
) -> None:
    services.desk.add_member_channel(TeamsMemberChannel(connector))
    if settings.teams.officers_channel:
        tenant = service_settings(sdk_config).get("TENANTID")
        board = TeamsOfficerBoard(
            connector, settings.teams.officers_channel, settings.teams.service_url, tenant
        )
        services.desk.add_board(board)


def web_app(
    agent: AgentApplication[TurnState],
    adapter: CloudAdapter,
    auth: AgentAuthConfiguration,
    connector: TeamsConnector,
    handlers: TeamsHandlers,
) -> web.Application:
    """/healthz on the root app; /api/messages on a sub-app whose middleware is the SDK's JWT check."""

    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            return await start_agent_process(request, agent, adapter) or web.Response(status=202)
        except Exception as error:  # aiohttp would log it whole, payload included
            log_failure("teams request", error)
            return web.json_response({"error": "could not process the activity"}, status=500)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def started(app: web.Application) -> None:
        connector.loop = asyncio.get_running_loop()

    async def stopping(app: web.Application) -> None:
        """Let answers in flight finish before the loop goes."""
        if handlers.background:
            await asyncio.wait(set(handlers.background), timeout=30)

    api = web.Application(middlewares=[jwt_authorization_middleware])
    with warnings.catch_warnings():  # the SDK's middleware reads this plain string key
        warnings.simplefilter("ignore")
        api["agent_configuration"] = auth
    api.router.add_post("/messages", messages)
    root = web.Application()
    root.router.add_get("/healthz", health)
    root.add_subapp("/api", api)
    root.on_startup.append(started)
    root.on_shutdown.append(stopping)
    return root


class TeamsServer:
    """The aiohttp app on its own event loop in a thread: `start()` returns once it is listening."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app, self.host, self.requested_port = app, host, port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        self._thread = threading.Thread(target=self._loop.run_forever, name="rightsbot-teams", daemon=True)

    def start(self) -> TeamsServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(30)
        log.info("listening on http://%s:%d/api/messages (health: /healthz)", self.host, self.port)
        return self

    async def _listen(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])  # the bound port, for port 0

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(60)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
