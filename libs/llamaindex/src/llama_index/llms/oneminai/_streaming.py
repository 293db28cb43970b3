"""Incremental assembly of streamed replies, shared by the sync and async streams.

Without tools every text delta is passed through. With tools offered, only the part of the
reply that cannot belong to a tool call is streamed early (see
:func:`oneminai_webapi.tool_calling.stream_safe_prefix`); when the turn must call a tool,
everything is buffered. The final item carries the parsed message (with tool-call blocks),
so its content always equals the concatenation of the streamed deltas.
"""

from __future__ import annotations

from typing import Any

from oneminai_webapi.tool_calling import stream_safe_prefix

from ._request import PreparedCall

__all__ = ["StreamAssembler"]


class StreamAssembler:
    """Accumulates stream chunks and decides what may be shown so far.

    Args:
        call: The request being streamed.
    """

    def __init__(self, call: PreparedCall) -> None:
        self._call = call
        self.text = ""
        self.visible = ""
        self.last_output: Any = None

    def feed(self, chunk: Any) -> str:
        """Take one ``ChatOutput`` chunk and return the newly visible text ("" if none).

        Args:
            chunk: A streamed ``ChatOutput`` (``text_delta`` plus cumulative ``text``).

        Returns:
            The text to emit as the next ``delta``.
        """
        self.last_output = chunk
        delta = chunk.text_delta or ""
        full = chunk.text or ""
        if full.startswith(self.text) and len(full) >= len(self.text) + len(delta):
            self.text = full  # the cumulative text is authoritative (e.g. the final record)
        else:
            self.text += delta
        return self._advance(self._showable())

    def _showable(self) -> str:
        if self._call.json_output or self._call.forces_tool_call:
            return ""
        if self._call.parses_tools:
            return stream_safe_prefix(self.text)
        return self.text

    def _advance(self, showable: str) -> str:
        if not showable.startswith(self.visible) or len(showable) == len(self.visible):
            return ""
        delta = showable[len(self.visible) :]
        self.visible = showable
        return delta

    def finish(self, final_content: str) -> str:
        """Return the last delta so that the visible text becomes ``final_content``.

        If the early-streamed prefix is not a prefix of the final content (which the shared
        parser guarantees never happens), the remaining delta is empty and the final
        message's content is still authoritative.
        """
        visible, self.visible = self.visible, final_content
        return final_content[len(visible) :] if final_content.startswith(visible) else ""
