"""Multi-turn chat sessions backed by a server-side conversation."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, Any

from .._protocol import LazyModule
from .._protocol import _chat as chat
from .._protocol._chat import ChatOptions
from .._protocol._ops import Op, StreamPlan
from ..exceptions import ConversationError

if TYPE_CHECKING:
    from .._protocol import _conversations as conversations
    from ..types import ChatOutput, MessageRecord
    from ._async import AsyncChatStream
    from ._methods import ClientMethods
else:  # imported on first use: kept off ``import oneminai_webapi``
    conversations = LazyModule("oneminai_webapi._protocol._conversations")


class ChatSession:
    """A conversation with memory on the server.

    Create it with ``client.start_chat(model)``. The conversation is created on the first
    message (``POST /api/conversations``); every turn then sends its id, so the server
    replays the history. Streamed and non-streamed turns share the same context. With the
    async client the methods are awaited; with the sync client they return directly.

    Example:
        >>> chat = client.start_chat("gpt-4o-mini")          # doctest: +SKIP
        >>> await chat.send_message("My name is Ada.")       # doctest: +SKIP
        >>> (await chat.send_message("Who am I?")).text      # doctest: +SKIP
    """

    def __init__(
        self,
        client: ClientMethods,
        *,
        model: str,
        conversation_id: str | None = None,
        web_search: bool = False,
        num_of_site: int = chat.DEFAULT_NUM_OF_SITE,
        max_word: int = chat.DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = chat.DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
        title: str | None = None,
    ) -> None:
        if title is not None:
            conversations.check_title(title)
        self._client = client
        self._model = model
        self._conversation_id = conversation_id
        self._title = title
        self._settings: dict[str, Any] = {
            "num_of_site": num_of_site,
            "max_word": max_word,
            "is_mixed": is_mixed,
            "history_message_limit": history_message_limit,
            "with_memories": with_memories,
            "brand_voice_id": brand_voice_id,
        }
        self._web_search = web_search
        self._last_output: ChatOutput | None = None
        self._turn_count = 0
        # Validate the settings now rather than on the first send.
        ChatOptions(prompt="-", model=model, **self._settings)

    @property
    def conversation_id(self) -> str | None:
        """The server conversation id (None until the first message)."""
        return self._conversation_id

    @property
    def model(self) -> str:
        """The session's model."""
        return self._model

    @property
    def last_output(self) -> ChatOutput | None:
        """The latest complete answer of this session."""
        return self._last_output

    @property
    def turn_count(self) -> int:
        """How many turns completed."""
        return self._turn_count

    def __repr__(self) -> str:
        return (
            f"<ChatSession model={self._model!r} conversation_id={self._conversation_id!r} "
            f"turns={self._turn_count}>"
        )

    # ── turns ────────────────────────────────────────────────────────────────────────

    def _options(
        self, prompt: str, images: Sequence[str] | None, files: Sequence[str] | None,
        model: str | None, web_search: bool | None,
    ) -> ChatOptions:  # fmt: skip
        return self._client._chat_options(
            prompt,
            model or self._model,
            self._conversation_id,
            images,
            files,
            self._web_search if web_search is None else web_search,
            **self._settings,
        )

    def _ensure_conversation(self, options: ChatOptions) -> Op[ChatOptions]:
        if self._conversation_id is None:
            title = self._title or options.prompt.strip()[: chat.MAX_TITLE_CHARS]
            record = yield from conversations.create(self._client._ctx, title, options.model)
            self._conversation_id = record.conversation_id
        return _with_conversation(options, self._conversation_id)

    def _finish_turn(self, output: ChatOutput) -> None:
        if output.conversation_id and output.conversation_id != self._conversation_id:
            self._conversation_id = output.conversation_id
        if not output.conversation_id:
            output.conversation_id = self._conversation_id
        self._last_output = output
        self._turn_count += 1

    def _turn(self, options: ChatOptions) -> Op[ChatOutput]:
        options = yield from self._ensure_conversation(options)
        output = yield from chat.chat_once(self._client._ctx, options)
        self._finish_turn(output)
        return output

    def _stream_turn(self, options: ChatOptions) -> Op[StreamPlan]:
        options = yield from self._ensure_conversation(options)
        plan: StreamPlan = yield from chat.chat_stream(
            self._client._ctx, options, self._finish_turn
        )
        return plan

    def send_message(
        self,
        prompt: str,
        *,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        model: str | None = None,
        web_search: bool | None = None,
    ) -> Awaitable[ChatOutput]:
        """Send one message and get the whole answer.

        Args:
            prompt: The message.
            images: Asset keys or image URLs for this turn.
            files: File ids for this turn.
            model: Another model for this turn only.
            web_search: Override the session's web-search setting for this turn.
        """
        options = self._options(prompt, images, files, model, web_search)
        return self._client._run(self._turn(options))

    def send_message_stream(
        self,
        prompt: str,
        *,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        model: str | None = None,
        web_search: bool | None = None,
    ) -> AsyncChatStream:
        """Send one message and stream the answer (same arguments as :meth:`send_message`).

        The stream is returned as it is, not awaited: ``async for chunk in
        session.send_message_stream(...)`` (a plain ``for`` with the sync client).
        """
        options = self._options(prompt, images, files, model, web_search)
        return self._client._stream(self._stream_turn(options))  # type: ignore[no-any-return]

    def get_history(self) -> Awaitable[list[MessageRecord]]:
        """The conversation's messages from the server (web-app API); [] before the first turn."""
        return self._client._run(self._history())

    def _history(self) -> Op[list[MessageRecord]]:
        if self._conversation_id is None:
            return []
        messages: list[MessageRecord] = yield from conversations.messages(
            self._client._ctx, self._conversation_id, None
        )
        return messages

    def delete(self) -> Awaitable[None]:
        """Delete the server conversation (a no-op before the first turn).

        The session starts over: the next message creates a new conversation, and
        ``turn_count`` and ``last_output`` are reset.
        """
        return self._client._run(self._delete())

    def _delete(self) -> Op[None]:
        if self._conversation_id is None:
            return None
        yield from conversations.delete(self._client._ctx, self._conversation_id)
        self._conversation_id = None
        self._turn_count = 0
        self._last_output = None
        return None


def _with_conversation(options: ChatOptions, conversation_id: str | None) -> ChatOptions:
    if conversation_id is None:
        raise ConversationError("The conversation could not be created.")
    if options.conversation_id == conversation_id:
        return options
    from dataclasses import replace

    return replace(options, conversation_id=conversation_id)
