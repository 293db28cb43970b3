"""``ChatOneMinAI``: a LangChain chat model for 1min.AI.

1min.AI takes one prompt string per request, so the message list is flattened into one clear
prompt, tool calling and structured output are emulated through that prompt (see
:mod:`oneminai_webapi.tool_calling`), and images/PDFs in messages are uploaded as assets and
attached. Answers stream natively over SSE, sync and async.

Example:
    .. code-block:: python

        from langchain_oneminai import ChatOneMinAI

        llm = ChatOneMinAI(model="gpt-4o-mini")  # key from ONEMINAI_API_KEY
        llm.invoke("Tell me a joke").content

        llm_with_tools = llm.bind_tools([get_weather], tool_choice="any")
        llm_with_tools.invoke("Weather in Paris?").tool_calls
"""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, cast

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import (
    BaseChatModel,
    LangSmithParams,
    LanguageModelInput,
    ModelProfile,
)
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.tool import (
    invalid_tool_call as make_invalid_tool_call,
)
from langchain_core.messages.tool import (
    tool_call as make_tool_call,
)
from langchain_core.messages.tool import (
    tool_call_chunk as make_tool_call_chunk,
)
from langchain_core.messages.utils import count_tokens_approximately
from langchain_core.output_parsers import JsonOutputKeyToolsParser, PydanticToolsParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils import from_env, secret_from_env
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_core.utils.json import parse_partial_json
from langchain_core.utils.pydantic import is_basemodel_subclass
from oneminai_webapi.integrations import (
    CHAT_OPTIONS,
    AttachmentCache,
    ChatAttachment,
    ClientFactory,
    ClientSettings,
    ResolvedAttachments,
    aresolve_chat_attachments,
    estimate_tokens,
    resolve_chat_attachments,
)
from oneminai_webapi.tool_calling import (
    InvalidToolCall,
    ReplyAssembler,
    ReplyOutcome,
    ReplyPlan,
    ToolCall,
    ToolSpec,
    normalize_tool_choice,
    schema_errors,
)
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from ._messages import convert_messages, messages_since_conversation
from ._profiles import get_profile

if TYPE_CHECKING:
    from oneminai_webapi import ChatOutput, ConversationRecord, OneMinAIClient, SyncOneMinAIClient

__all__ = ["ChatOneMinAI"]

DEFAULT_MODEL = "gpt-4o-mini"

#: Per-call keyword arguments forwarded to ``client.chat`` (the others are set explicitly).
_CHAT_OPTIONS = CHAT_OPTIONS - {"model", "conversation_id", "web_search"}
#: Built-in tool dicts that switch on 1min.AI's server-side web search.
_WEB_SEARCH_TOOL_TYPES = frozenset(
    {"web_search", "web_search_preview", "web_search_20250305", "oneminai_web_search"}
)
_STRUCTURED_METHODS = ("json_schema", "function_calling", "json_mode")


