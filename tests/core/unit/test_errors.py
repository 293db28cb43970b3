"""Tests for mapping HTTP error answers to exceptions (docs/protocol.md, "Errors")."""

from __future__ import annotations

import json
import pickle

import pytest
from oneminai_webapi._protocol._errors import (
    MAX_TEXT_BYTES,
    check_envelope,
    error_from_response,
    raise_for_response,
)
from oneminai_webapi._protocol._http import Response
from oneminai_webapi.exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CloudflareChallengeError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnsupportedModelError,
    ValidationError,
)

NOW = 1_700_000_000.0


def j(obj: object) -> bytes:
    return json.dumps(obj).encode()


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (402, InsufficientCreditsError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (599, InternalServerError),
        (405, APIError),
        (406, APIError),
        (413, APIError),
        (418, APIError),
        (499, APIError),
    ],
)
def test_status_classes(status: int, cls: type[APIError]) -> None:
    err = error_from_response(status, {"x-request-id": "req-1"}, j({"message": "nope"}))
    assert type(err) is cls
    assert err.status_code == status
    assert err.body == {"message": "nope"}
    assert err.request_id == "req-1"
    assert str(err) == f"nope (HTTP {status})"


class TestBodyShapes:
    def test_success_false_envelope(self) -> None:
        body = {
            "success": False,
            "error": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key"},
        }
        err = error_from_response(401, {}, j(body))
        assert isinstance(err, AuthenticationError)
        assert str(err) == "Invalid or missing API key (HTTP 401)"
        assert err.code == "UNAUTHORIZED"
        assert err.body == body

    def test_message(self) -> None:
        err = error_from_response(401, {}, j({"message": "Invalid API Key"}))
        assert str(err) == "Invalid API Key (HTTP 401)"
        assert err.code is None

    def test_error_string(self) -> None:
        err = error_from_response(500, {}, j({"error": "upstream exploded"}))
        assert isinstance(err, InternalServerError)
        assert err.message == "upstream exploded (HTTP 500)"

    def test_unsupported_model(self) -> None:
        body = {"errorCode": "UNSUPPORTED_MODEL", "message": "Model gpt-9 is not supported"}
        err = error_from_response(400, {}, j(body))
        assert type(err) is UnsupportedModelError
        assert isinstance(err, BadRequestError)
        assert err.code == "UNSUPPORTED_MODEL"
        assert str(err) == "Model gpt-9 is not supported (HTTP 400)"

    def test_detail_string(self) -> None:
        err = error_from_response(404, {}, j({"detail": "Conversation not found"}))
        assert isinstance(err, NotFoundError)
        assert str(err) == "Conversation not found (HTTP 404)"

    def test_detail_list_fastapi_style(self) -> None:
        body = {"detail": [{"loc": ["body", "prompt"], "msg": "field required"}]}
        err = error_from_response(422, {}, j(body))
        assert isinstance(err, ValidationError)
        assert err.details == body["detail"]
        assert str(err) == "field required (HTTP 422)"

    def test_422_with_details(self) -> None:
        details = [{"field": "prompt", "message": "is required"}]
        err = error_from_response(
            422, {}, j({"error": {"message": "Invalid input", "details": details}})
        )
        assert type(err) is ValidationError
        assert err.details == details
        assert str(err) == "Invalid input (HTTP 422)"

    def test_422_without_details(self) -> None:
        err = error_from_response(422, {}, j({"message": "bad"}))
        assert type(err) is ValidationError
        assert err.details == []

    def test_400_with_details_is_validation(self) -> None:
        details = [{"field": "type"}]
        err = error_from_response(400, {}, j({"error": {"message": "Invalid", "details": details}}))
        assert type(err) is ValidationError
        assert err.details == details

    def test_400_with_empty_details_is_bad_request(self) -> None:
        err = error_from_response(400, {}, j({"error": {"message": "Invalid", "details": []}}))
        assert type(err) is BadRequestError

    def test_ai_record_error_message(self) -> None:
        body = {"aiRecord": {"status": "FAILED", "aiRecordDetail": {"errorMessage": "GPU on fire"}}}
        err = error_from_response(500, {}, j(body))
        assert str(err) == "GPU on fire (HTTP 500)"

    def test_extraction_order(self) -> None:
        body = {
            "error": {"message": "first"},
            "message": "second",
            "detail": "fourth",
        }
        assert str(error_from_response(400, {}, j(body))) == "first (HTTP 400)"
        body = {"message": "second", "error": "third", "detail": "fourth"}
        assert str(error_from_response(400, {}, j(body))) == "second (HTTP 400)"
        body = {"error": "third", "detail": "fourth"}
        assert str(error_from_response(400, {}, j(body))) == "third (HTTP 400)"
        body = {"detail": "fourth", "aiRecord": {"aiRecordDetail": {"errorMessage": "fifth"}}}
        assert str(error_from_response(400, {}, j(body))) == "fourth (HTTP 400)"

    def test_plain_text_body(self) -> None:
        err = error_from_response(502, {}, b"Bad Gateway from upstream")
        assert isinstance(err, InternalServerError)
        assert err.body == "Bad Gateway from upstream"
        assert str(err) == "Bad Gateway from upstream (HTTP 502)"

    def test_html_body_uses_title(self) -> None:
        html = (
            b"<!DOCTYPE html><html><head><title>502 Bad\n Gateway</title></head>"
            b"<body>x</body></html>"
        )
        err = error_from_response(502, {}, html)
        assert str(err) == "502 Bad Gateway (HTTP 502)"
        assert err.body == html.decode()

    def test_html_without_title(self) -> None:
        err = error_from_response(500, {}, b"<html><body>oops</body></html>")
        assert str(err) == "Internal Server Error (HTTP 500)"

    @pytest.mark.parametrize("body", [b"", b"   \n", b"null", b"{}", b"[]", b'""'])
    def test_empty_bodies(self, body: bytes) -> None:
        err = error_from_response(401, {}, body)
        assert isinstance(err, AuthenticationError)
        assert str(err) == "Unauthorized (HTTP 401)"

    def test_unknown_status_without_body(self) -> None:
        assert str(error_from_response(499, {}, b"")) == "Unexpected status (HTTP 499)"

    def test_code_only(self) -> None:
        assert str(error_from_response(400, {}, j({"error": {"code": "E42"}}))) == "E42 (HTTP 400)"

    def test_invalid_utf8(self) -> None:
        err = error_from_response(500, {}, b"\xff\xfe oops")
        assert str(err) == "\ufffd\ufffd oops (HTTP 500)"

    def test_long_text_truncated(self) -> None:
        err = error_from_response(500, {}, "é".encode() * 5000)
        assert isinstance(err.body, str)
        assert len(err.body.encode()) <= MAX_TEXT_BYTES
        assert len(err.message.encode()) <= MAX_TEXT_BYTES + 20

    def test_long_json_message_truncated(self) -> None:
        err = error_from_response(400, {}, j({"message": "m" * 10_000}))
        assert len(err.message) <= MAX_TEXT_BYTES + 20


