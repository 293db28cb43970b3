"""``OneMinAIToolSpec``: 1min.AI's agent tools for LlamaIndex, from the shared definitions.

Every tool is a :class:`~oneminai_webapi.integrations.ToolSpec` of the core: the same name,
description, JSON schema, client call and result text as the MCP server's and LangChain's
tools. This module adds what is LlamaIndex's: the tools as ``FunctionTool``s (sync and
async), results as content blocks, service errors as error outputs, the local-file policy,
models per tool and the clients' lifetime.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.bridge.pydantic import BaseModel, SecretStr
from llama_index.core.tools import FunctionTool, ToolMetadata
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from oneminai_webapi.integrations import (
    TOOL_GROUPS,
    ClientFactory,
    ClientSettings,
    Closeable,
    ToolResult,
    ToolSpec,
    check_file_reference,
    tool_spec,
    tool_specs,
)

from ._legacy import DeprecatedMethods, is_old_name, renamed
from ._tool import ServiceErrorTool, SharedToolMetadata

if TYPE_CHECKING:
    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

__all__ = ["DEFAULT_TOOLS", "OneMinAIToolSpec"]

_ENV_KEY = "ONEMINAI_API_KEY"

#: The tools a spec offers unless told otherwise: the media tools (with
#: ``oneminai_job_result`` to resume a slow video or music job) and ``oneminai_ask``.
DEFAULT_TOOLS: tuple[str, ...] = ("media", "oneminai_ask")

#: Constructor options that set the model of some tools (by short name).
_MODEL_OPTIONS: dict[str, tuple[str, ...]] = {
    "image_model": ("image_generation", "image_edit"),
    "tts_model": ("text_to_speech",),
    "stt_model": ("speech_to_text",),
    "video_model": ("video_generation",),
    "music_model": ("music_generation",),
    "chat_model": ("ask",),
}


class OneMinAIToolSpec(DeprecatedMethods, Closeable, BaseToolSpec):
    """1min.AI's agent tools for LlamaIndex: media, writing, chat and account.

    The tools are the shared definitions of ``oneminai_webapi.integrations`` (the same
    names, descriptions and JSON schemas as the ``oneminai-mcp`` server and the LangChain
    tools): ``oneminai_image_generation``, ``oneminai_image_edit``,
    ``oneminai_text_to_speech``, ``oneminai_speech_to_text``, ``oneminai_video_generation``,
    ``oneminai_music_generation``, ``oneminai_job_result``, ``oneminai_ask`` (chat with
    any model, optionally searching the web), the writing tools (``oneminai_summarize``,
    ``oneminai_translate``, …), ``oneminai_list_models`` and ``oneminai_credits``. Each
    has a sync and an async implementation. A result is a text block (what the agent's LLM
    reads, with the result URLs) followed by an ``ImageBlock``, ``AudioBlock`` or
    ``VideoBlock`` per file; the output's ``raw_output`` is the
    :class:`~oneminai_webapi.integrations.ToolResult` (URLs, asset keys, credits used).

    The media tools' schemas offer only what their model accepts (sizes, voices, durations,
    aspect ratios), read from the feature registry for the configured model, else the
    feature's default model.

    A service error (no credit, a refused prompt, invalid arguments, a failed job, a
    timeout …) does not raise: the tool returns an error ``ToolOutput`` (``is_error=True``)
    whose text tells the agent what went wrong, so the run goes on (see
    :class:`ServiceErrorTool`).

    The spec keeps its connections open between calls: one sync client, and one async
    client per event loop (closed when that loop ends, as with ``asyncio.run``). Release
    them with :meth:`close` (sync code) or :meth:`aclose` (async code), or use the spec as
    a ``with`` / ``async with`` block.

    Example:
        .. code-block:: python

            from llama_index.tools.oneminai import OneMinAIToolSpec

            with OneMinAIToolSpec(image_model="dall-e-3") as spec:
                tools = spec.to_tool_list()  # the media tools and oneminai_ask
                writing = spec.to_tool_list(["writing"])
                ...

    Args:
        api_key: The API key (default: ``ONEMINAI_API_KEY``).
        base_url: API root (default: ``ONEMINAI_BASE_URL``, else the public API).
        timeout: Request timeout in seconds (media jobs can be slow).
        max_retries: Retries of failed requests.
        proxy: Optional HTTP proxy URL.
        tools: The tools :meth:`to_tool_list` gives by default: tool names
            (``oneminai_summarize``) and groups (``media``, ``writing``, ``chat``,
            ``account``). Default: :data:`DEFAULT_TOOLS` (the media group and
            ``oneminai_ask``).
        models: Model id per tool, by tool name or short name (``image_generation``,
            ``summarize``); the ``*_model`` options below are shortcuts.
        image_model: Model for image generation and editing (``None``: service default).
        tts_model: Text-to-speech model.
        tts_voice: Default text-to-speech voice (must be one the model offers).
        stt_model: Speech-to-text model.
        video_model: Video model.
        music_model: Music model.
        chat_model: Chat model of ``oneminai_ask``.
        num_of_site: Web pages read when ``oneminai_ask`` searches the web and the model
            does not say how many.
        poll_interval: Seconds between status checks of video and music jobs
            (``None``: the core client's default).
        poll_timeout: Give up waiting for a video or music job after this many seconds
            (the error tells the agent the job id for ``oneminai_job_result``).
        allow_local_files: Let tools upload local files named in file arguments (``image``,
            ``audio``). Off by default: the arguments come from the model, and a prompt
            injection must not be able to send local files to the service.
        client: A ready sync core client to use.
        async_client: A ready async core client to use.

    Raises:
        ValueError: An unknown tool or group, an unknown tool in ``models``, a model set
            twice, or a ``tts_voice`` the TTS model does not offer.
    """

    def __init__(
        self,
        api_key: str | SecretStr | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 300.0,
        max_retries: int = 2,
        proxy: str | None = None,
        tools: Sequence[str] | None = None,
        models: Mapping[str, str] | None = None,
        image_model: str | None = None,
        tts_model: str | None = None,
        tts_voice: str | None = None,
        stt_model: str | None = None,
        video_model: str | None = None,
        music_model: str | None = None,
        chat_model: str | None = None,
        num_of_site: int = 3,
        poll_interval: float | None = None,
        poll_timeout: float | None = None,
        allow_local_files: bool = False,
        client: SyncOneMinAIClient | None = None,
        async_client: OneMinAIClient | None = None,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get(_ENV_KEY, "")
        settings = ClientSettings(
            api_key=api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            proxy=proxy,
        )
        self._clients = ClientFactory(settings, sync_client=client, async_client=async_client)
        self.image_model = image_model
        self.tts_model = tts_model
        self.tts_voice = tts_voice
        self.stt_model = stt_model
        self.video_model = video_model
        self.music_model = music_model
        self.chat_model = chat_model
        self.num_of_site = num_of_site
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self.allow_local_files = allow_local_files
        self.models: dict[str, str] = _checked_models(models or {}, self)
        self._built: dict[tuple[str, str | None, str | None], ToolSpec] = {}
        # BaseToolSpec's (mutable) instance attribute: the tools to_tool_list() gives.
        self.spec_functions: list[SPEC_FUNCTION_TYPE] = list(
            self._names(DEFAULT_TOOLS if tools is None else tools, stacklevel=4)
        )
        for name in self.spec_functions:  # a voice or model refused now, not at a call
            self._spec(str(name))
        if tts_voice is not None:
            self._spec("oneminai_text_to_speech")

    def __repr__(self) -> str:
        return f"OneMinAIToolSpec(tools={self.spec_functions!r}, models={self._models()!r})"

    # ── tools ────────────────────────────────────────────────────────────────────────

    def to_tool_list(
        self,
        spec_functions: list[SPEC_FUNCTION_TYPE] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        """The tools, as :class:`ServiceErrorTool` (service errors become error outputs).

        Args:
            spec_functions: Tool names and groups (default: the ``tools`` given to the
                constructor). The earlier names (``generate_image``, ``web_search``, …)
                still select their renamed tool, with a ``DeprecationWarning``.
            func_to_metadata_mapping: Metadata to use instead of a tool's own, by the name
                given in ``spec_functions`` or the tool name.

        Raises:
            ValueError: An unknown tool or group.
        """
        mapping = func_to_metadata_mapping or {}
        tools: dict[str, FunctionTool] = {}
        for entry in spec_functions or self.spec_functions:
            given = entry[0] if isinstance(entry, tuple) else entry
            for name in self._names([given], stacklevel=4):
                if name not in tools:  # each tool once, in the order first named
                    tools[name] = self._tool(name, mapping.get(given) or mapping.get(name))
        return list(tools.values())

    def get_metadata_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> ToolMetadata | None:
        """The metadata of the tool named ``fn_name`` (``None`` for an unknown name)."""
        return self._metadata_for(fn_name, stacklevel=5)

    def get_fn_schema_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> type[BaseModel] | None:
        """The argument model of the tool named ``fn_name``, narrowed to its model."""
        metadata = self._metadata_for(fn_name, stacklevel=5)
        return None if metadata is None else metadata.fn_schema

    def _metadata_for(self, fn_name: str, *, stacklevel: int) -> SharedToolMetadata | None:
        if fn_name in TOOL_GROUPS:
            return None
        try:
            (name,) = self._names([fn_name], stacklevel=stacklevel)
        except ValueError:
            return None
        return _metadata(self._spec(name))

    def _names(self, entries: Iterable[str], *, stacklevel: int) -> list[str]:
        """Tool names and groups (and old names, deprecated) → the tool names, once each."""
        known = {s.name for s in tool_specs()}
        names: list[str] = []
        for entry in entries:
            if entry in known:
                found = [entry]
            elif entry in TOOL_GROUPS:
                found = [s.name for s in tool_specs((entry,))]
            elif is_old_name(entry):
                found = [renamed(entry, stacklevel=stacklevel)]
            else:
                raise ValueError(
                    f"unknown 1min.AI tool {entry!r}: use a group ({', '.join(TOOL_GROUPS)}) "
                    f"or a tool name: {', '.join(sorted(known))}"
                )
            names.extend(n for n in found if n not in names)
        return names

    def _models(self) -> dict[str, str]:
        """The model of each tool that has one set (tool name → model)."""
        return {s.name: m for s in tool_specs() if (m := self._model_for(s)) is not None}

    def _model_for(self, spec: ToolSpec) -> str | None:
        for option, short_names in _MODEL_OPTIONS.items():
            if spec.short_name in short_names and getattr(self, option) is not None:
                return str(getattr(self, option))
        return self.models.get(spec.name) or self.models.get(spec.short_name)

    def _spec(self, name: str) -> ToolSpec:
        """The shared tool set up for its model (and the default voice)."""
        shared = tool_spec(name)
        model = self._model_for(shared)
        voice = self.tts_voice if shared.method == "text_to_speech" else None
        key = (name, model, voice)
        if key not in self._built:
            spec = shared.for_model(model)
            if voice is not None:
                spec = spec.with_defaults(voice=voice)
            self._built[key] = spec
        return self._built[key]

    def _tool(self, name: str, metadata: ToolMetadata | None = None) -> ServiceErrorTool:
        spec = self._spec(name)
        return ServiceErrorTool(
            fn=functools.partial(self._run, spec),
            async_fn=functools.partial(self._arun, spec),
            metadata=metadata or _metadata(spec),
        )

    # ── calls ────────────────────────────────────────────────────────────────────────

    def _client_kwargs(self, spec: ToolSpec, arguments: dict[str, Any]) -> dict[str, Any]:
        """Validated client keywords; file arguments checked against the local-file policy.

        Raises:
            InvalidRequestError: Invalid arguments (nothing is sent).
            LocalFileRefusedError: A local path while local files are not allowed: the
                argument comes from the model, which must not be able to make the tool read
                arbitrary files (:func:`~oneminai_webapi.integrations.check_file_reference`).
        """
        kwargs = spec.client_kwargs(arguments)
        for param in spec.file_params:
            if kwargs.get(param) is not None:
                kwargs[param] = check_file_reference(
                    kwargs[param], allow_local_files=self.allow_local_files
                )
        if spec.method == "chat" and kwargs.get("web_search") and not kwargs.get("num_of_site"):
            kwargs["num_of_site"] = self.num_of_site
        return kwargs

    def _job_options(self, spec: ToolSpec) -> dict[str, Any]:
        if not spec.long_running:
            return {}
        options = {"poll_interval": self.poll_interval, "poll_timeout": self.poll_timeout}
        return {k: v for k, v in options.items() if v is not None}

    def _run(self, spec: ToolSpec, /, **arguments: Any) -> ToolResult:
        kwargs = self._client_kwargs(spec, arguments)
        output = spec.call(self._clients.sync(), kwargs, **self._job_options(spec))
        return spec.format(output)

    async def _arun(self, spec: ToolSpec, /, **arguments: Any) -> ToolResult:
        kwargs = self._client_kwargs(spec, arguments)
        client = await self._clients.async_()
        output = await spec.call(client, kwargs, **self._job_options(spec))
        return spec.format(output)

    def _legacy_run(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        return self._run(self._spec(name), **arguments)

    async def _legacy_arun(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        return await self._arun(self._spec(name), **arguments)

    # ── clients ──────────────────────────────────────────────────────────────────────

    def close(self) -> None:
        """Close the clients this tool spec created (a later tool call creates new ones).

        Closes the sync client, and every async client whose event loop is not running:
        one whose loop has ended was already closed by that loop; one whose loop is idle
        (as after ``loop.run_until_complete``) is closed by running that loop briefly.
        Called inside a running event loop it leaves async clients open: use :meth:`aclose`
        there. Clients passed in as ``client`` / ``async_client`` are never closed.
        """
        self._clients.close()

    async def aclose(self) -> None:
        """Close the running loop's async client, then everything :meth:`close` closes.

        One call is enough in async code: the sync client is closed too.
        """
        await self._clients.aclose()


def _metadata(spec: ToolSpec) -> SharedToolMetadata:
    return SharedToolMetadata(
        name=spec.name, description=spec.description, fn_schema=spec.args_model, tool=spec
    )


def _checked_models(models: Mapping[str, str], spec: OneMinAIToolSpec) -> dict[str, str]:
    """``models`` after checking its tool names, and that no model is set twice."""
    known = {n for s in tool_specs() for n in (s.name, s.short_name)}
    unknown = sorted(set(models) - known)
    if unknown:
        raise ValueError(f"models: unknown 1min.AI tools {unknown}")
    for option, short_names in _MODEL_OPTIONS.items():
        if getattr(spec, option) is None:
            continue
        for short in short_names:
            for key in (f"oneminai_{short}", short):
                if key in models:
                    raise ValueError(f"{option} and models[{key!r}] both set a model")
    return dict(models)