@dataclass
class _Call:
    """Everything needed to send one chat turn (built without I/O)."""

    prompt: str
    model: str
    reply: ReplyPlan
    max_retries: int
    attachments: list[ChatAttachment]
    conversation_id: str | None
    new_conversation_title: str | None
    options: dict[str, Any]
    prompts: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    #: The final output of every request of this call (corrective retries included).
    outputs: list[ChatOutput] = field(default_factory=list)


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
        model_kwargs: Extra ``client.chat`` options (``num_of_site``, ``max_word``,
            ``is_mixed``, ``history_message_limit``, ``with_memories``, ``brand_voice_id``).

    Tool calling and structured output are emulated through the prompt for every model:
    ``bind_tools(tools, tool_choice="auto"|"any"|"required"|"<name>"|"none")`` and
    ``with_structured_output(schema, method="json_schema"|"function_calling"|"json_mode")``.
    While a tool call or JSON answer is required the reply is buffered and arrives as one
    chunk; otherwise text streams as it is generated.

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
    """Extra ``client.chat`` options."""
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
    _upload_cache: AttachmentCache = PrivateAttr(default_factory=AttachmentCache)

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
                and tool.get("type") in _WEB_SEARCH_TOOL_TYPES
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
        name = _schema_name(schema)
        json_schema = _json_schema(schema)
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
                    "json_schema": {"name": name, "schema": json_schema, "strict": strict},
                }
            else:
                response_format = {"type": "json_object", "schema": json_schema}
            llm = self.bind(response_format=response_format, ls_structured_output_format=ls_format)
            # The reply is already reduced to compact JSON when it held any; a reply without
            # valid JSON must not be "repaired" into a partial object, so parse it strictly.
            parser = RunnableLambda(_parse_json_answer(name, schema if is_pydantic else None))
        check = _require_object(name, None if is_pydantic else json_schema)
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
        call = self._prepare(messages, stop, kwargs)
        client = self._clients().sync()
        request = self._resolve_sync(client, call)
        outcome, record = self._attempts_sync(call, lambda prompt: client.chat(prompt, **request))
        return self._chat_result(call, outcome, record, request)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        call = self._prepare(messages, stop, kwargs)
        client = await self._clients().async_()
        request = await self._resolve_async(client, call)
        outcome = ReplyOutcome()
        record: ChatOutput | None = None
        prompt = call.prompt
        for attempt in range(call.max_retries + 1):
            call.prompts.append(prompt)
            output = await client.chat(prompt, **request)
            outcome, record = self._single_outcome(call, output)
            if outcome.satisfied or attempt == call.max_retries:
                break
            prompt = call.reply.retry_prompt(call.prompt, outcome.raw_text, outcome)
        return self._chat_result(call, outcome, record, request)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        call = self._prepare(messages, stop, kwargs)
        client = self._clients().sync()
        request = self._resolve_sync(client, call)
        prompt = call.prompt
        outcome = ReplyOutcome()
        record: ChatOutput | None = None
        assembler: ReplyAssembler | None = None
        for attempt in range(call.max_retries + 1):
            call.prompts.append(prompt)
            # A retry continues the message the first attempt may have started streaming.
            assembler = ReplyAssembler(call.reply, after=assembler)
            with client.chat(prompt, stream=True, **request) as stream:
                for output in stream:
                    if output.is_final:
                        record = output
                        call.outputs.append(output)
                    delta = assembler.step(output.text_delta)
                    if delta:
                        yield _delta_chunk(delta.text, delta.reasoning, run_manager)
                    if assembler.stopped:
                        break
            outcome = assembler.finish()
            call.replies.append(assembler.raw)
            if outcome.satisfied or attempt == call.max_retries:
                break
            prompt = call.reply.retry_prompt(call.prompt, outcome.raw_text, outcome)
        yield self._final_chunk(call, outcome, record, request)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        call = self._prepare(messages, stop, kwargs)
        client = await self._clients().async_()
        request = await self._resolve_async(client, call)
        prompt = call.prompt
        outcome = ReplyOutcome()
        record: ChatOutput | None = None
        assembler: ReplyAssembler | None = None
        for attempt in range(call.max_retries + 1):
            call.prompts.append(prompt)
            assembler = ReplyAssembler(call.reply, after=assembler)
            stream = client.chat(prompt, stream=True, **request)
            async with stream:
                async for output in stream:
                    if output.is_final:
                        record = output
                        call.outputs.append(output)
                    delta = assembler.step(output.text_delta)
                    if delta:
                        chunk = _delta_chunk(delta.text, delta.reasoning, None)
                        if run_manager is not None:
                            await run_manager.on_llm_new_token(delta.text, chunk=chunk)
                        yield chunk
                    if assembler.stopped:
                        break
            outcome = assembler.finish()
            call.replies.append(assembler.raw)
            if outcome.satisfied or attempt == call.max_retries:
                break
            prompt = call.reply.retry_prompt(call.prompt, outcome.raw_text, outcome)
        yield self._final_chunk(call, outcome, record, request)

    # ------------------------------------------------------------------ helpers

    def _clients(self) -> ClientFactory:
        if self._factory is None:
            self._factory = ClientFactory(
                ClientSettings.from_config(self),
                sync_client=self.client,
                async_client=self.async_client,
            )
        return self._factory

    def _prepare(
        self, messages: Sequence[BaseMessage], stop: list[str] | None, kwargs: Mapping[str, Any]
    ) -> _Call:
        """Turn messages and per-call options into a :class:`_Call` (no I/O)."""
        options = dict(kwargs)
        options.pop("ls_structured_output_format", None)
        model = str(options.pop("model", None) or self.model_name)
        options.pop("strict", None)
        reply = ReplyPlan.create(
            [ToolSpec.from_openai(tool) for tool in options.pop("tools", None) or ()],
            options.pop("tool_choice", None),
            _response_format(options.pop("response_format", None)),
            stop=[*(self.stop or []), *(stop or [])],
            parallel_tool_calls=options.pop("parallel_tool_calls", None) is not False,
            strict_tool_choice=True,
        )
        conversation_id = options.pop("conversation_id", None)
        to_send: Sequence[BaseMessage] = messages
        if self.conversation_mode and conversation_id is None:
            conversation_id, to_send = messages_since_conversation(messages)
        converted = convert_messages(to_send)
        chat_options: dict[str, Any] = {
            "web_search": bool(options.pop("web_search", self.web_search))
        }
        for key, value in {**self.model_kwargs, **options}.items():
            if key in _CHAT_OPTIONS:
                chat_options[key] = value
        title = None
        if self.conversation_mode and conversation_id is None:
            first_user = next((t.content for t in converted.turns if t.role == "user"), "")
            title = (" ".join(first_user.split())[:60]) or "LangChain conversation"
        return _Call(
            prompt=reply.render(converted.turns),
            model=model,
            reply=reply,
            max_retries=max(0, self.max_tool_retries),
            attachments=converted.attachments,
            conversation_id=conversation_id,
            new_conversation_title=title,
            options=chat_options,
        )

    def _resolve_sync(self, client: SyncOneMinAIClient, call: _Call) -> dict[str, Any]:
        """Upload attachments and open a conversation if needed; return ``chat`` kwargs."""
        refs = resolve_chat_attachments(client, call.attachments, self._upload_cache)
        conversation_id = call.conversation_id
        if call.new_conversation_title is not None:
            record: Any = client.create_conversation(call.new_conversation_title)
            conversation_id = cast("ConversationRecord", record).conversation_id
        return _chat_kwargs(call, refs, conversation_id)

    async def _resolve_async(self, client: OneMinAIClient, call: _Call) -> dict[str, Any]:
        """Async twin of :meth:`_resolve_sync`."""
        refs = await aresolve_chat_attachments(client, call.attachments, self._upload_cache)
        conversation_id = call.conversation_id
        if call.new_conversation_title is not None:
            record = await client.create_conversation(call.new_conversation_title)
            conversation_id = record.conversation_id
        return _chat_kwargs(call, refs, conversation_id)

    def _attempts_sync(
        self, call: _Call, send: Callable[[str], ChatOutput]
    ) -> tuple[ReplyOutcome, ChatOutput | None]:
        outcome = ReplyOutcome()
        record: ChatOutput | None = None
        prompt = call.prompt
        for attempt in range(call.max_retries + 1):
            call.prompts.append(prompt)
            outcome, record = self._single_outcome(call, send(prompt))
            if outcome.satisfied or attempt == call.max_retries:
                break
            prompt = call.reply.retry_prompt(call.prompt, outcome.raw_text, outcome)
        return outcome, record

    @staticmethod
    def _single_outcome(call: _Call, output: ChatOutput) -> tuple[ReplyOutcome, ChatOutput]:
        outcome = call.reply.interpret(output.text)
        call.replies.append(outcome.raw_text)
        call.outputs.append(output)
        return outcome, output

    def _chat_result(
        self,
        call: _Call,
        outcome: ReplyOutcome,
        record: ChatOutput | None,
        request: Mapping[str, Any],
    ) -> ChatResult:
        usage, metadata = self._usage_and_metadata(call, outcome, record, request)
        message = AIMessage(
            content=outcome.content,
            additional_kwargs=_reasoning_kwargs(outcome.reasoning),
            tool_calls=[_lc_tool_call(call_) for call_ in outcome.tool_calls],
            invalid_tool_calls=[_lc_invalid_call(bad) for bad in outcome.invalid_tool_calls],
            usage_metadata=usage,
            response_metadata=metadata,
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _final_chunk(
        self,
        call: _Call,
        outcome: ReplyOutcome,
        record: ChatOutput | None,
        request: Mapping[str, Any],
    ) -> ChatGenerationChunk:
        usage, metadata = self._usage_and_metadata(call, outcome, record, request)
        chunks = [
            make_tool_call_chunk(
                name=tc.name, args=json.dumps(tc.arguments, ensure_ascii=False), id=tc.id, index=i
            )
            for i, tc in enumerate(outcome.tool_calls)
        ]
        offset = len(chunks)
        chunks += [
            make_tool_call_chunk(
                name=bad.name, args=_invalid_args(bad.raw_arguments), id=bad.id, index=offset + i
            )
            for i, bad in enumerate(outcome.invalid_tool_calls)
        ]
        message = AIMessageChunk(
            content=outcome.tail,
            additional_kwargs=_reasoning_kwargs(outcome.reasoning_tail),
            tool_call_chunks=chunks,
            usage_metadata=usage,
            response_metadata=metadata,
            chunk_position="last",
        )
        return ChatGenerationChunk(message=message)

    def _usage_and_metadata(
        self,
        call: _Call,
        outcome: ReplyOutcome,
        record: ChatOutput | None,
        request: Mapping[str, Any],
    ) -> tuple[Any, dict[str, Any]]:
        service_usage = _service_usage(record.metadata) if record is not None else None
        if service_usage is not None:
            input_tokens, output_tokens = service_usage
        else:
            input_tokens = sum(estimate_tokens(p) for p in call.prompts)
            output_tokens = sum(estimate_tokens(r) for r in call.replies)
        usage = {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        }
        metadata: dict[str, Any] = {
            "model_name": (record.model if record is not None and record.model else call.model),
            "model_provider": "oneminai",
            "finish_reason": outcome.finish_reason,
        }
        if service_usage is None:
            metadata["usage_estimated"] = True
        conversation_id = (record.conversation_id if record is not None else None) or request.get(
            "conversation_id"
        )
        if conversation_id:
            metadata["conversation_id"] = conversation_id
        if record is not None and record.record_id:
            metadata["record_id"] = record.record_id
        if record is not None and record.sources:
            metadata["sources"] = [_plain_source(source) for source in record.sources]
        metadata.update(_credits(call.outputs))
        if outcome.invalid_tool_calls:
            metadata["invalid_tool_call_errors"] = {
                bad.id: bad.error for bad in outcome.invalid_tool_calls
            }
        if len(call.prompts) > 1:
            metadata["corrective_retries"] = len(call.prompts) - 1
        return usage, metadata


# ---------------------------------------------------------------------------------- helpers


def _chat_kwargs(
    call: _Call, refs: ResolvedAttachments, conversation_id: str | None
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"model": call.model, **call.options, **refs.as_kwargs()}
    if conversation_id:
        kwargs["conversation_id"] = conversation_id
    return kwargs


def _delta_chunk(
    text: str, reasoning: str, run_manager: CallbackManagerForLLMRun | None
) -> ChatGenerationChunk:
    message = AIMessageChunk(content=text, additional_kwargs=_reasoning_kwargs(reasoning))
    chunk = ChatGenerationChunk(message=message)
    if run_manager is not None:
        run_manager.on_llm_new_token(text, chunk=chunk)
    return chunk


def _reasoning_kwargs(reasoning: str) -> dict[str, Any]:
    """Reasoning as LangChain carries it: ``content_blocks`` turns it into a reasoning block."""
    return {"reasoning_content": reasoning} if reasoning else {}


def _plain_source(source: Any) -> dict[str, Any]:
    """A web source as a plain dict (``title``, ``url``, ``snippet`` and any extra field)."""
    return dict(source.model_dump()) if hasattr(source, "model_dump") else dict(source)


def _credits(outputs: Sequence[ChatOutput]) -> dict[str, int]:
    """``credits_used``, ``input_credits``, ``output_credits`` summed over the requests.

    A key is present only when at least one record reported it (the service reports
    credits on chat records; ``teamUser.usedCredit`` lags and is never used).
    """
    totals: dict[str, int] = {}
    for output in outputs:
        for key in ("credits_used", "input_credits", "output_credits"):
            value = getattr(output, key, None)
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    return totals


def _service_usage(record: Mapping[str, Any]) -> tuple[int, int] | None:
    """Token counts reported by the service in the aiRecord, if any."""
    detail = record.get("aiRecordDetail")
    candidates = [record.get("usage"), detail.get("usage") if isinstance(detail, dict) else None]
    pairs = (
        ("input_tokens", "output_tokens"),
        ("inputTokens", "outputTokens"),
        ("prompt_tokens", "completion_tokens"),
        ("promptTokens", "completionTokens"),
    )
    for candidate in candidates:
        if not isinstance(candidate, dict):
            continue
        for inp, out in pairs:
            a, b = candidate.get(inp), candidate.get(out)
            if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
                return a, b
    return None


def _response_format(response_format: Any) -> Mapping[str, Any] | None:
    """A ``response_format`` as a mapping: Pydantic classes and TypedDicts become schemas."""
    if response_format is None or isinstance(response_format, dict):
        return response_format
    return _json_schema(response_format)


def _json_schema(schema: Any) -> dict[str, Any]:
    from langchain_core.utils.function_calling import convert_to_json_schema

    return dict(convert_to_json_schema(schema))


def _schema_name(schema: Any) -> str:
    try:
        return str(convert_to_openai_tool(schema)["function"]["name"])
    except (ValueError, KeyError, TypeError):
        return "response"


def _parse_json_answer(name: str, model: Any) -> Callable[[BaseMessage], Any]:
    """Parse a JSON answer strictly; validate it into ``model`` (a Pydantic class) if given."""

    def parse(message: BaseMessage) -> Any:
        text = message.text
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise OutputParserException(
                f"The model's reply holds no valid JSON {name} object: {exc}", llm_output=text
            ) from exc
        if model is None:
            return value
        try:
            return (
                model.model_validate(value)
                if hasattr(model, "model_validate")
                else model.parse_obj(value)
            )
        except (ValueError, TypeError) as exc:  # pydantic v1 and v2 ValidationError
            raise OutputParserException(
                f"The {name} object does not match its schema: {exc}", llm_output=text
            ) from exc

    return parse


def _require_object(name: str, schema: Mapping[str, Any] | None) -> Callable[[Any], Any]:
    """A parser step that rejects a missing object and (for dict schemas) a mismatching one."""

    def check(value: Any) -> Any:
        if value is None:
            raise OutputParserException(f"The model's reply holds no {name} object.")
        if schema is not None:
            errors = schema_errors(value, schema)
            if errors:
                shown = "; ".join(errors[:5])
                raise OutputParserException(f"The {name} object does not match its schema: {shown}")
        return value

    return check


def _lc_tool_call(call: ToolCall) -> Any:
    return make_tool_call(name=call.name, args=call.arguments, id=call.id)


def _lc_invalid_call(bad: InvalidToolCall) -> Any:
    return make_invalid_tool_call(
        name=bad.name, args=_invalid_args(bad.raw_arguments), id=bad.id, error=bad.error
    )


def _invalid_args(raw: str | None) -> str:
    """Arguments text of an invalid call that never parses as a dict when chunks merge.

    Streamed tool-call chunks are re-parsed when aggregated; a rejected call whose arguments
    happen to be a valid JSON object would otherwise turn into a valid call. Quoting keeps
    ``invoke`` and ``stream`` results identical.
    """
    text = raw or ""
    try:
        parsed = parse_partial_json(text) if text else {}
    except Exception:  # unparsable text stays as it is
        return text
    return json.dumps(text, ensure_ascii=False) if isinstance(parsed, dict) else text
