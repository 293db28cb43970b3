"""The :class:`Emulator`: start/stop (in the current loop or a thread) and the test-facing API."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from aiohttp import web

from ._account import issue_token
from ._app import build_app
from ._catalog import Catalog
from ._config import EmulatorConfig
from ._faults import Fault, InjectedFault
from ._runtime import Runtime
from ._state import Asset, Conversation, RecordedRequest, ScriptItem, Stats, new_id, now_iso


class Emulator:
    """A local, in-memory 1min.AI service (official API + web-app API).

    Example:
        ``async with Emulator(api_key="test-key") as emu: ...`` inside a running loop, or
        ``with Emulator() as emu: ...`` (own loop in a daemon thread) for synchronous code.

    Args:
        api_key: Accepted API key (default ``"test-key"``).
        host: Interface to bind.
        port: Port to bind (0 = a free port).
        config: A full :class:`EmulatorConfig`; ``api_key`` and ``**overrides`` patch it.
        **overrides: Any :class:`EmulatorConfig` field, e.g. ``rate_limit=True``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        config: EmulatorConfig | None = None,
        **overrides: Any,
    ) -> None:
        cfg = config if config is not None else EmulatorConfig()
        if api_key is not None:
            cfg.api_key = api_key
        names = {f.name for f in dataclasses.fields(EmulatorConfig)}
        for name, value in overrides.items():
            if name not in names:
                raise TypeError(f"Unknown emulator option {name!r}")
            setattr(cfg, name, value)
        self._rt = Runtime(cfg)
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ----- lifecycle --------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (valid once started)."""
        return self._rt.base_url

    @property
    def asset_base_url(self) -> str:
        """Download base for asset keys: ``f"{emu.asset_base_url}/{key}"``."""
        return self._rt.asset_base_url

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    def make_app(self) -> web.Application:
        """A fresh aiohttp application bound to this emulator's state (for custom servers)."""
        return build_app(self._rt)

    async def astart(self) -> Emulator:
        """Start serving inside the running event loop."""
        if self._runner is not None:
            raise RuntimeError("Emulator already started")
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.25)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, backlog=4096, reuse_address=True)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self._rt.base_url = f"http://{self.host}:{self.port}"
        return self

    async def astop(self) -> None:
        """Stop serving (open streams are cut)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        return await self.astart()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.astop()

    def start_in_thread(self, timeout: float = 10.0) -> Emulator:
        """Start serving on a private event loop in a daemon thread; returns ``self``."""
        if self._thread is not None or self._runner is not None:
            raise RuntimeError("Emulator already started")
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.astart())
            except BaseException as exc:  # pragma: no cover - bind errors
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            try:
                loop.run_until_complete(self.astop())
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for task in pending:
                    task.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="oneminai-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("Emulator did not start in time")
        if failure:
            self._thread = None
            self._loop = None
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop a server started with :meth:`start_in_thread` (no-op when not running)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            if self._runner is not None:
                raise RuntimeError("Started with astart(); use 'await emu.astop()'")
            return
        if not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._thread = None
        self._loop = None

    def __enter__(self) -> Emulator:
        return self.start_in_thread()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ----- configuration and state ------------------------------------------------------
    @property
    def config(self) -> EmulatorConfig:
        """Live configuration (mutable)."""
        return self._rt.config

    @property
    def api_key(self) -> str:
        """The accepted API key."""
        return self._rt.config.api_key

    @property
    def team_id(self) -> str:
        """The team uuid used by ``/teams/{t}/…`` routes."""
        return self._rt.config.team_id

    @property
    def catalog(self) -> Catalog:
        """The model catalog (``emu.catalog.add("my-model", ["@chat"])``)."""
        return self._rt.catalog

    @property
    def stats(self) -> Stats:
        """Counters: ``in_flight``, ``peak_in_flight``, ``open_streams``, ``peak_open_streams``."""
        return self._rt.state.stats

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since start / :meth:`reset`."""
        return self._rt.state.requests

    @property
    def last_request(self) -> RecordedRequest | None:
        """The most recent recorded request."""
        reqs = self._rt.state.requests
        return reqs[-1] if reqs else None

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests whose path starts with ``path`` (optionally one method)."""
        m = method.upper() if method else None
        return [
            r
            for r in self._rt.state.requests
            if r.path.startswith(path) and (m is None or r.method == m)
        ]

    @property
    def conversations(self) -> dict[str, Conversation]:
        """Conversations by uuid."""
        return self._rt.state.conversations

    @property
    def assets(self) -> dict[str, Asset]:
        """Uploaded and generated assets by key."""
        return self._rt.state.assets

    @property
    def records(self) -> dict[str, dict[str, Any]]:
        """Every aiRecord produced, by uuid."""
        return self._rt.state.records

    @property
    def credits(self) -> int:
        """The team's remaining credit."""
        return self._rt.state.credits

    @credits.setter
    def credits(self, value: int) -> None:
        self._rt.state.credits = value

    def reset(self) -> None:
        """Forget all state (requests, conversations, assets, records, scripts, faults)."""
        self._rt.state.reset()
        self._rt.faults.clear()

    def script_replies(self, replies: Iterable[ScriptItem]) -> None:
        """Queue replies (``str`` or ``fn(ChatTurn) -> str``) for the next chat/text turns."""
        with self._rt.state._lock:
            self._rt.state.script.extend(replies)

    def clear_script(self) -> None:
        """Drop queued scripted replies."""
        self._rt.state.script.clear()

    @property
    def pending_replies(self) -> int:
        """Scripted replies not consumed yet."""
        return len(self._rt.state.script)

    def inject(
        self,
        fault: Fault,
        *,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> InjectedFault:
        """Arm ``fault`` for the next ``times`` matching requests (``None`` = forever).

        Args:
            fault: What to do (see :class:`Fault`).
            times: How many requests it hits.
            path: Only requests whose path starts with this prefix.
            method: Only this HTTP method.

        Returns:
            A handle with ``hits``, ``remaining`` and ``cancel()``.
        """
        return self._rt.faults.add(fault, times, path, method)

    def clear_faults(self) -> None:
        """Disarm all faults."""
        self._rt.faults.clear()

    @property
    def armed_faults(self) -> list[InjectedFault]:
        """Faults still armed."""
        return self._rt.faults.armed

    def issue_token(self) -> str:
        """Mint a web-app JWT without going through ``/auth/oauth``."""
        return issue_token(self._rt)

    def expire_token(self, token: str) -> None:
        """Make ``token`` answer 401 "Token expired" (``/auth/refresh`` still accepts it)."""
        self._rt.state.tokens[token] = False

    def add_conversation(
        self,
        title: str = "Emulated chat",
        model: str | None = "gpt-4o-mini",
        type: str = "UNIFY_CHAT_WITH_AI",
    ) -> Conversation:
        """Create a conversation directly in state and return it."""
        c = self._rt.config
        conv = Conversation(new_id(), title, type, model, now_iso(), c.team_id, c.user_id)
        self._rt.state.conversations[conv.uuid] = conv
        return conv

    @property
    def official_headers(self) -> dict[str, str]:
        """``{"API-KEY": api_key}``."""
        return {"API-KEY": self.api_key}

    def webapp_headers(self, token: str | None = None) -> dict[str, str]:
        """``{"X-Auth-Token": "Bearer <token or api key>"}``."""
        return {"X-Auth-Token": f"Bearer {token or self.api_key}"}

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, running={self.running})"
