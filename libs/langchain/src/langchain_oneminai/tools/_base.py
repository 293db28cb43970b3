"""Shared plumbing for the 1min.AI media tools: one API wrapper, sync and async runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool, ToolException
from langchain_core.utils import from_env, secret_from_env
from oneminai_webapi.exceptions import LocalFileRefusedError, OneMinAIError
from oneminai_webapi.integrations import ClientFactory, ClientSettings, check_file_reference
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

__all__ = ["OneMinAIAPIWrapper", "OneMinAIBaseTool"]

#: Constructor keywords a tool or toolkit forwards to its :class:`OneMinAIAPIWrapper`.
_WRAPPER_FIELDS = ("api_key", "base_url", "timeout", "max_retries", "proxy")


class OneMinAIAPIWrapper(BaseModel):
    """Connection settings and clients shared by 1min.AI tools.

    One wrapper holds the clients that every tool built with it shares, each created on first
    use: one sync client, and one async client per event loop (closed when that loop ends, as
    with ``asyncio.run``). Construction does no I/O and needs no key.

    Attributes:
        api_key: API key (default ``ONEMINAI_API_KEY``).
        base_url: API base URL (default ``ONEMINAI_BASE_URL``, then https://api.1min.ai).
        timeout: Seconds per HTTP request (client default 60).
        max_retries: Retries of rate-limited, failed or dropped requests.
        proxy: HTTP proxy URL (a secret: it may hold a user name and password).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("ONEMINAI_API_KEY", default=None)
    )
    base_url: str | None = Field(default_factory=from_env("ONEMINAI_BASE_URL", default=None))
    timeout: float | None = None
    max_retries: int = 2
    proxy: SecretStr | None = None

    _factory: ClientFactory | None = PrivateAttr(default=None)

    def clients(self) -> ClientFactory:
        """The client factory of this wrapper (created on first use)."""
        if self._factory is None:
            self._factory = ClientFactory(ClientSettings.from_config(self))
        return self._factory

    def close(self) -> None:
        """Release the shared connection pools (a later call reopens them).

        Closes the sync client, and async clients whose event loop is not running (see
        :meth:`oneminai_webapi.integrations.ClientFactory.close`); inside a running loop, use
        :meth:`aclose`.
        """
        if self._factory is not None:
            self._factory.close()

    async def aclose(self) -> None:
        """Release the running loop's async connection pool, then what :meth:`close` does."""
        if self._factory is not None:
            await self._factory.aclose()


def wrapper_from_values(values: Any) -> Any:
    """Move ``api_key``/``base_url``/… constructor keywords into an ``api_wrapper``."""
    if isinstance(values, dict) and "api_wrapper" not in values:
        settings = {k: values.pop(k) for k in _WRAPPER_FIELDS if k in values}
        if settings:
            values["api_wrapper"] = OneMinAIAPIWrapper(**settings)
    return values


@contextmanager
def _as_tool_errors() -> Iterator[None]:
    """Turn a service error, or an argument the tool refuses, into a ``ToolException``.

    With ``handle_tool_error`` on (the default), LangChain then returns the message to the
    model as the tool's result (``status="error"`` on the ``ToolMessage``) instead of ending
    the agent's run. Error messages never hold the API key.
    """
    try:
        yield
    except ToolException:
        raise
    except (OneMinAIError, ValueError) as exc:
        raise ToolException(f"{type(exc).__name__}: {exc}") from exc


class OneMinAIBaseTool(BaseTool):
    """Base class of the 1min.AI media tools.

    Subclasses define ``name``, ``description``, ``args_schema``, :meth:`_call` (start the
    client call) and :meth:`_format` (turn its output into ``(content, artifact)``). The
    artifact holds URLs, asset keys and ids; the content is a short text for the model.

    A service error (no credit, a refused prompt, a failed job, a timeout …) or a refused
    argument becomes a ``ToolException``; with ``handle_tool_error`` on (the default) the
    agent gets the error text as the tool's result and its run goes on.
    """

    handle_tool_error: bool | str | Callable[[ToolException], str] | None = True
    """Return service errors to the model as the tool's result (default ``True``)."""

    api_wrapper: OneMinAIAPIWrapper = Field(default_factory=OneMinAIAPIWrapper)
    """Connection settings and the shared client."""
    model: str | None = None
    """Model id (``None`` = the service's default for this feature)."""
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    allow_local_files: bool = False
    """Let file arguments name local files (uploaded first). Off by default: arguments come
    from a model, and a prompt injection must not be able to send local files away."""

    #: Arguments that name an input file (URL, asset key, or — if allowed — a local path).
    _file_args: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _collect_wrapper_settings(cls, values: Any) -> Any:
        return wrapper_from_values(values)

    def _call(self, client: Any, **kwargs: Any) -> Any:
        """Start the client call (a value for the sync client, an awaitable for async)."""
        raise NotImplementedError

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        """Turn the client's output into ``(content, artifact)``."""
        raise NotImplementedError

    def _check_files(self, kwargs: dict[str, Any]) -> None:
        """Check the file arguments in place (see ``check_file_reference``).

        A URL or asset key stays as given (stripped); an allowed local path is replaced by
        the resolved ``Path`` the client then opens.

        Raises:
            LocalFileRefusedError: A local path while ``allow_local_files`` is off.
        """
        for name in self._file_args:
            value = kwargs.get(name)
            if value is None:
                continue
            try:
                kwargs[name] = check_file_reference(value, allow_local_files=self.allow_local_files)
            except LocalFileRefusedError as exc:
                raise LocalFileRefusedError(
                    f"{name}: {exc.message} (construct the tool with allow_local_files=True "
                    "to permit local files)"
                ) from None

    def _run(
        self, run_manager: CallbackManagerForToolRun | None = None, **kwargs: Any
    ) -> tuple[str, dict[str, Any]]:
        with _as_tool_errors():
            self._check_files(kwargs)
            client = self.api_wrapper.clients().sync()
            return self._format(self._call(client, **kwargs))

    async def _arun(
        self, run_manager: AsyncCallbackManagerForToolRun | None = None, **kwargs: Any
    ) -> tuple[str, dict[str, Any]]:
        with _as_tool_errors():
            self._check_files(kwargs)
            client = await self.api_wrapper.clients().async_()
            return self._format(await self._call(client, **kwargs))
