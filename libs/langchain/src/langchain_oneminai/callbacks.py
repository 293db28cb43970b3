"""Credits spent across a block of code: :func:`get_oneminai_callback`.

Like ``get_openai_callback()`` for cost: every ``ChatOneMinAI`` call that ends inside the
block (sync or async, in threads or tasks started from it) adds the credits its records
reported. The handler is found through a context variable that LangChain's callback
configuration reads, so nothing has to be passed to the calls.

Example:
    .. code-block:: python

        from langchain_oneminai import ChatOneMinAI, get_oneminai_callback

        llm = ChatOneMinAI(model="gpt-4o-mini")
        with get_oneminai_callback() as cb:
            llm.invoke("Hello")
            llm.invoke("And again")
        print(cb.total_credits, cb.successful_requests)
"""

from __future__ import annotations

import threading
from contextvars import ContextVar, Token
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult
from langchain_core.tracers.context import register_configure_hook

__all__ = ["OneMinAICallbackHandler", "get_oneminai_callback"]

_KEYS = ("credits_used", "input_credits", "output_credits")


class OneMinAICallbackHandler(BaseCallbackHandler):
    """Sums the credits of ``ChatOneMinAI`` calls (thread-safe).

    Attributes:
        total_credits: Credits the calls cost, as the service reported them.
        input_credits: The part charged for inputs.
        output_credits: The part charged for answers.
        successful_requests: 1min.AI chat requests answered (corrective retries count).
        requests_without_credits: Calls whose records reported no credits.
    """

    raise_error = False
    run_inline = True

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.total_credits = 0
        self.input_credits = 0
        self.output_credits = 0
        self.successful_requests = 0
        self.requests_without_credits = 0
        #: The handler of an enclosing scope: it counts these calls too.
        self.parent: OneMinAICallbackHandler | None = None

    def __repr__(self) -> str:
        return (
            f"Credits used: {self.total_credits} (input {self.input_credits}, output "
            f"{self.output_credits})\nSuccessful requests: {self.successful_requests}"
        )

    @property
    def always_verbose(self) -> bool:
        """Called even when the model is not verbose."""
        return True

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        """Add the credits of a finished ``ChatOneMinAI`` call."""
        for generations in response.generations:
            for generation in generations:
                message = getattr(generation, "message", None)
                metadata = getattr(message, "response_metadata", None) or {}
                if metadata.get("model_provider") != "oneminai":
                    continue  # another provider's model in the same block
                self._add(metadata)

    def _add(self, metadata: dict[str, Any]) -> None:
        values = [metadata.get(key) for key in _KEYS]
        used, given, produced = (v if isinstance(v, int) else 0 for v in values)
        retries = metadata.get("corrective_retries")
        requests = 1 + (retries if isinstance(retries, int) else 0)
        with self._lock:
            self.total_credits += used
            self.input_credits += given
            self.output_credits += produced
            self.successful_requests += requests
            if not isinstance(values[0], int):
                self.requests_without_credits += 1
        if self.parent is not None:
            self.parent._add(metadata)


_current: ContextVar[OneMinAICallbackHandler | None] = ContextVar("oneminai_callback", default=None)
register_configure_hook(_current, inheritable=True)


class _Scope:
    """``with`` / ``async with`` scope installing one handler in the current context."""

    def __init__(self) -> None:
        self.handler = OneMinAICallbackHandler()
        self._token: Token[OneMinAICallbackHandler | None] | None = None

    def __enter__(self) -> OneMinAICallbackHandler:
        self.handler.parent = _current.get()
        self._token = _current.set(self.handler)
        return self.handler

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None

    async def __aenter__(self) -> OneMinAICallbackHandler:
        return self.__enter__()

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__()


def get_oneminai_callback() -> _Scope:
    """Sum the credits of every ``ChatOneMinAI`` call inside a ``with`` (or ``async with``).

    Scopes nest (an outer scope also counts the calls of the inner ones) and stay separate
    between threads: each thread, and each asyncio task, sees the handler of the context it
    was started from.

    Returns:
        A context manager yielding a :class:`OneMinAICallbackHandler`.
    """
    return _Scope()