class TestCredits:
    @pytest.mark.parametrize(
        "body",
        [
            {"message": "Insufficient credits"},
            {"message": "You do not have enough credits to run this"},
            {"message": "Not enough credit"},
            {"error": {"code": "INSUFFICIENT_CREDITS", "message": "Top up"}},
            {"success": False, "error": {"code": "X", "message": "Team is out of credits"}},
        ],
    )
    @pytest.mark.parametrize("status", [400, 403, 402])
    def test_credit_messages(self, body: dict[str, object], status: int) -> None:
        assert isinstance(error_from_response(status, {}, j(body)), InsufficientCreditsError)

    def test_402_without_body(self) -> None:
        err = error_from_response(402, {}, b"")
        assert isinstance(err, InsufficientCreditsError)
        assert str(err) == "Payment Required (HTTP 402)"

    def test_no_credits_deducted_is_not_a_credit_error(self) -> None:
        body = {"message": "Model x unsupported; no credits deducted"}
        assert type(error_from_response(400, {}, j(body))) is BadRequestError


class TestRateLimit:
    def test_retry_after(self) -> None:
        err = error_from_response(429, {"Retry-After": "61"}, j({"message": "slow down"}), now=NOW)
        assert isinstance(err, RateLimitError)
        assert err.retry_after_s == 61.0
        assert err.retry_after == 61.0

    def test_retry_after_ms(self) -> None:
        err = error_from_response(429, {"retry-after-ms": "1500"}, b"", now=NOW)
        assert isinstance(err, RateLimitError)
        assert err.retry_after_s == 1.5
        assert str(err) == "Too Many Requests (HTTP 429)"

    def test_no_header(self) -> None:
        err = error_from_response(429, {}, b"")
        assert isinstance(err, RateLimitError)
        assert err.retry_after_s is None

    def test_default_clock(self) -> None:
        err = error_from_response(429, {"retry-after": "5"}, b"")
        assert isinstance(err, RateLimitError)
        assert err.retry_after_s == 5.0


CF_PAGE = (
    b"<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title>"
    b"<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"
    b"</head><body><div id='cf-chl-widget'>" + b"x" * 10_000 + b"</div></body></html>"
)


