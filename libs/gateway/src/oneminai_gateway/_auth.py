"""Who is calling: gateway keys (constant-time), pass-through tokens, rpm limits, budgets."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ._config import KeyConfig
from ._errors import GatewayError

__all__ = ["Caller", "KeyRing"]

_WINDOW_S = 60.0


@dataclass
class Caller:
    """An authenticated caller.

    Attributes:
        name: The key's name (ledger label; never the secret).
        key: Its configuration (``None`` in pass-through mode).
        upstream_key: The 1min.AI key to call with (``None``: the gateway's own).
    """

    name: str
    key: KeyConfig | None = None
    upstream_key: str | None = field(default=None, repr=False)

    def check_model(self, model: str | None) -> None:
        """Refuse a model outside the key's allow-list (403).

        ``None`` (the endpoint's default model) is refused too when the key has a list: the
        default is not known here, so such a key must name its model.

        Raises:
            GatewayError: 403 ``model_not_allowed``.
        """
        allowed = self.key.models if self.key is not None else None
        if allowed is not None and model not in allowed:
            raise GatewayError(
                403,
                f"This key may not use the model {model!r}."
                if model is not None
                else "This key may use only some models: name one in 'model'.",
                "permission_error",
                "model_not_allowed",
                "model",
            )

    def may_use(self, model: str) -> bool:
        """Whether the key's allow-list admits ``model``."""
        allowed = self.key.models if self.key is not None else None
        return allowed is None or model in allowed


class KeyRing:
    """The configured keys, their request windows, and the ledger's spending totals.

    Args:
        keys: The gateway keys.
        pass_through: Forward bearer tokens as 1min.AI keys instead of checking them.
        spent: Credits spent so far per key name (the ledger keeps it current).
        clock: Monotonic seconds (tests pass their own).
    """

    def __init__(
        self,
        keys: Sequence[KeyConfig],
        *,
        pass_through: bool = False,
        spent: Mapping[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = [(key.digest, key) for key in keys]
        self._pass_through = pass_through
        self._spent = spent if spent is not None else {}
        self._windows: dict[str, deque[float]] = {}
        self._clock = clock

    def authenticate(self, authorization: str | None) -> Caller:
        """The caller of an ``Authorization`` header.

        Every configured key is compared, in constant time, whatever matches first.

        Raises:
            GatewayError: 401 for a missing, malformed or unknown key.
        """
        token = _bearer(authorization)
        digest = hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()
        if self._pass_through:
            return Caller(name="pass-through:" + digest.hex()[:12], upstream_key=token)
        found: KeyConfig | None = None
        for known, key in self._keys:
            if hmac.compare_digest(digest, known):
                found = key
        if found is None:
            raise GatewayError(
                401,
                "Incorrect API key provided.",
                "invalid_request_error",
                "invalid_api_key",
            )
        return Caller(name=found.name, key=found)

    def admit(self, caller: Caller) -> None:
        """Count one request against the caller's budget and requests-per-minute limit.

        Raises:
            GatewayError: 429 ``insufficient_quota`` over budget; 429 ``rate_limit_exceeded``
                (with ``Retry-After``) over the rpm limit.
        """
        key = caller.key
        if key is None:
            return
        if key.budget_credits is not None and self._spent.get(key.name, 0.0) >= key.budget_credits:
            raise GatewayError(
                429,
                "You exceeded your current quota: this key's credit budget is spent.",
                "insufficient_quota",
                "insufficient_quota",
            )
        if key.rpm is None:
            return
        now = self._clock()
        window = self._windows.setdefault(key.name, deque())
        while window and window[0] <= now - _WINDOW_S:
            window.popleft()
        if len(window) >= key.rpm:
            raise GatewayError(
                429,
                f"Rate limit reached: {key.rpm} requests per minute for this key.",
                "rate_limit_error",
                "rate_limit_exceeded",
                retry_after=window[0] + _WINDOW_S - now,
            )
        window.append(now)


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise GatewayError(
            401,
            "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'.",
            "invalid_request_error",
            "missing_api_key",
        )
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise GatewayError(
            401,
            "The Authorization header must be 'Bearer YOUR_KEY'.",
            "invalid_request_error",
            "invalid_api_key",
        )
    return token
