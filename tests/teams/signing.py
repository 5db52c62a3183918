"""Tokens like Azure Bot Service's, signed with an RSA key the test makes, and the keys served as
JWKS (with OpenID metadata) on 127.0.0.1.

The SDK's validator picks its keys URL from the token's issuer (Bot Framework's issuer ->
login.botframework.com's keys) and keeps one PyJWKClient per URL in a class-level cache;
`keys_served_locally` puts a client for our local URL in that cache slot for the test's duration.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fake_connector import send_json
from jwt import PyJWKClient
from jwt.algorithms import RSAAlgorithm
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthenticationConstants
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import (
    JwtTokenValidator,
    _JwkClientCacheEntry,
)

APP_ID = "00000000-0000-0000-0000-00000000a99b"
TENANT_ID = "00000000-0000-0000-0000-0000000000t1"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_TOKEN = "token-the-bot-sends-with"  # what the fake token provider hands the connector client
SDK_CONFIG = {
    "CONNECTIONS": {
        "SERVICE_CONNECTION": {
            "SETTINGS": {"CLIENTID": APP_ID, "CLIENTSECRET": "not-a-secret", "TENANTID": TENANT_ID}
        }
    }
}


@dataclass
class SigningKey:
    kid: str
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def token(self, audience: str = APP_ID, service_url: str = "", **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": BOT_FRAMEWORK_ISSUER,
            "aud": audience,
            "nbf": now - 60,
            "exp": now + 3600,
            "serviceurl": service_url,
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})


class KeyServer:
    """GET /.well-known/openidconfiguration and /keys, as Bot Framework's login service serves them."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = keys
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> KeyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/keys":
                    body: dict[str, Any] = {"keys": [key.public_jwk() for key in server.keys]}
                else:
                    body = {
                        "issuer": BOT_FRAMEWORK_ISSUER,
                        "jwks_uri": f"{server.url}/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                send_json(self, 200, body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler


@contextmanager
def keys_served_locally(server: KeyServer) -> Iterator[None]:
    cache = JwtTokenValidator._jwk_client_manager._cache
    slot = AuthenticationConstants.PUBLIC_ABS_JWKS_URL
    before = cache.get(slot)
    cache[slot] = _JwkClientCacheEntry(PyJWKClient(f"{server.url}/keys"), threading.Lock())
    try:
        yield
    finally:
        if before is None:
            cache.pop(slot, None)
        else:
            cache[slot] = before


class StaticTokenProvider:
    """Stands in for MSAL (which would ask Entra): every outgoing call carries BOT_TOKEN."""

    def __init__(self, configuration: AgentAuthConfiguration) -> None:
        self._configuration = configuration

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return BOT_TOKEN

    def get_token_credential(self) -> Any:
        raise NotImplementedError
