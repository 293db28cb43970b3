"""Incremental decoding of the legacy raw-text chat stream.

The body is plain UTF-8 text sent in arbitrary chunks. Multi-byte characters split
across chunks are reassembled, invalid bytes become U+FFFD (never an exception),
and a leading byte-order mark is removed once, as the WHATWG "UTF-8 decode"
algorithm does: it is an encoding signature, not part of the answer.
"""

from __future__ import annotations

import codecs

__all__ = ["TextStreamDecoder"]

_utf8_decode = codecs.utf_8_decode


class TextStreamDecoder:
    """Turn byte chunks into text chunks."""

    __slots__ = ("_bom_checked", "_pending")

    def __init__(self) -> None:
        self._pending = b""
        self._bom_checked = False

    def feed(self, chunk: bytes) -> str:
        """Decode one chunk.

        Args:
            chunk: The next bytes of the body, split anywhere.

        Returns:
            The text completed by this chunk (may be ``""`` while a character is split).
        """
        data = self._pending + chunk if self._pending else chunk
        text, used = _utf8_decode(data, "replace", False)
        self._pending = data[used:] if used != len(data) else b""
        return self._strip_bom(text)

    def finish(self) -> str:
        """Signal end of stream.

        Returns:
            Whatever was pending: an incomplete final sequence becomes U+FFFD.
        """
        data, self._pending = self._pending, b""
        if not data:
            return ""
        text, _ = _utf8_decode(data, "replace", True)
        return self._strip_bom(text)

    def _strip_bom(self, text: str) -> str:
        if text and not self._bom_checked:
            self._bom_checked = True
            if text[0] == "\ufeff":
                return text[1:]
        return text
