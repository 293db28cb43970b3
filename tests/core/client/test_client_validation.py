"""Bad input raises before any request: the emulator sees nothing."""

from __future__ import annotations

from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient, Timeouts
from oneminai_webapi.exceptions import InvalidRequestError

from .conftest import call, collect

TITLE_92 = "t" * 92

BAD_CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("empty-prompt", "generate_content", ("",), {}),
    ("blank-prompt", "generate_content", ("  \n\t",), {}),
    ("none-prompt", "generate_content", (None,), {}),
    ("int-prompt", "generate_content", (42,), {}),
    ("empty-model", "generate_content", ("Hi", ""), {}),
    ("empty-image-entry", "generate_content", ("Hi",), {"images": [""]}),
    ("images-not-list", "generate_content", ("Hi",), {"images": 5}),
    ("chat-empty-prompt", "chat", ("",), {}),
    ("chat-empty-conversation-id", "chat", ("Hi",), {"conversation_id": ""}),
    ("chat-zero-sites", "chat", ("Hi",), {"web_search": True, "num_of_site": 0}),
    ("chat-negative-history", "chat", ("Hi",), {"history_message_limit": -1}),
    ("chat-bool-max-word", "chat", ("Hi",), {"max_word": True}),
    ("create-long-title", "create_conversation", (TITLE_92,), {}),
    ("create-empty-title", "create_conversation", ("",), {}),
    ("rename-long-title", "rename_conversation", ("c-1", TITLE_92), {}),
    ("get-empty-id", "get_conversation", ("",), {}),
    ("get-dotdot", "get_conversation", ("..",), {}),
    ("get-dot", "get_conversation", (".",), {}),
    ("get-encoded-dotdot", "get_conversation", ("%2e%2e",), {}),
    ("rename-dotdot", "rename_conversation", ("..", "Title"), {}),
    ("delete-empty-id", "delete_conversation", ("",), {}),
    ("delete-dotdot", "delete_conversation", ("..",), {}),
    ("messages-empty-id", "get_conversation_messages", ("",), {}),
    ("notification-dotdot", "get_notification", ("..",), {}),
    ("notification-empty", "get_notification", ("",), {}),
    ("upload-missing-file", "upload_asset", ("/no/such/file.png",), {}),
    (
        "upload-unknown-asset-type",
        "upload_asset",
        (),
        {"data": b"x", "filename": "a.png", "asset_type": "SPREADSHEET"},
    ),
    ("upload-no-extension", "upload_asset", (), {"data": b"x", "filename": "noext"}),
    ("url-unknown-asset-type", "upload_asset_from_url", ("https://e.com/a.png", "PHOTO"), {}),
    ("url-not-http", "upload_asset_from_url", ("file:///etc/passwd",), {}),
    ("estimate-empty-prompt", "estimate_chat_cost", ("", ["gpt-4o"]), {}),
    ("estimate-no-models", "estimate_chat_cost", ("Hi", []), {}),
    ("estimate-models-str", "estimate_chat_cost", ("Hi", "gpt-4o"), {}),
    ("settings-none", "update_user_settings", (), {}),
    ("feature-settings-empty-model", "update_feature_settings", ([""],), {}),
    ("feature-settings-dotdot", "get_feature_settings", ("..",), {}),
    ("oauth-empty", "oauth_login", ("",), {}),
    ("models-empty-feature", "list_models", ("",), {}),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_input_raises_before_any_request(client, emu, method, args, kwargs):
    with pytest.raises(InvalidRequestError):
        await call(getattr(client, method)(*args, **kwargs))
    assert emu.requests == []
    assert emu.stats.total_requests == 0


@pytest.mark.parametrize("method", ["generate_content_stream", "chat_stream"])
@pytest.mark.parametrize("prompt", ["", "   "])
async def test_bad_stream_input_raises_before_any_request(client, emu, method, prompt):
    with pytest.raises(InvalidRequestError):
        if method == "chat_stream":
            await collect(client.chat(prompt, stream=True))
        else:
            await collect(client.generate_content_stream(prompt))
    assert emu.requests == []


async def test_session_bad_input_raises_before_any_request(client, emu):
    with pytest.raises(InvalidRequestError):
        client.start_chat(title=TITLE_92)
    with pytest.raises(InvalidRequestError):
        client.start_chat(num_of_site=0)
    with pytest.raises(InvalidRequestError):
        client.start_chat("")
    session = client.start_chat()
    with pytest.raises(InvalidRequestError):
        await call(session.send_message(""))
    with pytest.raises(InvalidRequestError):
        await collect(session.send_message_stream(""))
    with pytest.raises(InvalidRequestError):
        await call(session.send_message("Hi", images=[""]))
    assert emu.requests == []


CLIENTS = [OneMinAIClient, SyncOneMinAIClient]


@pytest.mark.parametrize("cls", CLIENTS, ids=["async", "sync"])
@pytest.mark.parametrize(
    "options",
    [
        {"max_retries": -1},
        {"max_retries": None},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"max_connections": 0},
        {"base_url": "ftp://example.com"},
        {"requests_per_minute": 0},
    ],
    ids=lambda o: f"{next(iter(o))}={next(iter(o.values()))!r}",
)
def test_bad_client_options_fail_at_construction(cls, options):
    with pytest.raises((InvalidRequestError, TypeError, ValueError)):
        cls("k", **options)


@pytest.mark.parametrize("field", ["connect", "pool", "read", "total"])
@pytest.mark.parametrize("value", [0, -0.5, float("nan")])
def test_bad_timeouts(field, value):
    with pytest.raises(InvalidRequestError):
        Timeouts(**{field: value})


async def test_no_api_key_and_no_environment_fails_before_any_request(kind, emu, monkeypatch):
    monkeypatch.delenv("ONEMINAI_API_KEY", raising=False)
    cls = OneMinAIClient if kind == "async" else SyncOneMinAIClient
    client = cls(base_url=emu.base_url)
    try:
        for method, args in [
            ("generate_content", ("Hi",)),
            ("create_conversation", ("Title",)),
            ("get_current_user", ()),
            ("upload_asset", ()),
        ]:
            kwargs = {"data": b"x", "filename": "a.txt"} if method == "upload_asset" else {}
            with pytest.raises(InvalidRequestError, match="ONEMINAI_API_KEY"):
                await call(getattr(client, method)(*args, **kwargs))
        with pytest.raises(InvalidRequestError, match="ONEMINAI_API_KEY"):
            await collect(client.generate_content_stream("Hi"))
        assert emu.requests == []
        # the public catalog needs no key
        assert await call(client.list_models("UNIFY_CHAT_WITH_AI"))
    finally:
        await call(client.close())


async def test_api_key_is_read_from_the_environment(kind, emu, monkeypatch):
    monkeypatch.setenv("ONEMINAI_API_KEY", emu.api_key)
    monkeypatch.setenv("ONEMINAI_BASE_URL", emu.base_url)
    cls = OneMinAIClient if kind == "async" else SyncOneMinAIClient
    client = cls()
    try:
        assert client.base_url == emu.base_url
        assert (await call(client.generate_content("Hi"))).text.endswith("Hi")
        assert emu.requests[0].headers["api-key"] == emu.api_key
    finally:
        await call(client.close())


async def test_slash_in_an_id_is_encoded_and_never_changes_the_path(client, emu):
    from oneminai_webapi.exceptions import NotFoundError

    with pytest.raises(NotFoundError):
        await call(client.get_conversation("a/../../users"))
    (users, req) = emu.requests
    assert users.path == "/users"
    assert req.path.startswith(f"/teams/{emu.team_id}/features/conversations/")
    assert req.method == "GET"
