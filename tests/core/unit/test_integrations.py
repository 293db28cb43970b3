"""Tests for the adapter helpers in ``oneminai_webapi.integrations`` (offline: fake clients)."""

from __future__ import annotations

import asyncio
import base64
import gc
import inspect
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import oneminai_webapi
import oneminai_webapi.integrations as integrations
import pytest
from oneminai_webapi._client._methods import ClientMethods
from oneminai_webapi._protocol._assets import read_file_part
from oneminai_webapi.constants import AssetType
from oneminai_webapi.integrations import (
    CHAT_OPTIONS,
    AttachmentCache,
    ChatAttachment,
    ClientFactory,
    ClientSettings,
    Closeable,
    ResolvedAttachments,
    aresolve_chat_attachments,
    estimate_tokens,
    resolve_chat_attachments,
    upload_filename,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
PDF = b"%PDF-1.4\n%test\n"


# ------------------------------------------------------------------ file names


@pytest.mark.parametrize(
    ("filename", "mime_type", "kind", "expected"),
    [
        ("report.pdf", "image/png", "file", "report.pdf"),  # an extension is kept as given
        ("report", "application/pdf", "file", "report.pdf"),
        ("photo", "image/webp", "image", "photo.webp"),  # not in mimetypes on Python 3.10
        ("song", "audio/mpeg", "file", "song.mp3"),  # mimetypes may say .mp2
        ("photo", "Image/JPEG; q=0.9", "image", "photo.jpg"),
        ("notes", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "file", "notes.docx"),
        (None, "image/gif", "image", "image.gif"),
        ("", None, "image", "image.png"),
        (None, None, "file", "file.pdf"),
        ("blob", "application/octet-stream", "file", "blob.bin"),
        ("blob", "application/x-unheard-of", "file", "blob.bin"),
        ("report.", "application/pdf", "file", "report.pdf"),
        ("  spaced  ", "text/plain", "file", "spaced.txt"),
    ],
)  # fmt: skip
def test_upload_filename(
    filename: str | None, mime_type: str | None, kind: Any, expected: str
) -> None:
    name = upload_filename(filename, mime_type, kind)
    assert name == expected
    read_file_part(None, b"x", name, mime_type)  # the core upload accepts it


# ------------------------------------------------------------------ attachments


def test_from_url_decodes_data_urls_and_keeps_other_urls() -> None:
    payload = base64.b64encode(PNG).decode()
    inline = ChatAttachment.from_url(
        "image", f"data:image/png;base64,{payload}", mime_type="image/jpeg"
    )
    assert inline.data == PNG and inline.url is None
    assert inline.mime_type == "image/png"  # the data URL's own type wins
    remote = ChatAttachment.from_url("file", "https://x.test/a.pdf", mime_type="application/pdf")
    assert remote.url == "https://x.test/a.pdf" and remote.data is None


def test_from_base64_ignores_whitespace_and_rejects_garbage() -> None:
    wrapped = "\n".join(base64.b64encode(PDF).decode()[i : i + 8] for i in range(0, 24, 8))
    assert ChatAttachment.from_base64("file", wrapped).data == PDF
    with pytest.raises(ValueError, match="base64"):
        ChatAttachment.from_base64("file", "@@not base64@@")
    with pytest.raises(ValueError, match="base64"):
        ChatAttachment.from_url("image", "data:image/png;base64,@@@")


def test_cache_key_identifies_content_and_kind() -> None:
    a = ChatAttachment("image", data=PNG, filename="a.png")
    b = ChatAttachment("image", data=PNG, filename="b.png", mime_type="image/png")
    assert a.cache_key == b.cache_key  # same bytes: same key, whatever the name
    assert ChatAttachment("file", data=PNG).cache_key != a.cache_key
    assert ChatAttachment("image", data=PNG + b"1").cache_key != a.cache_key
    assert ChatAttachment("file", url="https://x.test/a").cache_key == "file:https://x.test/a"


def test_attachment_cache_is_least_recently_used() -> None:
    cache = AttachmentCache(max_entries=2)
    cache.put("a", "1")
    cache.put("b", "2")
    assert cache.get("a") == "1"  # "a" is now the most recently used
    cache.put("c", "3")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("1", None, "3")
    assert len(cache) == 2


@dataclass
class _Record:
    asset_key: str
    file_id: str | None


class _FakeClient:
    """Records uploads; ``upload_asset`` validates like the core client does."""

    def __init__(self, *, file_ids: bool = True) -> None:
        self.uploads: list[dict[str, Any]] = []
        self.file_ids = file_ids

    def _record(self) -> _Record:
        n = len(self.uploads)
        return _Record(f"asset-{n}", f"file-{n}" if self.file_ids else None)

    def upload_asset(self, file_path: Any = None, **kwargs: Any) -> _Record:
        read_file_part(file_path, kwargs["data"], kwargs["filename"], kwargs["mime_type"])
        self.uploads.append(kwargs)
        return self._record()

    def upload_asset_from_url(self, url: str, asset_type: AssetType) -> _Record:
        self.uploads.append({"url": url, "asset_type": asset_type})
        return self._record()


class _FakeAsyncClient:
    def __init__(self) -> None:
        self.sync = _FakeClient()

    async def upload_asset(self, file_path: Any = None, **kwargs: Any) -> _Record:
        return self.sync.upload_asset(file_path, **kwargs)

    async def upload_asset_from_url(self, url: str, asset_type: AssetType) -> _Record:
        return self.sync.upload_asset_from_url(url, asset_type)


MIXED = [
    ChatAttachment("image", data=PNG, mime_type="image/png"),
    ChatAttachment("file", data=PDF, mime_type="application/pdf", filename="report"),
    ChatAttachment("image", url="https://x.test/cat.png"),
    ChatAttachment("file", url="https://x.test/paper.pdf"),
    ChatAttachment("image", asset_ref="images/known.png"),
    ChatAttachment("file", asset_ref="file-known"),
]


def test_resolve_uploads_in_order_and_maps_references() -> None:
    client = _FakeClient()
    refs = resolve_chat_attachments(client, MIXED)  # type: ignore[arg-type]
    assert refs.images == ["asset-1", "https://x.test/cat.png", "images/known.png"]
    assert refs.files == ["file-2", "file-3", "file-known"]
    image, document, by_url = client.uploads
    assert (image["filename"], image["asset_type"]) == ("image.png", AssetType.IMAGE)
    assert (document["filename"], document["asset_type"]) == ("report.pdf", AssetType.DOCUMENT)
    assert by_url == {"url": "https://x.test/paper.pdf", "asset_type": AssetType.DOCUMENT}
    assert refs.as_kwargs() == {"images": refs.images, "files": refs.files}


def test_files_fall_back_to_the_asset_key_without_a_file_id() -> None:
    client = _FakeClient(file_ids=False)
    refs = resolve_chat_attachments(client, [MIXED[1]])  # type: ignore[arg-type]
    assert refs.files == ["asset-1"] and refs.as_kwargs() == {"files": ["asset-1"]}


def test_cache_prevents_second_upload_across_calls_and_within_one() -> None:
    client, cache = _FakeClient(), AttachmentCache()
    twice = [MIXED[0], ChatAttachment("image", data=PNG, filename="again.png")]
    first = resolve_chat_attachments(client, twice, cache)  # type: ignore[arg-type]
    second = resolve_chat_attachments(client, MIXED[:2], cache)  # type: ignore[arg-type]
    assert first.images == ["asset-1", "asset-1"]
    assert second.images == ["asset-1"] and second.files == ["file-2"]
    assert len(client.uploads) == 2
    without_cache = resolve_chat_attachments(client, MIXED[:1])  # type: ignore[arg-type]
    assert without_cache.images == ["asset-3"]  # no cache given: uploaded again


def test_an_empty_attachment_is_refused() -> None:
    with pytest.raises(ValueError, match="needs data"):
        resolve_chat_attachments(_FakeClient(), [ChatAttachment("file")])  # type: ignore[arg-type]


async def test_async_resolve_matches_sync() -> None:
    client, cache = _FakeAsyncClient(), AttachmentCache()
    refs = await aresolve_chat_attachments(client, MIXED, cache)  # type: ignore[arg-type]
    assert refs == resolve_chat_attachments(_FakeClient(), MIXED)  # type: ignore[arg-type]
    await aresolve_chat_attachments(client, MIXED, cache)  # type: ignore[arg-type]
    assert len(client.sync.uploads) == 3  # the second call found everything in the cache


def test_no_attachments_no_kwargs() -> None:
    assert ResolvedAttachments().as_kwargs() == {}


# ------------------------------------------------------------------ usage


@pytest.mark.parametrize(("text", "tokens"), [("", 0), ("a", 1), ("abcd", 1), ("abcde", 2)])
def test_estimate_tokens(text: str, tokens: int) -> None:
    assert estimate_tokens(text) == tokens


# ------------------------------------------------------------------ clients


class _Recorder:
    instances: ClassVar[list[_Recorder]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.closed = False
        _Recorder.instances.append(self)

    async def close(self) -> None:
        self.closed = True

    async def __aenter__(self) -> _Recorder:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class _SyncRecorder(_Recorder):
    def close(self) -> None:  # type: ignore[override]
        self.closed = True


@pytest.fixture
def factory(monkeypatch: pytest.MonkeyPatch) -> ClientFactory:
    _Recorder.instances = []
    monkeypatch.setattr(oneminai_webapi, "OneMinAIClient", _Recorder)
    monkeypatch.setattr(oneminai_webapi, "SyncOneMinAIClient", _SyncRecorder)
    settings = ClientSettings(
        api_key="secret-key", base_url="http://x.test", timeout=5, max_retries=1, proxy=None
    )
    return ClientFactory(settings)


def test_settings_repr_hides_key_and_proxy() -> None:
    settings = ClientSettings(api_key="secret-key", proxy="http://user:pw-secret@proxy:8080")
    for text in (repr(settings), repr(ClientFactory(settings))):
        assert "secret-key" not in text and "pw-secret" not in text
    assert settings.client_kwargs()["timeout"] == 60  # None: the core default
    assert settings.client_kwargs()["proxy"] == "http://user:pw-secret@proxy:8080"


class _Secret:
    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value


@pytest.mark.parametrize(("api_key", "expected"), [(None, ""), ("k1", "k1"), (_Secret("k2"), "k2")])
def test_settings_from_an_adapters_fields(api_key: Any, expected: str) -> None:
    fields = SimpleNamespace(
        api_key=api_key, base_url="http://x.test", timeout=None, max_retries=3, proxy="http://p"
    )
    settings = ClientSettings.from_config(fields)
    assert settings == ClientSettings(expected, "http://x.test", None, 3, "http://p")


def test_chat_options_are_keyword_arguments_of_chat() -> None:
    parameters = inspect.signature(ClientMethods.chat).parameters
    keyword_only = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    assert keyword_only - {"stream", "images", "files"} == CHAT_OPTIONS


def test_sync_client_is_shared_and_recreated_after_close(factory: ClientFactory) -> None:
    first = factory.sync()
    assert factory.sync() is first
    assert first.kwargs == {  # type: ignore[attr-defined]
        "api_key": "secret-key",
        "proxy": None,
        "timeout": 5,
        "base_url": "http://x.test",
        "max_retries": 1,
    }
    factory.close()
    assert first.closed  # type: ignore[attr-defined]
    assert factory.sync() is not first


def test_sync_client_closed_when_the_factory_is_collected(factory: ClientFactory) -> None:
    own = ClientFactory(factory.settings)  # the fixture keeps its own factory alive
    client = own.sync()
    del own
    gc.collect()
    assert client.closed  # type: ignore[attr-defined]


def test_one_async_client_per_loop_closed_at_loop_shutdown(factory: ClientFactory) -> None:
    async def use() -> Any:
        first = await factory.async_()
        assert await factory.async_() is first
        return first

    a = asyncio.run(use())
    b = asyncio.run(use())
    assert a is not b
    assert a.closed and b.closed
    assert a.kwargs == {
        "api_key": "secret-key",
        "proxy": None,
        "timeout": 5,
        "base_url": "http://x.test",
        "max_retries": 1,
    }


async def test_aclose_closes_the_running_loops_client(factory: ClientFactory) -> None:
    client = await factory.async_()
    await factory.aclose()
    assert client.closed
    assert await factory.async_() is not client


def test_close_closes_async_clients_of_idle_and_ended_loops(factory: ClientFactory) -> None:
    ended = asyncio.run(factory.async_())  # closed by asyncio.run at the loop's end
    idle = asyncio.new_event_loop()  # never shut down: only close() can close its client
    try:
        client = idle.run_until_complete(factory.async_())
        factory.close()
        assert client.closed and ended.closed
        again = idle.run_until_complete(factory.async_())
        assert again is not client and not again.closed  # a later call gets a new one
        factory.close()
        assert again.closed
    finally:
        idle.close()


async def test_close_inside_a_running_loop_leaves_its_client_to_aclose(
    factory: ClientFactory,
) -> None:
    client = await factory.async_()
    sync = factory.sync()
    factory.close()
    assert sync.closed  # type: ignore[attr-defined]
    assert not client.closed and await factory.async_() is client
    await factory.aclose()
    assert client.closed


def test_close_never_runs_a_loop_that_runs_elsewhere(factory: ClientFactory) -> None:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    try:
        client = asyncio.run_coroutine_threadsafe(factory.async_(), loop).result(10)
        factory.close()  # must neither block nor touch the other thread's loop
        assert not client.closed
        asyncio.run_coroutine_threadsafe(factory.aclose(), loop).result(10)
        assert client.closed
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


async def test_async_client_closed_by_its_loop_when_the_factory_is_collected(
    factory: ClientFactory,
) -> None:
    own = ClientFactory(factory.settings)  # the fixture keeps its own factory alive
    client = await own.async_()
    del own
    gc.collect()
    await asyncio.sleep(0)  # the loop's async-generator finalizer schedules the close
    await asyncio.gather(*(asyncio.all_tasks() - {asyncio.current_task()}))
    assert client.closed


async def test_async_client_per_call_is_fresh_and_closed(factory: ClientFactory) -> None:
    async with factory.async_client() as first:
        assert not first.closed
    async with factory.async_client() as second:
        pass
    assert first is not second and first.closed and second.closed


class _CallerOwned:
    """A caller-owned client that notes whether anyone closed it."""

    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_given_clients_are_used_as_is() -> None:
    sync, async_ = _CallerOwned(), _CallerOwned()
    settings = ClientSettings(api_key="", base_url=None, timeout=1, max_retries=0, proxy=None)
    given = ClientFactory(settings, sync_client=sync, async_client=async_)  # type: ignore[arg-type]
    assert given.sync() is sync
    assert asyncio.run(given.async_()) is async_

    async def per_call() -> Any:
        async with given.async_client() as client:
            return client

    assert asyncio.run(per_call()) is async_
    given.close()
    assert not sync.closed and not async_.closed  # caller-owned clients stay open


class _Owner(Closeable):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def close(self) -> None:
        self.calls.append("close")

    async def aclose(self) -> None:
        self.calls.append("aclose")


def test_closeable_closes_on_leaving_with_blocks() -> None:
    with _Owner() as owner:
        assert owner.calls == []
    assert owner.calls == ["close"]

    async def use() -> list[str]:
        async with _Owner() as owner:
            pass
        return owner.calls

    assert asyncio.run(use()) == ["aclose"]
    with pytest.raises(KeyError), _Owner() as failing:
        raise KeyError("boom")  # exceptions propagate, and the owner is closed anyway
    assert failing.calls == ["close"]


def test_reference_page_documents_the_public_api() -> None:
    page = Path(__file__).resolve().parents[3] / "docs" / "reference" / "integrations.md"
    documented = re.findall(
        r"^::: oneminai_webapi\.integrations\.(\w+)$", page.read_text("utf-8"), re.M
    )
    assert sorted(documented) == sorted(integrations.__all__)
