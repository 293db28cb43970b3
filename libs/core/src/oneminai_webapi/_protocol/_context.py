"""Credentials and per-client state that operations read (and the team id they learn)."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .._config import (
    BASE_URL_ENV,
    DEFAULT_ASSET_BASE_URL,
    DEFAULT_BASE_URL,
    DEFAULT_SOCIAL_BASE_URL,
    DEFAULT_TIMEOUT,
    Limits,
    Timeouts,
)
from ..exceptions import InvalidRequestError
from ._http import Surface, UploadProgress
from ._retry_policy import RetryPolicy
from ._secrets import Secret, proxy_secrets

CredentialKind = Literal["api_key", "jwt", "none"]

_BROWSER_HEADERS: Mapping[str, str] = {
    "Origin": "https://app.1min.ai",
    "Referer": "https://app.1min.ai/",
    "Accept-Language": "en-US,en;q=0.9",
}


def _looks_like_jwt(value: str) -> bool:
    return value.startswith("eyJ") and value.count(".") == 2


class Credential:
    """An API key or a web-app JWT. Its repr, str and pickle never reveal the value."""

    __slots__ = ("_value", "kind")

    def __init__(self, value: str, kind: CredentialKind | None = None) -> None:
        self._value = Secret(value)
        self.kind: CredentialKind = kind or (
            "none" if not value else "jwt" if _looks_like_jwt(value) else "api_key"
        )

    def reveal(self) -> Secret:
        """The secret itself (only for building request headers; its repr is ``'***'``)."""
        return self._value

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values to blank in anything the server sends back (error bodies)."""
        return (self._value,) if self._value else ()

    def __repr__(self) -> str:
        return f"Credential(kind={self.kind!r}, value='***')"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("credentials cannot be pickled")


@dataclass
class Settings:
    """Resolved client settings (immutable after construction, except through ``with_options``)."""

    base_url: str = DEFAULT_BASE_URL
    #: The documented asset host: relative result keys that no ``temporaryUrl`` locates.
    asset_base_url: str = DEFAULT_ASSET_BASE_URL
    #: Whether the caller chose ``asset_base_url`` (it then wins over the host a record's
    #: ``temporaryUrl`` shows, e.g. for a gateway that also proxies downloads).
    asset_base_url_set: bool = False
    social_base_url: str = DEFAULT_SOCIAL_BASE_URL
    proxy: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    limits: Limits = field(default_factory=Limits)
    user_agent: str = "oneminai-webapi/2"


@dataclass
class Context:
    """What operations know about the caller: credential, settings, and the learned team."""

    credential: Credential
    settings: Settings
    team_id: str | None = None
    #: Told the bytes of every upload (``with_options(on_upload_progress=...)``).
    upload_progress: UploadProgress | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything to blank in what leaves the client (key, proxy credentials)."""
        return self.credential.secrets + proxy_secrets(self.settings.proxy)

    @property
    def uses_webapp(self) -> bool:
        """A JWT (from ``oauth_login``) talks to the web-app routes; an API key to ``/api``."""
        return self.credential.kind == "jwt"

    def require_credential(self) -> None:
        """Raise a clear error before any request when no credential is configured."""
        if self.credential.kind == "none":
            raise InvalidRequestError(
                "No API key: pass OneMinAIClient(api_key=...) or set ONEMINAI_API_KEY "
                "(or sign in with oauth_login())."
            )

    def auth_headers(self, surface: Surface) -> dict[str, str]:
        """Headers that authenticate a request on ``surface`` (none for public/external)."""
        if surface is Surface.OFFICIAL and self.credential.kind != "jwt":
            self.require_credential()
            return {"API-KEY": self.credential.reveal()}
        if surface in (Surface.OFFICIAL, Surface.WEBAPP):
            self.require_credential()
            return {
                "X-Auth-Token": Secret(f"Bearer {self.credential.reveal()}"),
                "traceparent": _traceparent(),
                **_BROWSER_HEADERS,
            }
        return {}


def _traceparent() -> str:
    # A fresh W3C trace context per request (the earlier client froze one per session).
    import secrets  # web-app requests only: not on the import path

    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def resolve_settings(
    *,
    base_url: str | None,
    proxy: str | None,
    timeout: float | None,
    timeouts: Timeouts | None,
    retry: RetryPolicy,
    limits: Limits,
    asset_base_url: str | None,
) -> Settings:
    """Apply environment fallbacks and derive the social host from the base URL.

    The asset host is never derived from ``base_url``: relative result keys resolve against
    the host of the record's ``temporaryUrl``, else ``asset_base_url`` (the documented
    asset host by default).
    """
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise InvalidRequestError(f"base_url must be an http(s) URL, got {base!r}")
    custom = base != DEFAULT_BASE_URL
    if timeouts is not None and not isinstance(timeouts, Timeouts):
        raise InvalidRequestError(f"timeouts must be a Timeouts, got {type(timeouts).__name__}")
    if timeouts is None:
        timeouts = Timeouts() if timeout is None else Timeouts(total=timeout)
    elif timeout is not None and timeout is not DEFAULT_TIMEOUT:  # explicit: it wins
        timeouts = dataclasses.replace(timeouts, total=timeout)
    return Settings(
        base_url=base,
        # Never the API base URL: behind a proxy or gateway the files stay on the asset host.
        asset_base_url=(asset_base_url or DEFAULT_ASSET_BASE_URL).rstrip("/"),
        asset_base_url_set=bool(asset_base_url),
        social_base_url=base if custom else DEFAULT_SOCIAL_BASE_URL,
        proxy=Secret(proxy) if proxy else None,
        timeouts=timeouts,
        retry=retry,
        limits=limits,
    )


def monotonic() -> float:
    """Clock used for rate limiting (patchable in tests)."""
    return time.monotonic()
