"""The server's settings: connection, tool selection, models, files, results, jobs."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from oneminai_webapi.integrations import TOOL_GROUPS, ClientSettings, ToolSpec, tool_specs

__all__ = ["ALLOWED_DIRS_ENV", "ServerConfig"]

#: Folders whose files the tools may upload, separated by ``os.pathsep`` (``:`` or ``;``).
ALLOWED_DIRS_ENV = "ONEMINAI_MCP_ALLOWED_DIRS"
_KEY_ENV = "ONEMINAI_API_KEY"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class ServerConfig:
    """Settings of the 1min.AI MCP server.

    ``repr()`` never shows the key or the proxy URL.

    Attributes:
        api_key: The 1min.AI API key (default: ``ONEMINAI_API_KEY``).
        base_url: API root (default: ``ONEMINAI_BASE_URL``, else the public API).
        timeout: Seconds per HTTP request (``None``: the core client's 60).
        max_retries: Retries of rate-limited, failed or dropped requests.
        proxy: HTTP proxy URL.
        tools: Tool names, short names (``image_generation``) or groups (``media``,
            ``writing``, ``chat``, ``account``) to offer; every tool when ``None``.
        models: Model id per tool (tool name or short name, e.g. ``image_generation``;
            ``ask`` sets the default chat model).
        allowed_dirs: Folders whose files the tools may upload, besides the client's
            declared MCP roots (default: ``ONEMINAI_MCP_ALLOWED_DIRS``).
        use_client_roots: Accept files inside the roots the MCP client declares.
        max_image_bytes: Images up to this size come back inline (base64); larger ones
            (or all, with 0) as links.
        inline_audio: Return audio inline (base64 audio content) up to
            ``max_audio_bytes``, instead of a link.
        max_audio_bytes: Size limit of inline audio.
        job_timeout: Seconds a video or music tool waits for its job; then it returns
            the job id to resume with ``oneminai_job_result``.
        poll_interval: First wait between job polls (``None``: the client's 2 s).
    """

    api_key: str = field(default="", repr=False)
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int = 2
    proxy: str | None = field(default=None, repr=False)
    tools: tuple[str, ...] | None = None
    models: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    allowed_dirs: tuple[str, ...] = ()
    use_client_roots: bool = True
    max_image_bytes: int = 2 * _MIB
    inline_audio: bool = False
    max_audio_bytes: int = 2 * _MIB
    job_timeout: float = 300.0
    poll_interval: float | None = None

    def __post_init__(self) -> None:
        known = {n for s in tool_specs() for n in (s.name, s.short_name)}
        unknown = [n for n in (*(self.tools or ()), *self.models) if n not in known]
        unknown = [n for n in unknown if n not in TOOL_GROUPS or n in self.models]
        if unknown:
            raise ValueError(f"unknown 1min.AI tools {unknown}; see `oneminai-mcp --list-tools`")
        for name, value in (("max_image_bytes", self.max_image_bytes),
                            ("max_audio_bytes", self.max_audio_bytes)):  # fmt: skip
            if value < 0:
                raise ValueError(f"{name} must not be negative")
        if not self.job_timeout > 0:
            raise ValueError("job_timeout must be a positive number of seconds")

    @classmethod
    def from_env(cls, **overrides: object) -> ServerConfig:
        """Settings from the environment, then ``overrides`` (``None`` values are ignored).

        The environment gives ``ONEMINAI_API_KEY``, ``ONEMINAI_BASE_URL`` and
        ``ONEMINAI_MCP_ALLOWED_DIRS``.
        """
        dirs = tuple(d for d in os.environ.get(ALLOWED_DIRS_ENV, "").split(os.pathsep) if d)
        values: dict[str, object] = {
            "api_key": os.environ.get(_KEY_ENV, ""),
            "base_url": os.environ.get("ONEMINAI_BASE_URL") or None,
            "allowed_dirs": dirs,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def client_settings(self) -> ClientSettings:
        """The core client's connection settings."""
        return ClientSettings(
            api_key=self.api_key,
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=self.max_retries,
            proxy=self.proxy,
        )

    def selected_tools(self) -> tuple[ToolSpec, ...]:
        """The tools to offer, in their usual order."""
        if self.tools is None:
            return tool_specs()
        wanted = set(self.tools)
        return tuple(
            s for s in tool_specs() if {s.name, s.short_name, s.group} & wanted
        )  # fmt: skip

    def model_for(self, spec: ToolSpec) -> str | None:
        """The configured model of a tool (``None``: the service's default)."""
        return self.models.get(spec.name) or self.models.get(spec.short_name)

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a result, an error or a log line."""
        key = self.api_key or os.environ.get(_KEY_ENV, "")
        return tuple(s for s in (key, self.proxy or "") if len(s) >= 4)


def parse_pairs(values: Sequence[str], what: str) -> dict[str, str]:
    """``["image_generation=dall-e-3"]`` → ``{"image_generation": "dall-e-3"}``."""
    pairs: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip() or not setting.strip():
            raise ValueError(f"{what} must look like NAME=VALUE, got {value!r}")
        pairs[name.strip()] = setting.strip()
    return pairs
