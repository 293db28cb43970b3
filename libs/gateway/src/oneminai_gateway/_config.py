"""The gateway's configuration: server, upstream 1min.AI client, gateway keys.

Read from a TOML (or JSON) file; every field has a default, so an empty file (or none) works
with ``pass_through = true`` or keys added later. Secrets never appear in ``repr()``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

__all__ = ["ConfigError", "GatewayConfig", "KeyConfig", "ServerConfig", "UpstreamConfig"]

DEFAULT_PORT = 8080
DEFAULT_MAX_BODY = 25 * 1024 * 1024


class ConfigError(ValueError):
    """The configuration file is missing, unreadable or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerConfig(_Strict):
    """How the gateway listens and what it keeps.

    Attributes:
        host: Interface to listen on (``--host`` overrides it).
        port: Port (``--port`` overrides it).
        max_body_bytes: Largest request body accepted (larger: 413 in OpenAI's error shape).
        ledger: Path of the SQLite usage ledger (relative paths: to the config file).
        models_cache_seconds: How long the model catalog is cached.
        web_search_suffix: A model id ending in this (``gpt-4o:online``) turns on web search.
        public_base_url: The URL clients reach the gateway at (for ``url`` image results
            served by the gateway; default: the request's own host).
    """

    host: str = "127.0.0.1"
    port: int = Field(default=DEFAULT_PORT, ge=0, le=65535)
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY, ge=1024)
    ledger: str = "oneminai-gateway.sqlite3"
    models_cache_seconds: float = Field(default=300.0, ge=0)
    web_search_suffix: str = ":online"
    public_base_url: str | None = None


class UpstreamConfig(_Strict):
    """The core client the gateway calls 1min.AI with.

    Attributes:
        api_key: The 1min.AI key (prefer ``api_key_env``; never logged).
        api_key_env: Environment variable holding the key (default ``ONEMINAI_API_KEY``).
        base_url: API origin (default: ``ONEMINAI_BASE_URL``, then https://api.1min.ai).
        max_retries: Retries of rate-limited, failed or dropped upstream requests.
        timeout: Seconds for a non-streamed upstream call (media features can be slow).
        max_connections: Upstream connection pool size (one per concurrent stream).
    """

    api_key: SecretStr | None = None
    api_key_env: str = "ONEMINAI_API_KEY"
    base_url: str | None = None
    max_retries: int = Field(default=2, ge=0)
    timeout: float = Field(default=300.0, gt=0)
    max_connections: int = Field(default=1000, ge=1)

    def resolved_key(self) -> str:
        """The upstream key: ``api_key``, else the environment variable ("" if neither)."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return os.environ.get(self.api_key_env, "")


class KeyConfig(_Strict):
    """One gateway key: who may call, with what budget and rate.

    Give the key itself (``key``) or, better, only its SHA-256 (``key_sha256``, lowercase
    hex: ``printf %s "$KEY" | sha256sum``).

    Attributes:
        name: A label for the ledger and ``oneminai-gateway usage`` (never the key).
        key: The bearer token clients send.
        key_sha256: Its SHA-256 instead of the token.
        budget_credits: Credits this key may spend in total (ledger totals); ``None``: no
            limit. Over it, calls answer 429 ``insufficient_quota``.
        rpm: Requests per minute; ``None``: no limit. Over it, 429 with ``Retry-After``.
        models: Model ids this key may use; ``None``: all.
    """

    name: str = Field(min_length=1, max_length=100)
    key: SecretStr | None = None
    key_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    budget_credits: float | None = Field(default=None, ge=0)
    rpm: int | None = Field(default=None, ge=1)
    models: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _one_secret(self) -> KeyConfig:
        if (self.key is None) == (self.key_sha256 is None):
            raise ValueError(f"key {self.name!r}: give exactly one of key and key_sha256")
        if self.key is not None and len(self.key.get_secret_value()) < 8:
            raise ValueError(f"key {self.name!r}: a key needs at least 8 characters")
        return self

    @property
    def digest(self) -> bytes:
        """The SHA-256 of the key, as bytes."""
        if self.key_sha256 is not None:
            return bytes.fromhex(self.key_sha256)
        assert self.key is not None
        return hashlib.sha256(self.key.get_secret_value().encode()).digest()


class GatewayConfig(_Strict):
    """The whole configuration.

    Attributes:
        server: Listening, limits, ledger.
        upstream: The 1min.AI client.
        keys: Gateway keys.
        pass_through: Forward the client's bearer token as the 1min.AI key instead of
            checking it against ``keys`` (each caller then pays with their own key; budgets
            and rpm do not apply, the ledger still records every call).
    """

    server: ServerConfig = Field(default_factory=ServerConfig)
    upstream: UpstreamConfig = Field(default_factory=UpstreamConfig)
    keys: tuple[KeyConfig, ...] = ()
    pass_through: bool = False

    @model_validator(mode="after")
    def _unique_names(self) -> GatewayConfig:
        names = [k.name for k in self.keys]
        if len(set(names)) != len(names):
            raise ValueError("key names must be unique")
        digests = [k.digest for k in self.keys]
        if len(set(digests)) != len(digests):
            raise ValueError("two keys have the same secret")
        return self

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None) -> GatewayConfig:
        """Read a TOML (``.toml``) or JSON file; ``None`` gives the defaults.

        Relative ``server.ledger`` paths are resolved against the file's folder.

        Raises:
            ConfigError: With the file name and what is wrong.
        """
        if path is None:
            return cls()
        file = Path(path)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror or exc}") from None
        try:
            data = _parse(file, raw)
        except ValueError as exc:
            raise ConfigError(
                f"{file}: not valid {file.suffix.lstrip('.') or 'TOML'}: {exc}"
            ) from None
        try:
            config = cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ConfigError(f"{file}: {problems}") from None
        ledger = Path(config.server.ledger)
        if not ledger.is_absolute():
            server = config.server.model_copy(update={"ledger": str(file.parent / ledger)})
            config = config.model_copy(update={"server": server})
        return config


def _parse(file: Path, raw: bytes) -> dict[str, Any]:
    if file.suffix == ".json":
        value = json.loads(raw)
    else:
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        value = tomllib.loads(raw.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("the top level must be a table")
    return value
