"""A local emulator of the 1min.AI API for offline tests, demos and benchmarks.

Example::

    from oneminai_webapi.testing import Emulator, Fault

    async with Emulator(api_key="test-key") as emu:
        emu.script_replies(["Hello!"])
        emu.inject(Fault.status(429, headers={"Retry-After": "1"}), path="/api/chat-with-ai")
        ...  # point a client at emu.base_url

Both surfaces are served: the official API (``API-KEY`` header, ``/api/*``), the web-app
API (``X-Auth-Token: Bearer <jwt or api key>``, ``/users``, ``/teams/{t}/…``) and the public
``GET /models?feature=X``. :func:`live_or_emulator` runs the same code against the
real service when ``ONEMINAI_API_KEY`` is set and against an emulator otherwise.
See :class:`Emulator`, :class:`EmulatorConfig` and :class:`Fault`.
"""

from ._catalog import FEATURE_OUTPUT_KINDS, Catalog, output_kind
from ._chat import default_reply
from ._config import EmulatorConfig
from ._faults import Fault, InjectedFault
from ._server import Emulator
from ._state import Asset, ChatTurn, Conversation, Message, RecordedRequest, Stats
from ._target import Target, live_or_emulator
from ._validation import validate_prompt_object

__all__ = [
    "FEATURE_OUTPUT_KINDS",
    "Asset",
    "Catalog",
    "ChatTurn",
    "Conversation",
    "Emulator",
    "EmulatorConfig",
    "Fault",
    "InjectedFault",
    "Message",
    "RecordedRequest",
    "Stats",
    "Target",
    "default_reply",
    "live_or_emulator",
    "output_kind",
    "validate_prompt_object",
]
