"""The package root: its lazy exports are declared once and resolve, the output types and the
exceptions are all exported, and ``import oneminai_webapi`` loads no HTTP library or pydantic."""

from __future__ import annotations

import subprocess
import sys

import oneminai_webapi
from oneminai_webapi import exceptions, types


def test_every_output_type_is_a_lazy_export_of_the_types_module() -> None:
    lazy_types = {
        name for name, module in oneminai_webapi._LAZY.items() if module.endswith(".types")
    }
    assert lazy_types == set(types.__all__)


def test_every_exception_class_is_exported_from_the_root() -> None:
    assert set(exceptions.__all__) <= set(oneminai_webapi.__all__)
    for name in exceptions.__all__:
        assert getattr(oneminai_webapi, name) is getattr(exceptions, name)


def test_every_exported_name_resolves() -> None:
    missing = [name for name in oneminai_webapi.__all__ if not hasattr(oneminai_webapi, name)]
    assert missing == []
    assert set(oneminai_webapi._LAZY) <= set(oneminai_webapi.__all__)
    assert oneminai_webapi.ChatOutput is types.ChatOutput
    assert set(dir(oneminai_webapi)) >= set(oneminai_webapi.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        oneminai_webapi.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("no AttributeError")


def test_importing_the_package_loads_no_http_library_nor_pydantic() -> None:
    code = (
        "import sys, oneminai_webapi\n"
        "from oneminai_webapi import OneMinAIError, RateLimitError\n"
        "print(sorted(m for m in ('aiohttp', 'requests', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
