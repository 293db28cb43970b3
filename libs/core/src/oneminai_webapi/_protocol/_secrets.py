r"""Keeping secrets secret, sans-IO: a string type that hides itself, and redaction.

* :class:`Secret` holds the key (and a proxy URL) everywhere the clients keep or pass it:
  a ``str`` whose ``repr`` is ``'***'``, so a debugger, a traceback with locals or a log
  of a headers dict never shows it.
* :func:`redact_text` / :func:`redact_value` blank secrets in what a server sends back,
  literal or JSON-escaped (``\u0073k-…``, ``\/``) or percent-encoded.
* :func:`finish_error` is applied by both drivers to every error leaving the client: every
  attribute of every error in its chain is redacted (messages, bodies, request ids, partial
  text), messages are cut to :data:`MAX_MESSAGE_CHARS`, and foreign exceptions that were
  hidden (``raise ... from None``) or hold a secret are unlinked from the chain.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from ..exceptions import OneMinAIError

__all__ = [
    "MAX_MESSAGE_CHARS",
    "Secret",
    "finish_error",
    "proxy_secrets",
    "redact_bytes",
    "redact_text",
    "redact_value",
]

#: Error messages longer than this are cut (a server's in-band message can be megabytes).
MAX_MESSAGE_CHARS = 2000
#: Shorter values are not treated as secrets (blanking them would garble ordinary text).
MIN_SECRET_CHARS = 6
_MASK = "***"
_MAX_DEPTH = 64


class Secret(str):
    """A string that never shows itself in ``repr()`` (nor pickles).

    It is an ordinary ``str`` for everything else: HTTP libraries send it as the header
    value; ``str(secret)`` and f-strings give the plain value.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"

    def __reduce__(self) -> Any:
        raise TypeError("secrets cannot be pickled")

    def __copy__(self) -> Secret:
        return self  # immutable, like str (recorders deep-copy request headers)

    def __deepcopy__(self, memo: Any) -> Secret:
        return self


def proxy_secrets(proxy: str | None) -> tuple[str, ...]:
    """The secret parts of a proxy URL: the URL itself, its ``user:password`` and password."""
    if not proxy:
        return ()
    parts = urlsplit(proxy)
    found = [proxy]
    if parts.password:
        found.append(unquote(parts.password))
        found.append(parts.password)
    if "@" in parts.netloc:
        found.append(parts.netloc.rsplit("@", 1)[0])
    return tuple(Secret(s) for s in dict.fromkeys(found) if len(s) >= MIN_SECRET_CHARS)


@functools.lru_cache(maxsize=64)
def _pattern(secret: str) -> re.Pattern[str]:
    r"""``secret`` as written, JSON-escaped (``\uXXXX``, ``\/``) or percent-encoded."""
    parts = []
    for char in secret:
        code = ord(char)
        options = [re.escape(char), f"\\\\u{code:04x}"]
        if code < 0x100:
            options.append(f"%{code:02x}")
        if char == "/":
            options.append(r"\\/")
        parts.append("(?:" + "|".join(options) + ")")
    return re.compile("".join(parts), re.IGNORECASE if secret.isascii() else 0)


def _usable(secrets: Iterable[str]) -> Iterator[str]:
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_CHARS:
            yield str(secret)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (in any of its escaped forms) replaced by ``***``."""
    for secret in _usable(secrets):
        if secret in text:
            text = text.replace(secret, _MASK)
        if "\\" in text or "%" in text:
            text = _pattern(secret).sub(_MASK, text)
    return text


def redact_bytes(body: bytes, secrets: Iterable[str]) -> bytes:
    """:func:`redact_text` on bytes (undecodable bytes are kept as they are)."""
    usable = list(_usable(secrets))
    if not usable:
        return body
    text = body.decode("utf-8", "surrogateescape")
    cleaned = redact_text(text, usable)
    return body if cleaned == text else cleaned.encode("utf-8", "surrogateescape")


def redact_value(value: Any, secrets: tuple[str, ...], _depth: int = 0) -> Any:
    """A copy of decoded JSON-like data (or text, bytes) with the secrets blanked."""
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, (bytes, bytearray)):
        return redact_bytes(bytes(value), secrets)
    if _depth >= _MAX_DEPTH and isinstance(value, (dict, list, tuple)):
        return "…"  # deeper than any real answer: dropped rather than walked
    if isinstance(value, dict):
        return {
            redact_value(k, secrets, _depth + 1): redact_value(v, secrets, _depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        items = [redact_value(v, secrets, _depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    return value


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        error = todo.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        todo.extend(e for e in (error.__cause__, error.__context__) if e is not None)


def _holds(error: BaseException, secrets: tuple[str, ...]) -> bool:
    try:
        views = (str(error), repr(error.args), repr(getattr(error, "__dict__", {})))
    except Exception:  # a broken __str__: treat it as unsafe
        return True
    return any(redact_text(view, secrets) != view for view in views)


def finish_error(exc: OneMinAIError, secrets: tuple[str, ...]) -> OneMinAIError:
    """Make an error safe to leave the client (see the module docstring); returns it."""
    for error in list(_chain(exc)):
        if isinstance(error, OneMinAIError):
            state = error.__dict__
            for name, value in list(state.items()):
                state[name] = redact_value(value, secrets)
            message = state.get("message")
            if isinstance(message, str):
                if len(message) > MAX_MESSAGE_CHARS:
                    message = message[:MAX_MESSAGE_CHARS] + "… (message truncated)"
                    state["message"] = message
                error.args = (message,)
        context = error.__context__
        foreign = context is not None and not isinstance(context, OneMinAIError)
        if foreign and (error.__suppress_context__ or _holds(context, secrets)):  # type: ignore[arg-type]
            error.__context__ = None
        cause = error.__cause__
        if cause is not None and not isinstance(cause, OneMinAIError) and _holds(cause, secrets):
            error.__cause__ = None
    return exc
