"""How the constructor's ``timeout`` and ``timeouts`` combine."""

from __future__ import annotations

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient, Timeouts


@pytest.mark.parametrize("factory", [OneMinAIClient, SyncOneMinAIClient])
def test_timeouts_total_is_kept_unless_timeout_is_given(factory: type) -> None:
    def total(**kwargs: object) -> float | None:
        client = factory("k", **kwargs)
        return client._ctx.settings.timeouts.total

    assert total() == 60  # the default
    assert total(timeouts=Timeouts(total=300)) == 300  # not overridden by the default 60
    assert total(timeout=30, timeouts=Timeouts(total=300)) == 30  # explicit wins
    assert total(timeout=60, timeouts=Timeouts(total=300)) == 60  # even when it equals 60
    assert total(timeout=None) == Timeouts().total  # None: the Timeouts defaults
    assert factory("k", timeouts=Timeouts(read=5, total=300))._ctx.settings.timeouts.read == 5
