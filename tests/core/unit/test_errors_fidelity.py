"""Issue 12 #4: errors as the live service sends them (sans-IO).

* ``{"errorCode", "message", "details": "<provider JSON as a string>"}``: the provider's
  reason reaches the message (``EXTERNAL_API_RESPONSE_WITH_ERROR``) and ``provider_detail``;
* the documented ``{"success": false, "error": {"code", "message"}}`` envelope maps too;
* a ``resultObject`` that is a ``{code, message}`` object is moderation, never an answer.
"""

from __future__ import annotations

import json

import pytest
from oneminai_webapi._protocol._chat import ChatStreamState, output_from_record
from oneminai_webapi._protocol._errors import check_envelope, error_from_response
from oneminai_webapi._protocol._records import check_record
from oneminai_webapi._protocol._sse import ServerSentEvent
from oneminai_webapi.exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ContentFilteredError,
    OneMinAIError,
    UnsupportedModelError,
    ValidationError,
)

SDXL_REASON = (
    "for stable-diffusion-xl-1024-v0-9 and stable-diffusion-xl-1024-v1-0 the allowed dimensions "
    "are 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, 640x1536, 768x1344, 832x1216, "
    "896x1152, but we received 512x512"
)


def provider_body(details: object, message: str = "External API response with error") -> bytes:
    return json.dumps(
        {"errorCode": "EXTERNAL_API_RESPONSE_WITH_ERROR", "message": message, "details": details}
    ).encode()


def test_the_provider_reason_from_a_json_details_string() -> None:
    details = json.dumps({"id": "x1", "name": "invalid_argument", "message": SDXL_REASON})
    exc = error_from_response(400, {}, provider_body(details))
    assert type(exc) is BadRequestError
    assert exc.code == "EXTERNAL_API_RESPONSE_WITH_ERROR"
    assert exc.provider_detail == SDXL_REASON
    assert SDXL_REASON in str(exc) and str(exc).startswith("External API response with error")
    assert str(exc).endswith("(HTTP 400)")


@pytest.mark.parametrize(
    ("details", "reason"),
    [
        (json.dumps({"error": {"message": "Invalid prompt", "type": "x"}}), "Invalid prompt"),
        (json.dumps({"error": "quota exceeded"}), "quota exceeded"),
        (json.dumps({"errors": ["size must be 1024x1024"]}), "size must be 1024x1024"),
        (json.dumps({"detail": "nope"}), "nope"),
        ("plain text from the provider", "plain text from the provider"),
        (json.dumps({"status": 500}), '{"status": 500}'),
    ],
)
def test_the_provider_reason_in_other_shapes(details: str, reason: str) -> None:
    exc = error_from_response(400, {}, provider_body(details))
    assert exc.provider_detail == reason
    assert reason in str(exc)


def test_a_long_provider_reason_is_cut() -> None:
    exc = error_from_response(400, {}, provider_body("x" * 5000))
    assert exc.provider_detail is not None and len(exc.provider_detail) <= 500
    assert len(str(exc)) < 1200


def test_details_of_another_code_are_kept_on_the_attribute_only() -> None:
    body = json.dumps(
        {"errorCode": "UNKNOWN_ERROR", "message": "Unsupported feature type", "details": "abc"}
    ).encode()
    exc = error_from_response(400, {}, body)
    assert exc.provider_detail == "abc" and str(exc) == "Unsupported feature type (HTTP 400)"


def test_errors_without_details_have_no_provider_detail() -> None:
    body = b'{"errorCode":"UNSUPPORTED_MODEL","message":"Model x is not supported for feature IMAGE_GENERATOR"}'
    exc = error_from_response(400, {}, body)
    assert isinstance(exc, UnsupportedModelError) and exc.provider_detail is None


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "UNSUPPORTED_MODEL", UnsupportedModelError),
        (401, "UNAUTHORIZED", AuthenticationError),
        (400, "VALIDATION_ERROR", BadRequestError),
        (500, "INTERNAL_ERROR", APIError),
    ],
)
def test_the_documented_envelope_maps(status: int, code: str, cls: type[APIError]) -> None:
    body = json.dumps({"success": False, "error": {"code": code, "message": "Description"}})
    exc = error_from_response(status, {}, body.encode())
    assert isinstance(exc, cls) and exc.code == code
    assert str(exc) == f"Description (HTTP {status})"


def test_the_documented_envelope_inside_a_200_raises() -> None:
    data = {"success": False, "error": {"code": "UNSUPPORTED_MODEL", "message": "Not here"}}
    with pytest.raises(UnsupportedModelError, match="Not here") as info:
        check_envelope(data)
    assert info.value.status_code == 200
    with pytest.raises(ValidationError):
        check_envelope(
            {"success": False, "error": {"code": "X", "message": "m", "details": [1]}}, 400
        )


MODERATED = {"code": "CONTENT_MODERATION", "message": "Flagged by moderation."}


@pytest.mark.parametrize("result", [[MODERATED], MODERATED, [{"code": 451, "message": "No."}]])
def test_a_moderated_record_raises_and_is_never_the_answer(result: object) -> None:
    record = {"uuid": "r9", "status": "SUCCESS", "aiRecordDetail": {"resultObject": result}}
    with pytest.raises(ContentFilteredError) as info:
        output_from_record(record)
    exc = info.value
    assert isinstance(exc, OneMinAIError) and exc.record_id == "r9" and exc.status_code == 200
    assert "moderation" in str(exc).lower() and exc.code in ("CONTENT_MODERATION", "451")
    with pytest.raises(ContentFilteredError):
        check_record(record)  # media records too


@pytest.mark.parametrize(
    "item", [{"text": "hi", "code": "x", "message": "m"}, {"message": "hello"}, "plain"]
)
def test_answers_that_only_look_alike_are_not_moderation(item: object) -> None:
    record = {"status": "SUCCESS", "aiRecordDetail": {"resultObject": [item]}}
    assert output_from_record(record).text in ("hi", "hello", "plain")


def test_a_moderated_stream_raises_with_the_text_so_far() -> None:
    state = ChatStreamState("gpt-4o-mini")
    state.on_event(ServerSentEvent("content", '{"content": "Sure, here"}', None, None))
    record = {"uuid": "r1", "status": "SUCCESS", "aiRecordDetail": {"resultObject": [MODERATED]}}
    with pytest.raises(ContentFilteredError) as info:
        state.on_event(ServerSentEvent("result", json.dumps({"aiRecord": record}), None, None))
    assert info.value.partial_text == "Sure, here"
