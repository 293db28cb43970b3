"""Sans-IO protocol code: request building, response parsing, decoders, retries.

Nothing in this package performs I/O, imports a transport library or imports ``_client``.
Every client method is an *operation*: a generator that yields what it needs (a request, a
wait, a stream, a download) and receives the answer (:mod:`._ops`). The drivers
(``_client/_async.py``, ``_client/_sync.py``) only execute those steps.

The request path, in order, with ``generate_image`` as the example:

1. **build** — :mod:`._features` ``prepare`` checks the arguments and maps them onto
   ``promptObject`` for the model's family (the rows of ``_registry``); ``run`` is the
   operation: it uploads local files (:mod:`._assets`), then yields the
   :class:`~._http.Request` of ``POST /api/features`` (:mod:`._http`, paths in
   :mod:`._routes`). Chat builds its requests in :mod:`._chat`.
2. **send** — the driver's one loop sends each attempt with its transport
   (``_transport/_aiohttp.py`` or ``_transport/_requests.py``), which bounds and decodes
   the body with :mod:`._bodies`; connection failures are worded by :mod:`._neterrors`.
3. **retry** — :mod:`._retry_loop` turns each request into attempts and waits: redirects
   (same origin only), the client-side rate limit (:mod:`._ratelimit`), and the decisions of
   :mod:`._retry_policy` (which failures to retry, how long to wait). An answer it gives up
   on becomes an exception in :mod:`._errors`, thrown into the operation.
4. **parse** — the 2xx response goes back into the operation: :mod:`._records` reads the
   ``aiRecord`` envelope, :func:`._features.output_for` builds the output type (polling
   ``GET /api/results/{id}`` first for long-running features). Streams are parsed by
   :mod:`._sse` → :mod:`._chat_stream` → :mod:`._streaming` (deadlines in
   :mod:`._deadlines`); errors leaving the client are scrubbed by :mod:`._secrets`.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any


class LazyModule:
    """A stand-in for a module that is imported on first attribute access.

    The client classes use the operations of rarely needed protocol modules (account,
    conversations, assets) only inside method bodies; importing them on first use keeps
    them (and their compile/exec time) off ``import oneminai_webapi``.
    """

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
