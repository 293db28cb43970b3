"""docs/reliability.md requirement 15: the canary key never leaks from the LangChain and LlamaIndex adapters —
repr, model_dump(_json), LangChain dumps, LlamaIndex to_dict/to_json, pickles of errors,
exceptions and DEBUG logs — and both fall back to ONEMINAI_API_KEY."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from oneminai_webapi.testing import Emulator, Fault
from pydantic import SecretStr

from .conftest import assert_exception_clean, logging_at_debug

CHAT = "/api/chat-with-ai"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def debug_records() -> Iterator[_Records]:
    handler = _Records()
    names = (
        "",
        "oneminai_webapi",
        "langchain",
        "langchain_oneminai",
        "llama_index",
        "aiohttp",
        "urllib3",
    )
    with logging_at_debug(handler, names):
        yield handler


def _assert_no_secret(records: _Records, secret: str) -> None:
    import traceback

    for r in records.records:
        assert secret not in r.getMessage()
        assert secret not in repr(r.args)
        if r.exc_info:
            assert secret not in "".join(traceback.format_exception(*r.exc_info))


def _serialisations(obj: Any) -> dict[str, str]:
    out = {"repr": repr(obj), "str": str(obj), "model_dump": repr(obj.model_dump()),
           "model_dump_json": obj.model_dump_json(), "vars": repr(vars(obj))}  # fmt: skip
    return out


# ── LangChain ───────────────────────────────────────────────────────────────────────────


def test_langchain_serialisations(canary: str) -> None:
    lc = pytest.importorskip("langchain_oneminai")
    from langchain_core.load import dumpd, dumps

    model = lc.ChatOneMinAI(api_key=canary, base_url="http://127.0.0.1:9")
    assert isinstance(model.api_key, SecretStr)
    forms = _serialisations(model)
    forms["dumps"] = dumps(model)
    forms["dumpd"] = repr(dumpd(model))
    for name, text in forms.items():
        assert canary not in text, name


def test_langchain_env_fallback(canary: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lc = pytest.importorskip("langchain_oneminai")
    monkeypatch.setenv("ONEMINAI_API_KEY", canary)
    model = lc.ChatOneMinAI()
    assert isinstance(model.api_key, SecretStr)
    assert model.api_key.get_secret_value() == canary
    assert canary not in repr(model)


def test_langchain_errors_and_logs(
    emu_thread: Emulator, canary: str, debug_records: _Records
) -> None:
    lc = pytest.importorskip("langchain_oneminai")
    model = lc.ChatOneMinAI(api_key=canary, base_url=emu_thread.base_url, max_retries=0)
    assert model.invoke("hi").content
    errors: list[BaseException] = []
    emu_thread.inject(Fault.status(401, {"message": f"bad key {canary}"}), path=CHAT)
    emu_thread.inject(Fault.cut_after(1), path=CHAT)
    for call in (lambda: model.invoke("hi"), lambda: list(model.stream("one two three"))):
        with pytest.raises(Exception) as info:
            call()
        errors.append(info.value)
    for exc in errors:
        assert_exception_clean(exc, canary)
    _assert_no_secret(debug_records, canary)
    assert canary not in repr(model)


async def test_langchain_async_errors(emu: Emulator, canary: str) -> None:
    lc = pytest.importorskip("langchain_oneminai")
    model = lc.ChatOneMinAI(api_key=canary, base_url=emu.base_url, max_retries=0)
    assert (await model.ainvoke("hi")).content
    emu.config.api_key = "another"
    with pytest.raises(Exception) as info:
        await model.ainvoke("hi")
    assert_exception_clean(info.value, canary)
    emu.config.api_key = canary


# ── LlamaIndex ──────────────────────────────────────────────────────────────────────────


def test_llamaindex_serialisations(canary: str) -> None:
    mod = pytest.importorskip("llama_index.llms.oneminai")
    llm = mod.OneMinAI(api_key=canary, base_url="http://127.0.0.1:9")
    assert isinstance(llm.api_key, SecretStr)
    forms = _serialisations(llm)
    forms["to_dict"] = repr(llm.to_dict())
    forms["to_json"] = llm.to_json()
    forms["metadata"] = repr(llm.metadata)
    for name, text in forms.items():
        assert canary not in text, name


def test_llamaindex_env_fallback(canary: str, monkeypatch: pytest.MonkeyPatch) -> None:
    mod = pytest.importorskip("llama_index.llms.oneminai")
    monkeypatch.setenv("ONEMINAI_API_KEY", canary)
    llm = mod.OneMinAI()
    assert llm.api_key.get_secret_value() == canary
    assert canary not in llm.to_json()


def test_llamaindex_errors_and_logs(
    emu_thread: Emulator, canary: str, debug_records: _Records
) -> None:
    mod = pytest.importorskip("llama_index.llms.oneminai")
    from llama_index.core.llms import ChatMessage

    llm = mod.OneMinAI(api_key=canary, base_url=emu_thread.base_url, max_retries=0)
    assert llm.complete("hi").text
    emu_thread.inject(Fault.status(401, {"message": f"bad key {canary}"}), path=CHAT)
    emu_thread.inject(Fault.cut_after(1), path=CHAT)
    errors: list[BaseException] = []
    for call in (
        lambda: llm.chat([ChatMessage(role="user", content="hi")]),
        lambda: list(llm.stream_complete("one two three")),
    ):
        with pytest.raises(Exception) as info:
            call()
        errors.append(info.value)
    for exc in errors:
        assert_exception_clean(exc, canary)
    _assert_no_secret(debug_records, canary)
    assert canary not in repr(llm)


def test_llamaindex_tool_spec_serialisation(canary: str) -> None:
    tools = pytest.importorskip("llama_index.tools.oneminai")
    spec = tools.OneMinAIToolSpec(api_key=canary, base_url="http://127.0.0.1:9")
    assert canary not in repr(spec)
    assert canary not in repr(getattr(spec, "__dict__", {}))
