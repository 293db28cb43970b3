"""``complete()``: the messages API of both clients (signature and docs; logic elsewhere).

The annotations describe the async client (``Awaitable[X]``); the sync client returns ``X``
directly, and a :class:`SyncCompletionStream` where the async one gives an
:class:`AsyncCompletionStream`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from .._protocol._chat import DEFAULT_HISTORY_MESSAGE_LIMIT, DEFAULT_MAX_WORD, DEFAULT_NUM_OF_SITE
from ..constants import ChatModel

if TYPE_CHECKING:
    from .._protocol import _chat as chat
    from .._protocol._completion import CompletionCall
    from ..completions import Completion, MessageParam
    from ..tool_calling import ToolSpec
    from ._complete import AsyncCompletionStream


class CompletionMethods:
    """The messages API shared by :class:`OneMinAIClient` and :class:`SyncOneMinAIClient`."""

    _chat_options: Callable[..., chat.ChatOptions]  # ClientMethods

    def _complete(
        self, call: CompletionCall, options: chat.ChatOptions, stream: bool
    ) -> Any:  # pragma: no cover - implemented by each client
        raise NotImplementedError

    @overload
    def complete(
        self,
        messages: Sequence[MessageParam],
        *,
        model: str | ChatModel | None = None,
        tools: Sequence[Mapping[str, Any] | ToolSpec] | None = None,
        tool_choice: str | bool | Mapping[str, Any] | None = None,
        parallel_tool_calls: bool = True,
        response_format: Mapping[str, Any] | type | None = None,
        stop: str | Sequence[str] | None = None,
        web_search: bool = False,
        stream: Literal[False] = False,
        max_tool_retries: int = 1,
        conversation_id: str | None = None,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> Awaitable[Completion]: ...

    @overload
    def complete(
        self,
        messages: Sequence[MessageParam],
        *,
        model: str | ChatModel | None = None,
        tools: Sequence[Mapping[str, Any] | ToolSpec] | None = None,
        tool_choice: str | bool | Mapping[str, Any] | None = None,
        parallel_tool_calls: bool = True,
        response_format: Mapping[str, Any] | type | None = None,
        stop: str | Sequence[str] | None = None,
        web_search: bool = False,
        stream: Literal[True],
        max_tool_retries: int = 1,
        conversation_id: str | None = None,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> AsyncCompletionStream: ...

    def complete(
        self,
        messages: Sequence[MessageParam],
        *,
        model: str | ChatModel | None = None,
        tools: Sequence[Mapping[str, Any] | ToolSpec] | None = None,
        tool_choice: str | bool | Mapping[str, Any] | None = None,
        parallel_tool_calls: bool = True,
        response_format: Mapping[str, Any] | type | None = None,
        stop: str | Sequence[str] | None = None,
        web_search: bool = False,
        stream: bool = False,
        max_tool_retries: int = 1,
        conversation_id: str | None = None,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> Awaitable[Completion] | AsyncCompletionStream:
        """Answer an OpenAI-style conversation, with emulated tools and structured output.

        The messages are rendered into the one prompt 1min.AI takes (the same rendering the
        LangChain and LlamaIndex integrations use), images and files are uploaded once, and
        the reply is read back into text, tool calls, a JSON answer and reasoning. When a
        tool call or a JSON answer is required and missing, the model is asked again
        (``max_tool_retries`` times) before anything is handed out.

        Args:
            messages: OpenAI chat messages: ``{"role": "system"|"developer"|"user"|
                "assistant"|"tool", "content": ...}``. Content is a string or a list of
                parts: ``text``, ``image_url`` (a URL or a ``data:`` URL) and ``file``
                (``file_data`` as base64 or a data URL, ``file_url``, or a 1min.AI
                ``file_id``). Assistant messages may carry ``tool_calls``; tool messages
                answer them with ``tool_call_id``.
            model: Model id or :class:`ChatModel`; default ``gpt-4o-mini``.
            tools: OpenAI tool definitions (``{"type": "function", "function": {...}}``) or
                :class:`~oneminai_webapi.tool_calling.ToolSpec`; a built-in
                ``{"type": "web_search"}`` turns on web search instead.
            tool_choice: ``"auto"`` (default), ``"none"``, ``"required"``, a tool name or
                ``{"type": "function", "function": {"name": ...}}``.
            parallel_tool_calls: ``False`` keeps only the first tool call of a reply.
            response_format: ``{"type": "json_object"}``, ``{"type": "json_schema",
                "json_schema": {"schema": ...}}``, a JSON schema, or a pydantic model class:
                the answer is bare JSON text. ``{"type": "text"}`` or ``None``: free text.
            stop: Stop sequences (applied as the text arrives; the reply is cut before them).
            web_search: Let the model read web results first (``num_of_site`` pages,
                ``max_word`` words); ``Completion.sources`` lists them.
            stream: Return a stream of events instead (see below).
            max_tool_retries: Corrective retries for a missing required tool call or JSON
                answer (default 1; 0 disables).
            conversation_id: A server-side conversation whose history the service adds.
            num_of_site: Pages read when searching the web.
            max_word: Words read from the search results.
            is_mixed: With ``conversation_id``: include turns of other models.
            history_message_limit: With ``conversation_id``: earlier messages fed back.
            with_memories: Use the account's cross-conversation memories.
            brand_voice_id: A brand voice created in the web app.

        Returns:
            Completion (``.text``, ``.tool_calls``, ``.reasoning``, ``.sources``,
            ``.credits``, ``.record_id``, ``.finish_reason``, ``.usage``). With
            ``stream=True``: the stream itself, not awaited (``async for event in
            client.complete(..., stream=True)``; sync: ``for event in client.complete(...,
            stream=True)``) of ``TextDelta``, ``ReasoningDelta`` and ``ToolCallDelta``
            events ending with the ``Completion``. The sync client uploads and sends the
            first request before returning the stream; the async stream does it when
            iteration starts, or at ``await stream.open()`` (or ``async with``), so that
            refusals (bad key, rate limit, credits) raise there. Awaiting the stream itself
            still works (it opens it) but is deprecated.

        Raises:
            InvalidRequestError: malformed messages, tools, tool choice, response format or
                stop sequences (nothing is sent).
            APIError: the service refused (see ``oneminai_webapi.exceptions``).
            StreamInterruptedError: a stream was cut; the events handed out so far stand.

        Example:
            .. code-block:: python

                completion = await client.complete(
                    [{"role": "user", "content": "Weather in Paris?"}],
                    tools=[{"type": "function", "function": {"name": "get_weather",
                            "parameters": {"type": "object",
                                           "properties": {"city": {"type": "string"}}}}}],
                )
                completion.tool_calls[0].arguments  # {"city": "Paris"}
        """
        from .._protocol._completion import prepare

        call = prepare(
            messages,
            tools=tools,
            tool_choice=tool_choice,
            parallel_tool_calls=parallel_tool_calls,
            response_format=response_format,
            stop=stop,
            web_search=web_search,
            max_tool_retries=max_tool_retries,
        )
        options = self._chat_options(
            call.prompt,
            model,
            conversation_id=conversation_id,
            web_search=call.web_search,
            num_of_site=num_of_site,
            max_word=max_word,
            is_mixed=is_mixed,
            history_message_limit=history_message_limit,
            with_memories=with_memories,
            brand_voice_id=brand_voice_id,
        )
        return self._complete(call, options, bool(stream))  # type: ignore[no-any-return]