class TestCloudflare:
    @pytest.mark.parametrize("status", [403, 429, 503])
    def test_header(self, status: int) -> None:
        err = error_from_response(
            status, {"cf-mitigated": "challenge", "cf-ray": "8abc-AMS"}, CF_PAGE
        )
        assert type(err) is CloudflareChallengeError
        assert isinstance(err, PermissionDeniedError)
        assert err.status_code == status
        assert err.request_id == "8abc-AMS"
        assert isinstance(err.body, str)
        assert len(err.body.encode()) <= 2048
        assert "Cloudflare" in str(err)
        assert f"(HTTP {status})" in str(err)

    @pytest.mark.parametrize("status", [403, 503])
    def test_html_marker_without_header(self, status: int) -> None:
        assert type(error_from_response(status, {}, CF_PAGE)) is CloudflareChallengeError

    def test_header_with_empty_body(self) -> None:
        err = error_from_response(403, {"cf-mitigated": "challenge"}, b"")
        assert type(err) is CloudflareChallengeError

    def test_ordinary_403_json(self) -> None:
        err = error_from_response(403, {}, j({"message": "Just a moment, you are not allowed"}))
        assert type(err) is PermissionDeniedError

    def test_ordinary_html_403(self) -> None:
        err = error_from_response(403, {}, b"<html><title>Forbidden</title></html>")
        assert type(err) is PermissionDeniedError


class TestRequestId:
    def test_x_request_id_preferred(self) -> None:
        err = error_from_response(500, {"X-Request-Id": "a", "CF-Ray": "b"}, b"")
        assert err.request_id == "a"

    def test_cf_ray_fallback(self) -> None:
        assert error_from_response(500, {"cf-ray": "b"}, b"").request_id == "b"

    def test_none(self) -> None:
        assert error_from_response(500, {}, b"").request_id is None


class TestRaiseForResponse:
    @pytest.mark.parametrize("status", [200, 201, 204, 299])
    def test_success_is_noop(self, status: int) -> None:
        raise_for_response(Response(status=status, headers={}, body=b"whatever"))

    def test_raises_mapped(self) -> None:
        resp = Response(status=404, headers={"x-request-id": "r"}, body=j({"message": "gone"}))
        with pytest.raises(NotFoundError) as info:
            raise_for_response(resp)
        assert info.value.request_id == "r"
        assert str(info.value) == "gone (HTTP 404)"

    @pytest.mark.parametrize("status", [301, 304, 100])
    def test_non_2xx(self, status: int) -> None:
        with pytest.raises(APIError):
            raise_for_response(Response(status=status, headers={}, body=b""))


class TestCheckEnvelope:
    @pytest.mark.parametrize(
        "data",
        [None, [], "text", {}, {"success": True}, {"aiRecord": None}, {"success": 0}, {"x": 1}],
    )
    def test_ok(self, data: object) -> None:
        check_envelope(data)

    def test_plain_failure(self) -> None:
        body = {"success": False, "error": {"message": "Something broke"}}
        with pytest.raises(APIError) as info:
            check_envelope(body)
        assert type(info.value) is APIError
        assert info.value.status_code == 200
        assert info.value.body == body
        assert str(info.value) == "Something broke (HTTP 200)"

    @pytest.mark.parametrize(
        ("code", "cls"),
        [
            ("UNSUPPORTED_MODEL", UnsupportedModelError),
            ("UNAUTHORIZED", AuthenticationError),
            ("NOT_FOUND", NotFoundError),
            ("INSUFFICIENT_CREDITS", InsufficientCreditsError),
            ("RATE_LIMITED", RateLimitError),
            ("VALIDATION_ERROR", ValidationError),
            ("SOMETHING_ELSE", APIError),
        ],
    )
    def test_code_picks_class(self, code: str, cls: type[APIError]) -> None:
        with pytest.raises(APIError) as info:
            check_envelope({"success": False, "error": {"code": code, "message": "m"}})
        assert type(info.value) is cls
        assert info.value.code == code
        assert info.value.status_code == 200

    def test_status_passed_through(self) -> None:
        with pytest.raises(APIError) as info:
            check_envelope({"success": False, "message": "nope"}, status=201)
        assert info.value.status_code == 201

    def test_failure_without_message(self) -> None:
        with pytest.raises(APIError) as info:
            check_envelope({"success": False})
        assert str(info.value) == "The request failed (HTTP 200)"


def test_errors_pickle_and_repr() -> None:
    err = error_from_response(429, {"retry-after": "3"}, j({"message": "slow"}), now=NOW)
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is RateLimitError
    assert clone.retry_after_s == 3.0
    assert repr(err) == "RateLimitError(status_code=429, message='slow (HTTP 429)')"


def test_no_response_headers_other_than_request_id_kept() -> None:
    secret = "sk-canary-123"
    err = error_from_response(401, {"set-cookie": secret, "x-echo-api-key": secret}, b"")
    assert secret not in repr(err.__dict__)
    assert secret not in str(err)


def test_secrets_are_redacted_from_body_and_message() -> None:
    key = "sk-canary-0123456789"
    err = error_from_response(401, {}, j({"message": f"Bad key {key}"}), secrets=(key,))
    assert key not in str(err)
    assert key not in repr(err.body)
