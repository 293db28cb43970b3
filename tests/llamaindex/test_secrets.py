from __future__ import annotations

import json

import pytest
from llama_index.core.bridge.pydantic import SecretStr
from llama_index.llms.oneminai import OneMinAI
from llama_index.tools.oneminai import OneMinAIToolSpec


def _assert_absent(canary: str, *texts: str) -> None:
    for text in texts:
        assert canary not in text


def test_key_is_secret_and_never_serialized(canary: str) -> None:
    llm = OneMinAI(api_key=canary, proxy=f"http://user:{canary}@proxy:8080")
    assert isinstance(llm.api_key, SecretStr)
    assert llm.api_key.get_secret_value() == canary
    _assert_absent(
        canary,
        repr(llm),
        str(llm),
        json.dumps(llm.to_dict()),
        llm.to_json(),
        json.dumps(llm.model_dump(mode="json")),
        llm.model_dump_json(),
        json.dumps(llm.to_payload(), default=str),
        repr(llm._clients),
    )
    assert "api_key" not in llm.to_dict()


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch, canary: str) -> None:
    monkeypatch.setenv("ONEMINAI_API_KEY", canary)
    llm = OneMinAI()
    assert llm.api_key.get_secret_value() == canary
    assert canary not in repr(llm) and canary not in llm.to_json()


def test_no_key_and_no_network_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONEMINAI_API_KEY", raising=False)
    llm = OneMinAI(model="gpt-4o")
    assert llm.api_key.get_secret_value() == ""
    assert llm._factory is None  # no client was created


def test_tool_spec_repr_has_no_key(canary: str) -> None:
    spec = OneMinAIToolSpec(api_key=canary)
    _assert_absent(canary, repr(spec), str(spec), repr(vars(spec)))


def test_key_absent_from_instrumentation_events(fake_sync: object, canary: str) -> None:
    from llama_index.core.base.llms.types import ChatMessage
    from llama_index.core.instrumentation import get_dispatcher
    from llama_index.core.instrumentation.event_handlers import BaseEventHandler

    seen: list[str] = []

    class Collect(BaseEventHandler):
        def handle(self, event: object, **kwargs: object) -> None:
            seen.append(repr(event))

    handler = Collect()
    dispatcher = get_dispatcher()
    dispatcher.add_event_handler(handler)
    try:
        llm = OneMinAI(api_key=canary, client=fake_sync)  # type: ignore[arg-type]
        llm.chat([ChatMessage(role="user", content="hi")])
        llm.complete("hi")
    finally:
        dispatcher.event_handlers.remove(handler)
    assert any("OneMinAI" in event for event in seen)
    _assert_absent(canary, *seen)
