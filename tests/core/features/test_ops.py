"""The feature operation driven by hand (sans-IO): polling, errors, uploads, URL rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from oneminai_webapi import ImageOutput, VideoOutput
from oneminai_webapi._protocol import _features as features
from oneminai_webapi._protocol._context import Context, Credential, Settings
from oneminai_webapi._protocol._http import Request, Response, Sleep
from oneminai_webapi.exceptions import (
    InvalidRequestError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
)
from oneminai_webapi.types import JobProgress

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def ok(data: Any) -> Response:
    return Response(200, {"content-type": "application/json"}, json.dumps(data).encode())


def record(status: str = "SUCCESS", result: list[Any] | None = None, **extra: Any) -> dict:
    rec = {
        "uuid": "rec-1",
        "type": "TEXT_TO_VIDEO",
        "model": "kling",
        "status": status,
        "aiRecordDetail": {"resultObject": result or []},
    }
    rec.update(extra)
    return {"aiRecord": rec}


class Driver:
    """Runs an operation, answering requests from a script and recording every step."""

    def __init__(self, answers: list[Response | Callable[[Request], Response]]) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []
        self.sleeps: list[float] = []

    def run(self, op: Any) -> Any:
        value: Any = None
        while True:
            try:
                step = op.send(value)
            except StopIteration as stop:
                return stop.value
            if isinstance(step, Sleep):
                self.sleeps.append(step.seconds)
                value = None
            else:
                assert isinstance(step, Request)
                self.requests.append(step)
                answer = self.answers.pop(0)
                value = answer(step) if callable(answer) else answer


def ctx(jwt: bool = False) -> Context:
    key = "eyJhbGciOi.eyJzdWIi.c2ln" if jwt else "key"
    return Context(Credential(key), Settings())


def video_call(**poll: Any) -> features.FeatureCall:
    options = features.PollOptions(**{"interval_s": 2.0, **poll})
    return features.prepare(
        "generate_video", {"prompt": "a cat", "duration": 5, "aspect_ratio": "16:9"}, poll=options
    )


def test_polls_with_backoff_until_success_and_reports_progress() -> None:
    seen: list[JobProgress] = []
    call = video_call(on_progress=seen.append, backoff=2.0, max_interval_s=5.0)
    d = Driver(
        [
            ok(record("PROCESSING")),
            ok(record("PROCESSING")),
            ok(record("PROCESSING")),
            ok(record("PROCESSING")),
            ok(record("SUCCESS", ["videos/v.mp4"])),
        ]
    )
    out = d.run(features.run(ctx(), call))
    assert isinstance(out, VideoOutput) and out.status == "SUCCESS"
    assert out.video_url == "https://asset.1min.ai/videos/v.mp4" and out.key == "videos/v.mp4"
    assert d.sleeps == [2.0, 4.0, 5.0, 5.0]
    assert d.requests[0].json["async"] is True and d.requests[0].path == "/api/features"
    assert [r.path for r in d.requests[1:]] == ["/api/results/rec-1"] * 4
    assert [p.status for p in seen] == ["PROCESSING"] * 4 + ["SUCCESS"]
    assert [p.polls for p in seen] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("status", ["FAILED", "FAILURE"])
def test_failed_record_raises_with_the_service_message(status: str) -> None:
    failed = record(status)
    failed["aiRecord"]["aiRecordDetail"]["errorMessage"] = "content policy"
    d = Driver([ok(record("PROCESSING")), ok(failed)])
    with pytest.raises(JobFailedError) as info:
        d.run(features.run(ctx(), video_call()))
    assert info.value.record_status == status and info.value.record_id == "rec-1"
    assert "content policy" in str(info.value)
    assert not isinstance(info.value, JobTimeoutError)


def test_sync_answer_with_failed_status_raises() -> None:
    d = Driver([ok(record("FAILED"))])
    with pytest.raises(JobFailedError):
        d.run(features.run(ctx(), video_call()))


def test_deadline_raises_job_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(features, "clock", lambda: now[0])

    def pending(_: Request) -> Response:
        return ok(record("PROCESSING"))

    class Clocked(Driver):
        def run(self, op: Any) -> Any:
            value: Any = None
            while True:
                try:
                    step = op.send(value)
                except StopIteration as stop:
                    return stop.value
                if isinstance(step, Sleep):
                    self.sleeps.append(step.seconds)
                    now[0] += step.seconds
                    value = None
                else:
                    value = pending(step)

    d = Clocked([])
    with pytest.raises(JobTimeoutError) as info:
        d.run(features.run(ctx(), video_call(timeout_s=10.0, backoff=1.0)))
    assert sum(d.sleeps) == pytest.approx(10.0)
    assert d.sleeps[-1] == pytest.approx(2.0)
    assert info.value.record_id == "rec-1" and info.value.record_status == "PROCESSING"
    assert "wait_for_result('rec-1')" in str(info.value)


def test_unknown_record_raises_not_found() -> None:
    d = Driver([ok({"aiRecord": None})])
    with pytest.raises(NotFoundError, match="no record 'nope'"):
        d.run(features.wait_for(ctx(), "nope", features.PollOptions()))
    assert d.sleeps == []  # wait_for polls immediately


def test_wait_false_returns_the_pending_output() -> None:
    call = features.prepare(
        "generate_video", {"prompt": "x", "duration": 5, "aspect_ratio": "16:9"}, wait=False
    )
    d = Driver([ok(record("PROCESSING"))])
    out = d.run(features.run(ctx(), call))
    assert out.status == "PROCESSING" and out.video_url == "" and out.record_id == "rec-1"
    assert len(d.requests) == 1


def test_bytes_input_is_uploaded_before_the_feature_call() -> None:
    call = features.prepare("edit_image", {"image_url": PNG, "prompt": "blue"})
    asset = {
        "asset": {"key": "images/up.png"},
        "fileContent": {"uuid": "f1", "path": "images/up.png"},
    }
    done = {
        "uuid": "r",
        "type": "IMAGE_EDITOR",
        "status": "SUCCESS",
        "aiRecordDetail": {"resultObject": ["images/o.png"]},
    }
    d = Driver([ok(asset), ok({"aiRecord": done})])
    out = d.run(features.run(ctx(), call))
    upload, feature = d.requests
    assert upload.path == "/api/assets" and upload.files[0].field == "asset"
    assert upload.files[0].filename == "image.png" and upload.files[0].content == PNG
    assert upload.files[0].content_type == "image/png"
    assert feature.json["promptObject"]["imageUrl"] == "images/up.png"
    assert isinstance(out, ImageOutput)


def test_jwt_credentials_use_the_team_route() -> None:
    call = features.prepare("check_grammar", {"text": "He go"})
    user = {"user": {"uuid": "u", "teams": [{"team": {"uuid": "team-1"}}]}}
    d = Driver(
        [
            ok(user),
            ok(
                {
                    "aiRecord": {
                        "uuid": "r",
                        "type": "GRAMMAR_CHECKER",
                        "status": "SUCCESS",
                        "aiRecordDetail": {"resultObject": ["He goes"]},
                    }
                }
            ),
        ]
    )
    out = d.run(features.run(ctx(jwt=True), call))
    assert [r.path for r in d.requests] == ["/users", "/teams/team-1/features"]
    assert d.requests[1].json["conversationId"] == "GRAMMAR_CHECKER"
    assert out.text == "He goes"


def test_result_url_rules() -> None:
    base = "https://asset.1min.ai"
    temp = "https://s3.example/asset.1min.ai/images/a.png?X-Amz-Expires=604800"
    rec = {
        "temporaryUrl": temp,
        "aiRecordDetail": {
            "resultObject": ["images/a.png", "images/b.png", "https://cdn.example/c.png"]
        },
    }
    # Keys the signed URL does not name resolve on its host and bucket path (path-style S3,
    # as seen live: https://s3.us-east-1.amazonaws.com/asset.1min.ai/images/…).
    assert features.result_urls(rec, {}, base) == [
        (temp, "images/a.png"),
        ("https://s3.example/asset.1min.ai/images/b.png", "images/b.png"),
        ("https://cdn.example/c.png", None),
    ]
    # A caller's asset_base_url (e.g. a gateway that proxies files) wins over that host.
    assert features.result_urls(rec, {}, "https://files.gw", asset_base_url_set=True)[1] == (
        "https://files.gw/images/b.png",
        "images/b.png",
    )
    single = {"aiRecordDetail": {"resultObject": ["audios/x.mp3"]}}
    root_temp = {"temporaryUrl": "https://signed.example/x"}
    signed = [("https://signed.example/x", "audios/x.mp3")]
    assert features.result_urls(single, root_temp, base) == signed
    assert features.result_urls(single, {}, base) == [(f"{base}/audios/x.mp3", "audios/x.mp3")]
    assert features.result_urls({"temporaryUrl": temp}, {}, base) == [(temp, None)]


def test_asset_base_of_strips_the_key() -> None:
    from oneminai_webapi._protocol._records import asset_base_of

    live = "https://s3.us-east-1.amazonaws.com/asset.1min.ai/videos/2026_x.mp4?X-Amz-Signature=s"
    assert asset_base_of(live) == "https://s3.us-east-1.amazonaws.com/asset.1min.ai"
    assert asset_base_of("https://asset.1min.ai/images/a.png") == "https://asset.1min.ai"
    assert asset_base_of("http://127.0.0.1:9/_emulator/files/audios/a.mp3?x=1") == (
        "http://127.0.0.1:9/_emulator/files"
    )
    assert asset_base_of("https://signed.example/blob/x") == "https://signed.example/blob"


def test_custom_base_url_never_becomes_the_asset_host() -> None:
    from oneminai_webapi._config import DEFAULT_ASSET_BASE_URL, Limits, Timeouts
    from oneminai_webapi._protocol._context import resolve_settings
    from oneminai_webapi._protocol._retry_policy import RetryPolicy

    settings = resolve_settings(
        base_url="https://gateway.example/1min",
        proxy=None,
        timeout=None,
        timeouts=Timeouts(),
        retry=RetryPolicy(),
        limits=Limits(),
        asset_base_url=None,
    )
    assert settings.asset_base_url == DEFAULT_ASSET_BASE_URL
    assert settings.asset_base_url_set is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("./missing.png", "no such file"),
        ("", "must not be empty"),
        (3, "asset key, a URL"),
        (b"", "is empty"),
    ],
)
def test_bad_inputs_fail_before_sending(value: Any, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        features.prepare("remove_background", {"image_url": value})


@pytest.mark.parametrize(
    ("poll_timeout", "poll_interval"), [(0, None), (-1, None), (None, 0), (True, None)]
)
def test_bad_poll_options(poll_timeout: Any, poll_interval: Any) -> None:
    with pytest.raises(InvalidRequestError):
        features.poll_options(poll_timeout, poll_interval, None)


@pytest.mark.parametrize(
    ("data", "ext"),
    [
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0", "jpg"),
        (b"RIFF\0\0\0\0WEBPVP8", "webp"),
        (b"ID3\x04", "mp3"),
        (b"RIFF\0\0\0\0WAVEfmt", "wav"),
        (b"\0\0\0\x18ftypmp42", "mp4"),
        (b"????", "mp3"),
    ],
)
def test_sniffed_extensions(data: bytes, ext: str) -> None:
    assert features.sniff_extension(data, "AUDIO") == ext


def test_sync_feature_calls_raise_the_read_timeout_never_lower_it() -> None:
    from oneminai_webapi import Timeouts
    from oneminai_webapi._registry import FEATURES

    image = FEATURES["IMAGE_GENERATOR"]
    video = FEATURES["TEXT_TO_VIDEO"]
    assert image.read_timeout_s is not None and image.read_timeout_s >= 75  # 75 s seen live
    assert all(
        row.read_timeout_s is not None and row.read_timeout_s >= 75
        for row in FEATURES.values()
        if not row.long_running
    )
    # The default read timeout (120 s) is raised to the feature's allowance...
    total, read = features.call_timeouts(Timeouts(), image, asynchronous=False)
    assert read == image.read_timeout_s and total is None  # 600 s total already allows it
    # ...and so are a short explicit one and a short total (seed default timeout=60).
    total, read = features.call_timeouts(Timeouts(read=30, total=60), image, asynchronous=False)
    assert read == image.read_timeout_s and total == image.read_timeout_s
    # A longer explicit timeout is never lowered.
    assert features.call_timeouts(Timeouts(read=900, total=None), image, asynchronous=False) == (
        None,
        None,
    )
    # Jobs answer at once: no allowance for their first request.
    assert features.call_timeouts(Timeouts(), video, asynchronous=True) == (None, None)


def test_feature_request_carries_the_read_timeout() -> None:
    from oneminai_webapi import Timeouts
    from oneminai_webapi._protocol._context import Context, Credential, Settings

    ctx = Context(Credential("k"), Settings(timeouts=Timeouts(read=10, total=20)))
    call = features.prepare("generate_image", {"prompt": "fox", "width": 1024, "height": 1024})
    op = features.run(ctx, call)
    request = next(op)  # the first effect: the POST (no uploads to make)
    request = getattr(request, "request", request)
    assert request.path == "/api/features"
    assert request.read_timeout_s == 180 and request.timeout_s == 180


def test_transports_apply_a_requests_read_timeout() -> None:
    from oneminai_webapi import Timeouts
    from oneminai_webapi._transport._aiohttp import _client_timeout

    t = Timeouts(connect=1, read=10, total=None)
    assert _client_timeout(t, stream=False, total=None).sock_read == 10
    assert _client_timeout(t, stream=False, total=None, read=180).sock_read == 180
