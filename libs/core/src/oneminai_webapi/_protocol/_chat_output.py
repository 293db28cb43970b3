"""Building :class:`~oneminai_webapi.types.ChatOutput` values: stream chunks and final answers.

Memory and time stay linear in the size of a stream: the text of one stream lives once, in
a :class:`TextBuffer` its chunks share. A chunk remembers only where the text ended when it
was made; its cumulative ``text`` is joined when someone reads it (then kept on the chunk).
Reading ``text_delta`` never joins anything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._credits import record_credits
from ._records import check_record, record_sources, result_text

if TYPE_CHECKING:
    from ..types import ChatOutput

__all__ = ["TextBuffer", "content_chunk", "final_output", "output_from_record"]


class TextBuffer:
    """The growing text of one stream, shared by all of its chunks.

    Pieces are appended in O(1); :meth:`text` joins them once (later calls only add what
    arrived since), so the text exists in one copy however many chunks refer to it.

    One thread appends (the stream's reader); any thread may read. Readers take a lock and
    join only the pieces present when they started, so a concurrent append is never lost.
    """

    __slots__ = ("_joined", "_lock", "_pieces", "length")

    def __init__(self) -> None:
        self._joined = ""
        self._pieces: list[str] = []
        self._lock = threading.Lock()
        #: Characters received so far.
        self.length = 0

    def append(self, piece: str) -> None:
        """Add text at the end (from the one appending thread)."""
        self._pieces.append(piece)
        self.length += len(piece)

    def text(self, end: int | None = None) -> str:
        """The text so far, or its first ``end`` characters."""
        joined = self._joined
        if end is None or end > len(joined):
            with self._lock:
                pieces = self._pieces
                count = len(pieces)
                if count:
                    self._joined = "".join([self._joined, *pieces[:count]])
                    del pieces[:count]  # one C-level step: an append meanwhile stays
                joined = self._joined
        return joined if end is None or end >= len(joined) else joined[:end]


# ``ChatOutput.model_construct(...)`` walks every field's alias/default machinery and runs
# the private-attribute initialiser: ~5x the cost of filling the four slots pydantic itself
# fills (``__dict__`` in field order, ``__pydantic_fields_set__``, ``__pydantic_extra__``,
# ``__pydantic_private__``). A streamed answer builds one chunk per content event, so
# :func:`content_chunk` does exactly that. It is checked once, on the first chunk built (not
# at import: ``oneminai_webapi.types`` and pydantic load on first use), against
# ``model_construct``; if a pydantic release ever builds models differently the check fails
# and every chunk goes through ``model_construct`` again.
#
# A chunk's ``__dict__`` has no ``text`` entry: ``ChatOutput`` joins it from the shared
# buffer on first access (``_lazy_text`` holds ``(buffer, end)``).
_new_output = object.__new__
_set_slot = object.__setattr__
#: Set by :func:`_pick_builder` (the first chunk).
_ChatOutput: Any = None
_FIELDS: frozenset[str] = frozenset()


def _chunk_fast(buffer: TextBuffer, end: int, delta: str, model: str) -> ChatOutput:
    out: ChatOutput = _new_output(_ChatOutput)
    _set_slot(out, "__dict__", {
        "text_delta": delta, "model": model, "conversation_id": None, "record_id": None,
        "is_final": False, "sources": [], "metadata": {}, "credits_used": None,
        "input_credits": None, "output_credits": None,
    })  # fmt: skip
    _set_slot(out, "__pydantic_fields_set__", set(_FIELDS))
    _set_slot(out, "__pydantic_extra__", {})
    _set_slot(out, "__pydantic_private__", {"_client": None, "_lazy_text": (buffer, end)})
    return out


def _chunk_slow(buffer: TextBuffer, end: int, delta: str, model: str) -> ChatOutput:
    out: ChatOutput = _ChatOutput.model_construct(text_delta=delta, model=model, is_final=False)
    out.__dict__.pop("text", None)
    out.__pydantic_fields_set__.update(_FIELDS)
    assert out.__pydantic_private__ is not None
    out.__pydantic_private__["_lazy_text"] = (buffer, end)
    return out


def _same(a: ChatOutput, b: ChatOutput) -> bool:
    return (
        type(a) is type(b)
        and list(a.__dict__.items()) == list(b.__dict__.items())
        and a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and a.__pydantic_private__ == b.__pydantic_private__
    )


def _pick_builder() -> Callable[[TextBuffer, int, str, str], ChatOutput]:
    global _ChatOutput, _FIELDS
    from ..types import ChatOutput

    _ChatOutput = ChatOutput
    _FIELDS = frozenset(ChatOutput.model_fields)
    buffer = TextBuffer()
    buffer.append("td")
    try:
        fast, slow = _chunk_fast(buffer, 1, "d", "m"), _chunk_slow(buffer, 1, "d", "m")
        # No model_dump() here: it would build the pydantic schema on the first chunk.
        ok = frozenset(slow.__dict__) | {"text"} == _FIELDS and _same(fast, slow)
        ok = ok and fast.text == "t"
    except Exception:  # pragma: no cover - defensive: any surprise means "use pydantic"
        ok = False
    return _chunk_fast if ok else _chunk_slow


def _first_chunk(buffer: TextBuffer, end: int, delta: str, model: str) -> ChatOutput:
    """The first call: pick the builder (importing the output types), then use it."""
    global content_chunk
    builder = _pick_builder()
    content_chunk = builder
    return builder(buffer, end, delta, model)


#: ``content_chunk(buffer, end, delta, model)``: the :class:`ChatOutput` of one content
#: event (not final); its ``text`` is ``buffer``'s first ``end`` characters, joined on first
#: access. Replaced by the chosen builder on first use.
content_chunk: Callable[[TextBuffer, int, str, str], ChatOutput] = _first_chunk


def final_output(text: str, model: str, **fields: Any) -> ChatOutput:
    """A final :class:`ChatOutput` (one per answer, so built the ordinary way)."""
    from ..types import ChatOutput

    return ChatOutput.model_construct(text=text, model=model, is_final=True, **fields)


def output_from_record(record: dict[str, Any], *, fallback_text: str = "") -> ChatOutput:
    """A final :class:`ChatOutput` from an ``aiRecord``, preferring ``resultObject[0]``.

    Raises:
        JobFailedError: the record reports a failed status.
        ContentFilteredError: moderation replaced the answer with ``{code, message}``.
    """
    check_record(record)
    text = result_text(record)
    used, given, produced = record_credits(record)
    return final_output(
        fallback_text if text is None else text,
        str(record.get("model") or ""),
        conversation_id=record.get("conversationId") or None,
        record_id=record.get("uuid") or None,
        sources=record_sources(record),
        metadata=record,
        credits_used=used,
        input_credits=given,
        output_credits=produced,
    )
