"""Shared per-emulator runtime (config, state, catalog, faults) and response helpers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, get_args

from aiohttp import web

from ._catalog import Catalog, OutputKind, output_kind
from ._config import EmulatorConfig
from ._faults import FaultRegistry
from ._state import State, new_id, now_iso

JSON_CT = "application/json; charset=utf-8"


class Runtime:
    """What every handler can reach through ``request.app[RUNTIME]``."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.state = State(config)
        self.catalog = Catalog()
        self.faults = FaultRegistry()
        self.base_url = ""

    @property
    def asset_base_url(self) -> str:
        """Base URL of the download route (no trailing slash)."""
        return f"{self.base_url}/_emulator/files"

    def temporary_url(self, key: str) -> str:
        """A presigned-looking download URL for ``key``."""
        return (
            f"{self.asset_base_url}/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Expires=604800&X-Amz-Signature=emulator"
        )

    def output_kind(self, feature_type: str) -> OutputKind | None:
        """Output kind of a type, including ``config.extra_feature_types``."""
        kind = output_kind(feature_type)  # the types evidence shows to exist
        if kind is None:
            extra = self.config.extra_feature_types.get(feature_type)
            if extra in get_args(OutputKind):
                return extra  # type: ignore[return-value]
        return kind

    def team_user(self) -> dict[str, Any]:
        """The ``teamUser`` object embedded in records.

        Its ``usedCredit`` lags one request behind, as seen live: it leaves out the charge
        of the call the record belongs to.
        """
        c = self.config
        return {
            "teamId": c.team_id,
            "userId": c.user_id,
            "userName": c.user_name,
            "userAvatar": None,
            "status": "ACTIVE",
            "role": "ADMIN",
            "creditLimit": 214748364,
            "usedCredit": self.state.used_credits - self.state.last_charge,
            "createdAt": "2025-01-01T00:00:00.000Z",
            "createdBy": "SYSTEM",
            "updatedAt": "2025-01-01T00:00:00.000Z",
            "updatedBy": "SYSTEM",
        }

    def build_record(
        self,
        *,
        feature_type: str,
        model: str,
        prompt_object: Any,
        result: list[Any],
        conversation_id: str | None = None,
        status: str = "SUCCESS",
        metadata: Any = None,
        temporary_url: str | None = None,
        extra_detail: Mapping[str, Any] | None = None,
        credit: int = 0,
        store: bool = True,
    ) -> dict[str, Any]:
        """Build (and remember, for ``GET /api/results``) an aiRecord shaped as the service's."""
        c = self.config
        detail: dict[str, Any] = {"promptObject": prompt_object, "resultObject": result}
        if extra_detail:
            detail.update(extra_detail)
        record: dict[str, Any] = {
            "uuid": new_id(),
            "userId": c.user_id,
            "teamId": c.team_id,
            "teamUser": self.team_user(),
            "model": model,
            "type": feature_type,
            "metadata": metadata,
            "rating": None,
            "feedback": None,
            "conversationId": conversation_id,
            "status": status,
            "credit": credit,
            "createdAt": now_iso(),
            "aiRecordDetail": detail,
            "additionalData": None,
        }
        if temporary_url is not None:
            record["temporaryUrl"] = temporary_url
        if store:
            self.state.records[record["uuid"]] = record
        return record


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

RUNTIME = web.AppKey("oneminai_emulator_runtime", Runtime)

_RequestKey: Any = getattr(web, "RequestKey", None)
if _RequestKey is not None:  # aiohttp >= 3.13 warns on plain string request keys
    JSON_KEY: Any = _RequestKey("oneminai_json", object)
    FAULTS_KEY: Any = _RequestKey("oneminai_faults", list)
    HEADERS_KEY: Any = _RequestKey("oneminai_extra_headers", list)
else:  # pragma: no cover - older aiohttp
    JSON_KEY, FAULTS_KEY, HEADERS_KEY = "oneminai_json", "oneminai_faults", "oneminai_headers"


def runtime(request: web.Request) -> Runtime:
    """The runtime of the app serving ``request``."""
    return request.app[RUNTIME]


def dumps(data: Any) -> str:
    """Compact JSON with raw UTF-8 (like the real Node service)."""
    return _compact(data)


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response (``application/json; charset=utf-8``)."""
    resp = web.Response(
        body=dumps(data).encode("utf-8"), status=status, headers=dict(headers or {})
    )
    resp.headers["Content-Type"] = JSON_CT
    return resp


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    """``{"success": false, "error": {"code", "message"[, "details"]}}``."""
    err: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"success": False, "error": err}


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """A JSON error response in the service's envelope."""
    return json_response(error_body(code, message, details), status, headers)


def validation_error(message: str, field: str | None = None) -> web.Response:
    """400 ``VALIDATION_ERROR`` with one detail."""
    detail: dict[str, Any] = {"message": message}
    if field:
        detail["field"] = field
    return error_response(400, "VALIDATION_ERROR", message, [detail])


def unsupported_model(model: Any, feature: str | None = None) -> web.Response:
    """400 ``{"errorCode": "UNSUPPORTED_MODEL", "message": …}`` as captured live.

    Chat answers ``Model X is not supported``; ``/api/features`` names the feature:
    ``Model X is not supported for feature IMAGE_GENERATOR``.
    """
    message = f"Model {model} is not supported"
    if feature is not None:
        message += f" for feature {feature}"
    return json_response({"errorCode": "UNSUPPORTED_MODEL", "message": message}, 400)


#: The canned text the service puts in front of a provider's refusal (captured live for
#: Alibaba; the same wording is assumed for other providers).
PROVIDER_BUSY = (
    "The {service} service is a bit busy right now or facing a temporary issue. Please try "
    "again shortly. We appreciate your patience!"
)


def provider_error(service: str, message: str, status: int = 400) -> web.Response:
    """400 ``EXTERNAL_API_RESPONSE_WITH_ERROR``: the provider's reason only in ``details``.

    ``details`` is a string holding the provider's JSON (``response.status`` and
    ``response.data.message``), as the live service forwards it.
    """
    details = {
        "response": {"status": status, "data": {"name": "invalid_request", "message": message}},
        "request": {"method": "post"},
    }
    return json_response(
        {
            "errorCode": "EXTERNAL_API_RESPONSE_WITH_ERROR",
            "message": PROVIDER_BUSY.format(service=service),
            "context": {"service": service},
            "details": dumps(details),
        },
        400,
    )


def insufficient_credits(rt: Runtime) -> web.Response:
    """The configured insufficient-credits answer."""
    return json_response(rt.config.insufficient_credits_body, rt.config.insufficient_credits_status)


def not_found(message: str = "Not found") -> web.Response:
    """404 in the error envelope."""
    return error_response(404, "NOT_FOUND", message)


def body_json(request: web.Request) -> Any:
    """The JSON body parsed by the middleware (``None`` when absent or not JSON)."""
    return request.get(JSON_KEY)
