"""The ``OneMinAI`` LlamaIndex LLM."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr, model_validator
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from oneminai_webapi.completions import CompletionEvent
from oneminai_webapi.integrations import ClientFactory, ClientSettings

from ._messages import (
    CREDIT_KEYS,
    StreamItem,
    build_message,
    partial_message,
    raw_payload,
    tool_selections,
)
from ._metadata import DEFAULT_MODEL, ModelInfo, resolve_model_info
from ._request import CompleteCall, prepare_chat, prepare_completion

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool
    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

__all__ = ["OneMinAI"]

_ENV_KEY = "ONEMINAI_API_KEY"


def _extra(raw: Any) -> dict[str, Any]:
    """``additional_kwargs`` of a response: the credits the service reported (final item)."""
    if not raw:
        return {}
    return {key: raw[key] for key in CREDIT_KEYS if key in raw}


class _StreamReader:
    """``complete()``'s stream events as cumulative LlamaIndex stream items."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._reasoning: list[str] = []

    def read(self, event: CompletionEvent) -> StreamItem | None:
        """The item of one event (``None`` for a tool-call delta: the last item has them)."""
        if event.type == "completion":
            return StreamItem(build_message(event), "", "", raw_payload(event))
        if event.type == "tool_call":
            return None
        (self._text if event.type == "text" else self._reasoning).append(event.text)
        message = partial_message("".join(self._text), "".join(self._reasoning))
        if event.type == "text":
            return StreamItem(message, event.text)
        return StreamItem(message, "", event.text)


