"""``ChatOneMinAI``: a LangChain chat model for 1min.AI.

A thin translation onto the core client's ``complete()``, which renders the conversation into
the one prompt 1min.AI takes, emulates tool calling and structured output through it, uploads
images and PDFs once, and reads the reply back (see :mod:`oneminai_webapi.completions`). This
module maps LangChain messages and options onto it, and its completions and stream events
back onto LangChain messages and chunks. Answers stream natively over SSE, sync and async.

Example:
    .. code-block:: python

        from langchain_oneminai import ChatOneMinAI

        llm = ChatOneMinAI(model="gpt-4o-mini")  # key from ONEMINAI_API_KEY
        llm.invoke("Tell me a joke").content

        llm_with_tools = llm.bind_tools([get_weather], tool_choice="any")
        llm_with_tools.invoke("Weather in Paris?").tool_calls
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, cast

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import (
    BaseChatModel,
    LangSmithParams,
    LanguageModelInput,
    ModelProfile,
)
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.messages.utils import count_tokens_approximately
from langchain_core.output_parsers import JsonOutputKeyToolsParser, PydanticToolsParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils import from_env, secret_from_env
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass
from oneminai_webapi.completions import WEB_SEARCH_TOOL_TYPES
from oneminai_webapi.integrations import (
    CHAT_OPTIONS,
    ClientFactory,
    ClientSettings,
    estimate_tokens,
)
from oneminai_webapi.tool_calling import ToolSpec, normalize_tool_choice
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from ._messages import messages_since_conversation, to_openai_messages
from ._output import ai_message, event_chunk
from ._profiles import get_profile
from ._structured import json_schema, parse_json_answer, require_object, schema_name

if TYPE_CHECKING:
    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

__all__ = ["ChatOneMinAI"]

DEFAULT_MODEL = "gpt-4o-mini"

#: Per-call keyword arguments forwarded to ``complete()`` (the others are set explicitly).
_CHAT_OPTIONS = CHAT_OPTIONS - {"model", "conversation_id", "web_search"}
#: ``response_format`` types ``complete()`` reads; any other mapping is a JSON schema.
_RESPONSE_FORMAT_TYPES = frozenset({"text", "json_object", "json_schema"})
_STRUCTURED_METHODS = ("json_schema", "function_calling", "json_mode")


@dataclass
class _Request:
    """One ``complete()`` call, built without I/O.

    Attributes:
        messages: The conversation as ``complete()`` messages.
        options: ``complete()``'s keyword arguments.
        new_conversation_title: In conversation mode with no conversation yet: the title of
            the one to create before sending.
    """

    messages: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)
    new_conversation_title: str | None = None


class ChatOneMinAI(BaseChatModel):
    """Chat model for `1min.AI <https://1min.ai>`_ (one API key, many vendors' models).

    Setup:
        ``pip install langchain-oneminai`` and set ``ONEMINAI_API_KEY``. Construction never
        does network I/O and does not require the key; the first request does.

    Key init args:
        model: Model id, e.g. ``gpt-4o-mini`` (default), ``claude-sonnet-4-5-20250929``.
        temperature, max_tokens: Accepted and reported to tracing; the 1min.AI chat API has
            no such settings, so they do not change the answer.
        stop: Stop sequences, applied client-side (the text is cut and the stream ends).
        timeout: Seconds per request. max_retries: Retries of 429/5xx/connection errors.
        api_key: Defaults to ``ONEMINAI_API_KEY``. base_url: Defaults to
            ``ONEMINAI_BASE_URL``, then https://api.1min.ai.
        web_search: Let the model read web results first (also ``bind_tools([{"type":
            "web_search"}])``). Sources appear in ``response_metadata["sources"]``.

        conversation_mode: Keep history server-side: after the first answer, only new
            messages and the ``conversation_id`` (from the last AI message's
            ``response_metadata``) are sent.
        max_tool_retries: Corrective retries when ``tool_choice`` requires a call (or a JSON
            answer is required) and the reply has none. Default 1.
        model_kwargs: Extra ``complete()`` options (``num_of_site``, ``max_word``,
            ``is_mixed``, ``history_message_limit``, ``with_memories``, ``brand_voice_id``).

    Tool calling and structured output are emulated through the prompt for every model:
    ``bind_tools(tools, tool_choice="auto"|"any"|"required"|"<name>"|"none")`` and
    ``with_structured_output(schema, method="json_schema"|"function_calling"|"json_mode")``.
    While a tool call or JSON answer is required the reply is buffered and arrives when it is
    complete; otherwise text streams as it is generated.

    Replies are read the way real models write them (fenced or bare JSON, OpenAI function
    objects, Hermes ``<tool_call>`` tags, Llama ``<|python_tag|>``, Mistral ``[TOOL_CALLS]`` …);
    JSON inside a sentence, inline code or a quote is never a call. A call of an unknown tool
    stays a tool call (an agent answers "tool not found"); a call that cannot be read gets one
    corrective retry, then lands in ``invalid_tool_calls``. A leading ``<think>`` block is
    reasoning: ``additional_kwargs["reasoning_content"]`` and a ``reasoning`` content block,
    never part of the text. The rules are in the docs (Tool calling).

    Usage metadata is estimated (about 4 characters per token) when the service reports no
    token counts; ``response_metadata["usage_estimated"]`` is then ``True``.

    Unknown constructor keywords go to ``model_kwargs`` with a warning (as with ChatOpenAI).
    The model is serialisable with ``langchain_core.load.dumpd``; the key is stored as a
    secret reference to ``ONEMINAI_API_KEY``, never as text.

    Credits: ``response_metadata["credits_used"]`` (and ``"input_credits"``,
    ``"output_credits"``) hold what the service reported for the call, summed over
    corrective retries; ``get_oneminai_callback()`` sums them across a block of code.

    Connections stay open between calls: one pool for sync calls and one per event loop for
    async calls (closed when that loop ends, as with ``asyncio.run``). ``close()`` and
    ``await aclose()`` release them earlier.
    """

    model_config = ConfigDict(populate_by_name=True)

    model_name: str = Field(default=DEFAULT_MODEL, alias="model")
    """Model id."""
    temperature: float | None = None
    """Accepted for compatibility and tracing; not supported by the 1min.AI chat API."""
    max_tokens: int | None = None
    """Accepted for compatibility and tracing; not supported by the 1min.AI chat API."""
    timeout: float | None = None
    """Request timeout in seconds (client default 60)."""
    max_retries: int = 2
    """Retries of rate-limited, failed or dropped requests."""
    stop: list[str] | None = None
    """Default stop sequences (applied client-side)."""
    streaming: bool = False
    """Stream by default, also inside ``invoke``."""
    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("ONEMINAI_API_KEY", default=None)
    )
    """1min.AI API key (default ``ONEMINAI_API_KEY``)."""
    base_url: str | None = Field(default_factory=from_env("ONEMINAI_BASE_URL", default=None))
    """API base URL (default ``ONEMINAI_BASE_URL``, then https://api.1min.ai)."""
    proxy: SecretStr | None = None
    """HTTP proxy URL (a secret: it may hold a user name and password)."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Extra ``complete()`` options (the chat settings ``num_of_site``, ``max_word`` …)."""
    web_search: bool = False
    """Let the model read web results before answering."""
    conversation_mode: bool = False
    """Keep the history server-side and send only new messages (see the class docstring)."""
    max_tool_retries: int = 1
    """Corrective retries when a required tool call or JSON answer is missing."""
    # Typed ``Any`` so that importing the model does not import the sync client (and
    # ``requests``); they hold a ``SyncOneMinAIClient`` / ``OneMinAIClient``.
    client: Any = Field(default=None, exclude=True, repr=False)
    """Optional ``SyncOneMinAIClient`` to use (never closed by this model)."""
    async_client: Any = Field(default=None, exclude=True, repr=False)
    """Optional ``OneMinAIClient`` to use (never closed by this model)."""

    _factory: ClientFactory | None = PrivateAttr(default=None)

    # ------------------------------------------------------------------ LangChain plumbing

    @property
    def _llm_type(self) -> str:
        return "oneminai-chat"

    @property
    def lc_secrets(self) -> dict[str, str]:
        """Constructor fields holding secrets, mapped to their environment variables."""
        return {"api_key": "ONEMINAI_API_KEY", "proxy": "ONEMINAI_PROXY"}

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """``ChatOneMinAI`` can be serialised with ``dumpd`` and loaded back."""
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        """The namespace used by LangChain serialisation: ``["langchain_oneminai", ...]``."""
        return ["langchain_oneminai", "chat_models"]

    @model_validator(mode="before")
    @classmethod
    def _collect_model_kwargs(cls, values: Any) -> Any:
        """Move unknown keywords into ``model_kwargs`` with a warning (as ChatOpenAI does)."""
        if not isinstance(values, dict):
            return values
        known = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
        extra = [key for key in values if key not in known]
        if not extra:
            return values
        values = dict(values)
        model_kwargs = dict(values.get("model_kwargs") or {})
        for key in extra:
            if key in model_kwargs:
                raise ValueError(f"{key!r} was given both directly and in model_kwargs")
            note = (
                ""
                if key in _CHAT_OPTIONS
                else "; 1min.AI chat has no such option, so it is not sent"
            )
            warnings.warn(
                f"{key!r} is not a ChatOneMinAI parameter; it was moved to model_kwargs{note}.",
                UserWarning,
                stacklevel=2,
            )
            model_kwargs[key] = values.pop(key)
        values["model_kwargs"] = model_kwargs
        return values

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "web_search": self.web_search,
            "conversation_mode": self.conversation_mode,
            "stop": self.stop,
            **self.model_kwargs,
        }

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="oneminai",
            ls_model_name=str(kwargs.get("model") or self.model_name),
            ls_model_type="chat",
        )
        if self.temperature is not None:
            params["ls_temperature"] = self.temperature
        if self.max_tokens is not None:
            params["ls_max_tokens"] = self.max_tokens
        stops = stop if stop is not None else self.stop
        if stops:
            params["ls_stop"] = list(stops)
        return params

    def _resolve_model_profile(self) -> ModelProfile | None:
        return cast(ModelProfile, get_profile(self.model_name))

    def get_num_tokens(self, text: str) -> int:
        """Estimate the number of tokens in a text (no tokenizer download needed)."""
        return estimate_tokens(text)

    def get_num_tokens_from_messages(
        self,
        messages: list[BaseMessage],
        tools: Sequence[Any] | None = None,
    ) -> int:
        """Estimate the number of tokens in a message list."""
        return count_tokens_approximately(messages, tools=list(tools) if tools else None)

    def close(self) -> None:
        """Release the connection pools this model opened (a later call reopens them).

        Closes the sync client, and async clients whose event loop is not running (see
        :meth:`oneminai_webapi.integrations.ClientFactory.close`). Inside a running loop, use
        :meth:`aclose`. Clients passed in as ``client``/``async_client`` are never closed.
        """
        if self._factory is not None:
            self._factory.close()

    async def aclose(self) -> None:
        """Release the running loop's async connection pool, then what :meth:`close` does."""
        if self._factory is not None:
            await self._factory.aclose()

    # ------------------------------------------------------------------ tools & structure

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools; calls are emulated through the prompt for every model.

        Args:
            tools: Tools in any format ``convert_to_openai_tool`` accepts. A built-in dict
                ``{"type": "web_search"}`` switches on 1min.AI web search instead.
            tool_choice: ``"auto"`` (default), ``"any"``/``"required"``/``True`` (must call
                a tool), a tool name or ``{"type": "function", "function": {"name": ...}}``
                (must call that tool), or ``"none"``.
            **kwargs: Passed to :meth:`bind`: ``response_format``, ``parallel_tool_calls``
                (``False``: at most one call per reply) and ``strict`` (accepted, no effect).

        Returns:
            The model with the tools bound.

        Raises:
            ValueError: If ``tool_choice`` names a tool that is not among ``tools``.
        """
        formatted: list[dict[str, Any]] = []
        for tool in tools:
            if (
                isinstance(tool, dict)
                and tool.get("type") in WEB_SEARCH_TOOL_TYPES
                and "function" not in tool
            ):
                kwargs["web_search"] = True
                continue
            formatted.append(convert_to_openai_tool(tool))
        if tool_choice is not None:
            specs = [ToolSpec.from_openai(tool) for tool in formatted]
            normalize_tool_choice(tool_choice, specs, strict=True)  # a clear error, now
            kwargs["tool_choice"] = tool_choice
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        method: Literal["json_schema", "function_calling", "json_mode"] = "json_schema",
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """Return a runnable whose output matches ``schema``.

        Args:
            schema: A Pydantic (v1 or v2) class, a TypedDict, or a JSON-schema / OpenAI
                function dict. Pydantic classes give instances; the others give dicts.
            include_raw: Return ``{"raw", "parsed", "parsing_error"}`` instead of raising
                on a parsing error. In every method a reply that yields no object, or one
                that does not match the schema, is a parsing error (never ``parsed=None``
                without ``parsing_error``).
            method: ``json_schema`` (default: the answer must be bare JSON matching the
                schema), ``json_mode`` (a JSON object; the schema is still shown to the
                model) or ``function_calling`` (a forced emulated tool call).
            strict: Accepted for compatibility; validation always happens while parsing.
            **kwargs: Unused.

        Returns:
            The structured-output runnable.

        Raises:
            ValueError: For an unknown ``method``.

        When exactly one object is asked for, the model may also answer with the bare JSON
        object, a fenced one, or the object wrapped in a tool call: all are read.
        """
        if method not in _STRUCTURED_METHODS:
            raise ValueError(f"method must be one of {_STRUCTURED_METHODS}, got {method!r}")
        is_pydantic = isinstance(schema, type) and is_basemodel_subclass(schema)
        ls_format = {"kwargs": {"method": method, "strict": strict}, "schema": schema}
        name = schema_name(schema)
        schema_dict = json_schema(schema)
        parser: Runnable[Any, Any]
        if method == "function_calling":
            llm = self.bind_tools([schema], tool_choice=name, ls_structured_output_format=ls_format)
            if is_pydantic:
                parser = PydanticToolsParser(tools=[cast(type, schema)], first_tool_only=True)
            else:
                parser = JsonOutputKeyToolsParser(key_name=name, first_tool_only=True)
        else:
            response_format: dict[str, Any]
            if method == "json_schema":
                response_format = {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema_dict, "strict": strict},
                }
            else:
                response_format = {"type": "json_object", "schema": schema_dict}
            llm = self.bind(response_format=response_format, ls_structured_output_format=ls_format)
            # The reply is already reduced to compact JSON when it held any; a reply without
            # valid JSON must not be "repaired" into a partial object, so parse it strictly.
            parser = RunnableLambda(parse_json_answer(name, schema if is_pydantic else None))
        check = require_object(name, None if is_pydantic else schema_dict)
        parser = parser | RunnableLambda(check)
        if not include_raw:
            return llm | parser
        parse_raw = RunnablePassthrough.assign(
            parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
        )
        on_error = RunnablePassthrough.assign(parsed=lambda _: None)
        with_fallback = parse_raw.with_fallbacks([on_error], exception_key="parsing_error")
        return RunnableMap(raw=llm) | with_fallback

    # ------------------------------------------------------------------ generation

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, kwargs)
        client = self._clients().sync()
        self._open_conversation_sync(client, request)
        completion = client.complete(request.messages, **request.options)
        message = ai_message(completion, **self._fallbacks(request))
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, kwargs)
        client = await self._clients().async_()
        await self._open_conversation_async(client, request)
        completion = await client.complete(request.messages, **request.options)
        message = ai_message(completion, **self._fallbacks(request))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._request(messages, stop, kwargs)
        client = self._clients().sync()
        self._open_conversation_sync(client, request)
        fallbacks = self._fallbacks(request)
        with client.complete(request.messages, stream=True, **request.options) as stream:
            for event in stream:
                chunk = event_chunk(event, **fallbacks)
                if chunk is None:
                    continue
                if run_manager is not None and event.type in ("text", "reasoning"):
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        request = self._request(messages, stop, kwargs)
        client = await self._clients().async_()
        await self._open_conversation_async(client, request)
        fallbacks = self._fallbacks(request)
        stream = client.complete(request.messages, stream=True, **request.options)
        async with stream:
            async for event in stream:
                chunk = event_chunk(event, **fallbacks)
                if chunk is None:
                    continue
                if run_manager is not None and event.type in ("text", "reasoning"):
                    await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk

    # ------------------------------------------------------------------ helpers

    def _clients(self) -> ClientFactory:
        if self._factory is None:
            self._factory = ClientFactory(
                ClientSettings.from_config(self),
                sync_client=self.client,
                async_client=self.async_client,
            )
        return self._factory

    def _request(
        self, messages: Sequence[BaseMessage], stop: list[str] | None, kwargs: Mapping[str, Any]
    ) -> _Request:
        """LangChain messages and per-call options as one ``complete()`` call (no I/O)."""
        options = dict(kwargs)
        for ignored in ("ls_structured_output_format", "strict"):
            options.pop(ignored, None)
        tools = options.pop("tools", None) or None
        conversation_id = options.pop("conversation_id", None)
        to_send: Sequence[BaseMessage] = messages
        title = None
        if self.conversation_mode and conversation_id is None:
            conversation_id, to_send = messages_since_conversation(messages)
            if conversation_id is None:
                title = _title(to_send)
        call: dict[str, Any] = {
            "model": str(options.pop("model", None) or self.model_name),
            "tools": tools,
            # Without tools there is nothing to choose (web search alone, say).
            "tool_choice": options.pop("tool_choice", None) if tools else None,
            "parallel_tool_calls": options.pop("parallel_tool_calls", None) is not False,
            "response_format": _response_format(options.pop("response_format", None)),
            "stop": [*(self.stop or []), *(stop or [])] or None,
            "web_search": bool(options.pop("web_search", self.web_search)),
            "max_tool_retries": max(0, self.max_tool_retries),
            "conversation_id": conversation_id,
        }
        for key, value in {**self.model_kwargs, **options}.items():
            if key in _CHAT_OPTIONS:
                call[key] = value
        return _Request(to_openai_messages(to_send), call, title)

    @staticmethod
    def _fallbacks(request: _Request) -> dict[str, Any]:
        """What the message metadata says when the service's record does not."""
        return {
            "model": request.options["model"],
            "conversation_id": request.options.get("conversation_id"),
        }

    @staticmethod
    def _open_conversation_sync(client: SyncOneMinAIClient, request: _Request) -> None:
        if request.new_conversation_title is not None:
            record: Any = client.create_conversation(request.new_conversation_title)
            request.options["conversation_id"] = record.conversation_id

    @staticmethod
    async def _open_conversation_async(client: OneMinAIClient, request: _Request) -> None:
        if request.new_conversation_title is not None:
            record = await client.create_conversation(request.new_conversation_title)
            request.options["conversation_id"] = record.conversation_id


def _title(messages: Sequence[BaseMessage]) -> str:
    """The title of a new conversation: the start of the first user message."""
    first = next((m.text for m in messages if m.type == "human"), "")
    return " ".join(first.split())[:60] or "LangChain conversation"


def _response_format(response_format: Any) -> Mapping[str, Any] | None:
    """A ``response_format`` as ``complete()`` reads it: classes and bare schemas wrapped."""
    if response_format is None:
        return None
    if isinstance(response_format, Mapping) and (
        response_format.get("type") in _RESPONSE_FORMAT_TYPES
    ):
        return response_format
    if isinstance(response_format, Mapping):
        return {"type": "json_schema", "json_schema": {"schema": dict(response_format)}}
    return {"type": "json_schema", "json_schema": {"schema": json_schema(response_format)}}
