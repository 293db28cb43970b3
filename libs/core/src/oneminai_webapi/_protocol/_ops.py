"""Operations: the logic of every client method, written once as sans-IO generators.

An operation is a generator that *yields* what it needs from the outside world and
*receives* the answer:

* :class:`Request` → it is sent with retries, rate limiting and error mapping
  (:func:`._retry_loop.with_retries` turns it into the attempts a driver executes), and the
  2xx :class:`Response` is sent back; a failure is thrown into the generator instead, so an
  operation can handle it (e.g. a 404 on delete).
* :class:`Sleep` → the driver waits (polling), then sends back ``None``.
* :class:`StreamPlan` → the driver runs the stream to its end and sends back the final
  :class:`ChatOutput` (non-streamed chat on the web-app surface, which only streams).
* :class:`Download` → the driver streams a URL into a file and sends back its path.

The async client drives operations with ``await``, the sync client with blocking calls, each
in one loop (``_drive``); neither contains any method logic or retry decision of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ._http import Request, Response, Sleep

if TYPE_CHECKING:
    from ..types import ChatOutput
    from ._sse import ServerSentEvent

T = TypeVar("T")


class StreamState(Protocol):
    """Turns server-sent events into chunks (see ``_chat.ChatStreamState``)."""

    events_received: int

    @property
    def text(self) -> str:
        """Everything received so far."""
        ...

    def on_event(self, event: ServerSentEvent) -> ChatOutput | None:
        """Handle one event; return a chunk to hand to the caller, if any."""
        ...

    def step(self, event: ServerSentEvent) -> ChatOutput | tuple[Any, ...] | None:
        """Like ``on_event``, but content chunks may come back unbuilt, as a tuple."""
        ...

    def on_eof(self) -> ChatOutput | None:
        """The body ended: return the final chunk, or raise when the stream was truncated."""
        ...


@dataclass
class StreamPlan:
    """A streamed request and how to interpret it.

    Attributes:
        request: The request to open (``stream=True``).
        state: The event interpreter.
        on_final: Called with the final chunk when the stream completes (sessions use it).
    """

    request: Request
    state: StreamState
    on_final: Callable[[ChatOutput], None] | None = None


@dataclass(frozen=True)
class Download:
    """Stream ``request``'s body into ``directory/filename`` atomically."""

    request: Request
    directory: Path
    filename: str
    verbose: bool = False
    #: Called with ``(bytes_received, total_bytes_or_None)`` when the body starts and after
    #: every chunk.
    on_progress: Callable[[int, int | None], None] | None = None
    #: Replace an existing file of that name (else the first free ``name (n).ext``).
    overwrite: bool = False
    #: The name is the server's suggestion (its extension may be replaced to fit the
    #: Content-Type); ``False`` when the caller chose it.
    server_named: bool = False


Step = Request | Sleep | StreamPlan | Download
Op = Generator[Step, Any, T]


def send(request: Request) -> Generator[Step, Any, Response]:
    """Yield one request and return its (2xx) response; operations call it with yield from."""
    response: Response = yield request
    return response


def body_json(response: Response) -> Any:
    """Decode a 2xx JSON body, mapping garbage to a typed error."""
    from ..exceptions import UnexpectedResponseError

    try:
        return response.json()
    except ValueError:
        message = "The service answered with a body that is not JSON."
    except RecursionError:  # ``[[[[…`` nested deeper than the parser goes
        message = "The service answered with JSON nested too deeply to read."
    raise UnexpectedResponseError(
        message, status_code=response.status, body=response.text[:2048]
    ) from None
