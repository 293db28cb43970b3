"""Long jobs (video, music): progress notifications while the core client polls.

The core client reports every poll to a plain callback (``on_progress``); the callback
queues it, and one task sends the queue as MCP progress notifications in order, tied to
the request (so streamable HTTP sends them on that request's stream). Cancelling the
request cancels the polling: the ``await`` in the core client is cancelled, nothing more
is sent to 1min.AI (the job itself goes on there and stays fetchable by its id).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

logger = logging.getLogger("oneminai_mcp")


def _message(update: Any) -> str:
    status = str(getattr(update, "status", "") or "pending").lower()
    elapsed = float(getattr(update, "elapsed_s", 0.0) or 0.0)
    return f"job {getattr(update, 'record_id', '')} {status} after {elapsed:.0f} s"


async def with_progress(
    context: Any, call: Callable[[Callable[[Any], None] | None], Awaitable[Any]]
) -> Any:
    """Run ``call(on_progress)``, sending each progress update to the MCP client.

    Without a progress token in the request, ``call(None)`` runs as is.

    Args:
        context: The MCP request context (``meta.progressToken``, ``session``,
            ``request_id``).
        call: Starts the client call with the given ``on_progress`` callback.
    """
    token = getattr(context.meta, "progressToken", None) if context.meta else None
    if token is None:
        return await call(None)
    send, receive = anyio.create_memory_object_stream[tuple[float, str]](math.inf)
    count = 0

    def on_progress(update: Any) -> None:
        nonlocal count
        count += 1
        send.send_nowait((float(count), _message(update)))

    async def pump() -> None:
        async with receive:
            async for progress, message in receive:
                try:
                    await context.session.send_progress_notification(
                        token, progress, None, message, related_request_id=context.request_id
                    )
                except Exception as exc:  # a closed stream must not fail the call
                    logger.debug("progress not sent: %s", type(exc).__name__)

    outcome: Any = None
    failure: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(pump)
        try:
            outcome = await call(on_progress)
        except Exception as exc:  # re-raised below, after the queue is flushed
            failure = exc
        finally:
            send.close()
    if failure is not None:
        raise failure
    return outcome