class OneMinAI(FunctionCallingLLM):
    """1min.AI chat models as a LlamaIndex LLM.

    A thin translation onto the core client's ``complete()``: 1min.AI accepts one prompt per
    request, and ``complete()`` renders the message list into it, emulates tool calling and
    structured output through it, and reads the reply (the same for every framework).
    Images and documents in user and system messages are uploaded as 1min.AI assets.
    The key is read from ``ONEMINAI_API_KEY`` when not given, and only checked on the first
    request; it never appears in ``repr()``, ``to_dict()`` or ``to_json()``.

    Example:
        .. code-block:: python

            from llama_index.llms.oneminai import OneMinAI

            llm = OneMinAI(model="gpt-4o-mini")
            print(llm.complete("Say hello").text)

    Args:
        model: The 1min.AI model id.
        api_key: The API key (default: ``ONEMINAI_API_KEY``).
        base_url: API root (default: ``ONEMINAI_BASE_URL``, else the public API).
        client: A ready sync core client to use instead of creating one.
        async_client: A ready async core client to use instead of creating one per loop.
        **kwargs: Any other field of this class.
    """

    model: str = Field(default=DEFAULT_MODEL, description="The 1min.AI model id.")
    api_key: SecretStr = Field(
        default=SecretStr(""), exclude=True, repr=False, description="1min.AI API key."
    )
    base_url: str | None = Field(default=None, description="API root URL.")
    timeout: float = Field(default=60.0, gt=0, description="Request timeout in seconds.")
    max_retries: int = Field(default=2, ge=0, description="Retries of failed requests.")
    proxy: str | None = Field(
        default=None, exclude=True, repr=False, description="HTTP proxy URL (may hold credentials)."
    )
    context_window: int | None = Field(
        default=None, gt=0, description="Override of the model's context window."
    )
    num_output: int | None = Field(
        default=None, gt=0, description="Override of the model's maximum output tokens."
    )
    is_chat_model: bool | None = Field(default=None, description="Override of the chat flag.")
    is_function_calling_model: bool | None = Field(
        default=None, description="Override of the (emulated) function-calling flag."
    )
    web_search: bool = Field(default=False, description="Let the model search the web.")
    num_of_site: int = Field(default=3, ge=1, description="Web pages read per search.")
    max_word: int = Field(default=1000, ge=1, description="Words read from the search results.")
    brand_voice_id: str | None = Field(default=None, description="1min.AI brand voice id.")
    max_tool_retries: int = Field(
        default=1, ge=0, description="Corrective retries when a required tool call is missing."
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra keyword arguments for the core chat call."
    )

    _factory: ClientFactory | None = PrivateAttr(default=None)
    _given_client: Any = PrivateAttr(default=None)
    _given_async_client: Any = PrivateAttr(default=None)

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        *,
        client: SyncOneMinAIClient | None = None,
        async_client: OneMinAIClient | None = None,
        **kwargs: Any,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get(_ENV_KEY, "")
        if not isinstance(api_key, SecretStr):
            api_key = SecretStr(api_key)
        super().__init__(model=model, api_key=api_key, base_url=base_url, **kwargs)
        self._given_client = client
        self._given_async_client = async_client

    @model_validator(mode="after")
    def validate_model_limits(self) -> OneMinAI:
        """Reject overrides that leave no room for a prompt."""
        self._model_info()  # raises ValueError for inconsistent overrides
        return self

    @classmethod
    def class_name(cls) -> str:
        """The class name used in serialization."""
        return "OneMinAI"

    # ---------------------------------------------------------------- configuration

    def _model_info(self) -> ModelInfo:
        return resolve_model_info(
            self.model,
            context_window=self.context_window,
            num_output=self.num_output,
            is_chat_model=self.is_chat_model,
            is_function_calling_model=self.is_function_calling_model,
        )

    @property
    def metadata(self) -> LLMMetadata:
        """Context size, output size and capabilities of the configured model."""
        info = self._model_info()
        return LLMMetadata(
            context_window=info.context_window,
            num_output=info.num_output,
            is_chat_model=info.is_chat_model,
            is_function_calling_model=info.is_function_calling_model,
            model_name=self.model,
        )

    def to_payload(self) -> dict[str, Any]:
        """Non-sensitive description for instrumentation events (never the key or proxy)."""
        return {
            **super().to_payload(),
            "web_search": self.web_search,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
        }

    def _defaults(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {
            "model": self.model,
            "web_search": self.web_search,
            "num_of_site": self.num_of_site,
            "max_word": self.max_word,
            "max_tool_retries": self.max_tool_retries,
        }
        if self.brand_voice_id:
            defaults["brand_voice_id"] = self.brand_voice_id
        defaults.update(self.additional_kwargs)
        return defaults

    @property
    def _clients(self) -> ClientFactory:
        if self._factory is None:
            self._factory = ClientFactory(
                ClientSettings.from_config(self),
                sync_client=self._given_client,
                async_client=self._given_async_client,
            )
        return self._factory

    def close(self) -> None:
        """Close the clients this instance created (later calls create new ones).

        Closes the sync client, and async clients whose event loop is not running (see
        :meth:`oneminai_webapi.integrations.ClientFactory.close`); inside a running loop,
        use :meth:`aclose`. Clients passed in are never closed.
        """
        if self._factory is not None:
            self._factory.close()

    async def aclose(self) -> None:
        """Close the running loop's async client, then what :meth:`close` closes."""
        if self._factory is not None:
            await self._factory.aclose()

    # ---------------------------------------------------------------- request drivers

    def _run_sync(self, call: CompleteCall) -> tuple[ChatMessage, dict[str, Any]]:
        completion = self._clients.sync().complete(call.messages, **call.options)
        return build_message(completion), raw_payload(completion)

    async def _run_async(self, call: CompleteCall) -> tuple[ChatMessage, dict[str, Any]]:
        client = await self._clients.async_()
        completion = await client.complete(call.messages, **call.options)
        return build_message(completion), raw_payload(completion)

    def _stream_sync(self, call: CompleteCall) -> Iterator[StreamItem]:
        """Yield what each event of the reply adds; the last item holds the whole message."""
        stream = self._clients.sync().complete(call.messages, stream=True, **call.options)
        with stream:
            reader = _StreamReader()
            for event in stream:
                item = reader.read(event)
                if item is not None:
                    yield item

    async def _stream_async(self, call: CompleteCall) -> AsyncIterator[StreamItem]:
        client = await self._clients.async_()
        stream = client.complete(call.messages, stream=True, **call.options)
        async with stream:
            reader = _StreamReader()
            async for event in stream:
                item = reader.read(event)
                if item is not None:
                    yield item

    def _completion_call(
        self, prompt: str, formatted: bool, kwargs: dict[str, Any]
    ) -> CompleteCall:
        if not formatted and self.completion_to_prompt is not None:
            prompt = self.completion_to_prompt(prompt)
        return prepare_completion(prompt, self._defaults(), kwargs)

    # ---------------------------------------------------------------- chat

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        """Send a conversation and return the reply (with parsed tool calls, if any)."""
        message, raw = self._run_sync(prepare_chat(messages, self._defaults(), kwargs))
        return ChatResponse(message=message, raw=raw, additional_kwargs=_extra(raw))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        """Async :meth:`chat`."""
        message, raw = await self._run_async(prepare_chat(messages, self._defaults(), kwargs))
        return ChatResponse(message=message, raw=raw, additional_kwargs=_extra(raw))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        """Stream the reply: cumulative ``message.content`` plus ``delta`` per item."""
        call = prepare_chat(messages, self._defaults(), kwargs)

        def gen() -> ChatResponseGen:
            for item in self._stream_sync(call):
                yield item.chat_response()

        return gen()

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        """Async :meth:`stream_chat` (await it, then iterate with ``async for``)."""
        call = prepare_chat(messages, self._defaults(), kwargs)

        async def gen() -> ChatResponseAsyncGen:
            async for item in self._stream_async(call):
                yield item.chat_response()

        return gen()

    # ---------------------------------------------------------------- completion

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        """Send one prompt unchanged and return the reply text."""
        message, raw = self._run_sync(self._completion_call(prompt, formatted, kwargs))
        return CompletionResponse(
            text=message.content or "", raw=raw, additional_kwargs=_extra(raw)
        )

    @llm_completion_callback()
    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        """Async :meth:`complete`."""
        message, raw = await self._run_async(self._completion_call(prompt, formatted, kwargs))
        return CompletionResponse(
            text=message.content or "", raw=raw, additional_kwargs=_extra(raw)
        )

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        """Stream a completion: cumulative ``text`` plus ``delta`` per item."""
        call = self._completion_call(prompt, formatted, kwargs)

        def gen() -> CompletionResponseGen:
            for item in self._stream_sync(call):
                yield item.completion_response()

        return gen()

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        """Async :meth:`stream_complete` (await it, then iterate with ``async for``)."""
        call = self._completion_call(prompt, formatted, kwargs)

        async def gen() -> CompletionResponseAsyncGen:
            async for item in self._stream_async(call):
                yield item.completion_response()

        return gen()

    # ---------------------------------------------------------------- tools

    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: str | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Build the ``chat()`` arguments for a turn that offers ``tools``.

        Args:
            tools: LlamaIndex tools the model may call.
            user_msg: The new user message, appended to ``chat_history``.
            chat_history: Earlier messages (including tool calls and tool results).
            verbose: Unused; accepted for interface compatibility.
            allow_parallel_tool_calls: Whether several calls may be returned at once.
            tool_required: Whether the model must call a tool.
            tool_choice: ``"auto"``, ``"required"``/``"any"``, ``"none"``, a tool name or an
                OpenAI-style ``{"type": "function", "function": {"name": ...}}`` dict.
            **kwargs: Passed through to ``chat()`` (e.g. ``model``, ``web_search``).

        Returns:
            Keyword arguments for :meth:`chat` and its variants.
        """
        messages = list(chat_history or [])
        if isinstance(user_msg, str):
            user_msg = ChatMessage(role=MessageRole.USER, content=user_msg)
        if user_msg is not None:
            messages.append(user_msg)
        return {
            "messages": messages,
            "tools": [tool.metadata.to_openai_tool(skip_length_check=True) for tool in tools],
            "tool_choice": tool_choice,
            "tool_required": tool_required,
            "allow_parallel_tool_calls": allow_parallel_tool_calls,
            **kwargs,
        }

    # ---------------------------------------------------------------- structured output

    def _structured_program(self, output_cls: type[Any], prompt: Any) -> Any:
        """The program for streamed structured output, with the tool call required.

        LlamaIndex's ``FunctionCallingProgram.stream_call`` passes no ``tool_required``; with
        emulated tools the call must be required, as in ``structured_predict``, so that the
        reply is buffered, retried when needed, and a bare JSON object counts as the call.
        """
        from llama_index.core.program.utils import get_program_for_llm
        from llama_index.core.types import PydanticProgramMode

        extra = {"tool_choice": "required"}
        if self.pydantic_program_mode != PydanticProgramMode.DEFAULT:
            extra = {}
        return get_program_for_llm(
            output_cls, prompt, self, pydantic_program_mode=self.pydantic_program_mode, **extra
        )

    def _structured_stream_call(
        self,
        output_cls: type[Any],
        prompt: Any,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Any:
        program = self._structured_program(output_cls, prompt)
        return program.stream_call(llm_kwargs=llm_kwargs, **prompt_args)

    async def _structured_astream_call(
        self,
        output_cls: type[Any],
        prompt: Any,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Any:
        program = self._structured_program(output_cls, prompt)
        return await program.astream_call(llm_kwargs=llm_kwargs, **prompt_args)

    # ---------------------------------------------------------------- tool calls

    def get_tool_calls_from_response(
        self,
        response: ChatResponse,
        error_on_no_tool_call: bool = True,
        **kwargs: Any,
    ) -> list[ToolSelection]:
        """Return the tool calls of a response.

        Args:
            response: A response of :meth:`chat` or its variants.
            error_on_no_tool_call: Raise when the response calls no tool.
            **kwargs: Unused.

        Returns:
            One ``ToolSelection`` per call (empty when there is none and errors are off).

        Raises:
            ValueError: When there is no tool call and ``error_on_no_tool_call`` is true.
        """
        selections = tool_selections(response.message)
        if not selections and error_on_no_tool_call:
            raise ValueError("Expected at least one tool call, but the model called no tool.")
        return selections
