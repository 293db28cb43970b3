"""The package root names the output types itself (importing ``types`` would load pydantic
at ``import oneminai_webapi``): the two lists must agree, and every name must resolve."""

from __future__ import annotations

import oneminai_webapi
from oneminai_webapi import types


def test_lazy_type_names_match_the_types_module() -> None:
    assert set(oneminai_webapi._LAZY_TYPES) == set(types.__all__)


def test_every_exported_name_resolves() -> None:
    missing = [name for name in oneminai_webapi.__all__ if not hasattr(oneminai_webapi, name)]
    assert missing == []
    assert oneminai_webapi.ChatOutput is types.ChatOutput
