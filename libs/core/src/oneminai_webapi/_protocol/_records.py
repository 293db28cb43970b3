"""Reading ``aiRecord`` envelopes (``docs/protocol.md``): status, text, result URLs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exceptions import ContentFilteredError, JobFailedError, UnexpectedResponseError
from ._errors import check_envelope

SUCCESS_STATUSES = frozenset({"SUCCESS", "COMPLETED"})
PENDING_STATUSES = frozenset({"PROCESSING", "PENDING", "QUEUED", "IN_PROGRESS", "RUNNING"})


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a dict, else an empty dict (tolerant navigation)."""
    return value if isinstance(value, dict) else {}


def record_from_body(data: Any, *, allow_missing: bool = False) -> dict[str, Any] | None:
    """The ``aiRecord`` of a response body, after checking the success envelope.

    Raises:
        UnexpectedResponseError: when the body has no record (unless ``allow_missing``).
    """
    check_envelope(data)
    record = data.get("aiRecord") if isinstance(data, dict) else None
    if isinstance(record, dict):
        return record
    if allow_missing and isinstance(data, dict) and "aiRecord" in data:
        return None
    raise UnexpectedResponseError(
        "The response has no aiRecord.", status_code=200, body=_truncate(data)
    )


def record_status(record: Mapping[str, Any]) -> str:
    """The upper-cased status of a record ("" when absent)."""
    status = record.get("status")
    return status.upper() if isinstance(status, str) else ""


def is_pending(record: Mapping[str, Any]) -> bool:
    """Whether a long-running record is still being processed."""
    return record_status(record) in PENDING_STATUSES


def check_record(record: Mapping[str, Any]) -> None:
    """Raise :class:`JobFailedError` for a record in a failed state.

    Anything other than SUCCESS/COMPLETED/PROCESSING (and a missing status) is a failure,
    as the service's docs recommend. A ``resultObject`` that is a ``{code, message}`` object
    (moderation) raises :class:`ContentFilteredError`, whatever the status.
    """
    check_moderation(record)
    status = record_status(record)
    if not status or status in SUCCESS_STATUSES or status in PENDING_STATUSES:
        return
    detail = as_dict(record.get("aiRecordDetail"))
    reason = detail.get("errorMessage") or record.get("errorMessage") or "no reason given"
    raise JobFailedError(
        f"The {record.get('type') or 'feature'} job {record.get('uuid', '')} ended with "
        f"status {status}: {reason}",
        status_code=200,
        body=dict(record),
        record_id=record.get("uuid") if isinstance(record.get("uuid"), str) else None,
        record_status=status,
    )


_ANSWER_KEYS = ("text", "content", "result")


def moderation_of(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(code, message)`` when moderation replaced the answer with such an object."""
    for item in result_items(record)[:1]:
        if not isinstance(item, Mapping) or any(key in item for key in _ANSWER_KEYS):
            continue
        code, message = item.get("code"), item.get("message")
        if isinstance(code, (str, int)) and not isinstance(code, bool) and isinstance(message, str):
            return str(code), message
    return None


def check_moderation(record: Mapping[str, Any], partial_text: str = "") -> None:
    """Raise :class:`ContentFilteredError` when moderation withheld the answer."""
    found = moderation_of(record)
    if found is None:
        return
    code, message = found
    uuid = record.get("uuid")
    raise ContentFilteredError(
        f"Content moderation withheld the answer ({code}): {message[:500]}",
        status_code=200,
        body=dict(record),
        code=code,
        partial_text=partial_text,
        record_id=uuid if isinstance(uuid, str) else None,
    )


def result_items(record: Mapping[str, Any]) -> list[Any]:
    """``aiRecordDetail.resultObject`` as a list (a lone value becomes a one-item list)."""
    result = as_dict(record.get("aiRecordDetail")).get("resultObject")
    if result is None:
        return []
    return list(result) if isinstance(result, list) else [result]


def result_text(record: Mapping[str, Any]) -> str | None:
    """The text answer of a record: ``resultObject[0]`` (strings, or dicts with text)."""
    items = result_items(record)
    if not items:
        return None
    first = items[0]
    if isinstance(first, str):
        return first
    if isinstance(first, Mapping):
        for key in ("text", "content", "result", "message"):
            if isinstance(first.get(key), str):
                return str(first[key])
    return None


#: A snippet taken from a long field (a page's content) is cut to this many characters.
MAX_SNIPPET = 500
#: Where a source's fields may be, in order of preference (the element shape of the
#: service's lists is not documented; see docs/protocol.md).
_SOURCE_FIELDS = {
    "url": ("url", "link", "href", "sourceUrl", "source_url"),
    "title": ("title", "name", "pageTitle"),
    "snippet": ("snippet", "description", "summary", "content", "text"),
}


def _source(item: Any) -> dict[str, Any] | None:
    """One source as ``{"title", "url", "snippet", **the other fields}``, or None."""
    if isinstance(item, str):
        text = item.strip()
        if not text:
            return None
        is_url = text.startswith(("http://", "https://"))
        return {"title": "", "url": text if is_url else "", "snippet": "" if is_url else text}
    if not isinstance(item, Mapping):
        return None
    data = {str(key): value for key, value in item.items()}
    for name, keys in _SOURCE_FIELDS.items():
        key = next((k for k in keys if isinstance(data.get(k), str) and data[k]), None)
        value: str = data[key] if key is not None else ""
        if name == "snippet" and key != "snippet" and len(value) > MAX_SNIPPET:
            value = value[: MAX_SNIPPET - 1] + "…"  # page content: it stays whole in its field
        data[name] = value
    if not (data["url"] or data["title"] or data["snippet"]):
        return None
    return data


def record_sources(record: Mapping[str, Any]) -> list[Any]:
    """The web sources of a chat record, as :class:`~oneminai_webapi.types.Source` objects.

    Read from ``aiRecordDetail.promptObject.searchContentList`` (web-search results) and
    ``linkContentList`` (links the prompt referred to), where live records carry them;
    the earlier ``aiRecordDetail.sources`` / ``sources`` lists are the fallback. The same
    URL is listed once.
    """
    from ..types import Source

    detail = as_dict(record.get("aiRecordDetail"))
    prompt_object = as_dict(detail.get("promptObject"))
    lists = [prompt_object.get("searchContentList"), prompt_object.get("linkContentList")]
    if not any(isinstance(items, list) and items for items in lists):
        lists = [detail.get("sources") or record.get("sources")]
    out: list[Any] = []
    seen: set[str] = set()
    for items in lists:
        for item in items if isinstance(items, list) else ():
            data = _source(item)
            if data is None or (data["url"] and data["url"] in seen):
                continue
            if data["url"]:
                seen.add(data["url"])
            out.append(Source.model_validate(data))
    return out


def temporary_url(record: Mapping[str, Any], body: Mapping[str, Any] | None = None) -> str | None:
    """The pre-signed download URL: ``aiRecord.temporaryUrl``, then the body's root."""
    for source in (record, body or {}):
        url = source.get("temporaryUrl")
        if isinstance(url, str) and url:
            return url
    return None


def asset_base_of(url: str) -> str:
    """The asset host (with any bucket path) of a download URL: the part before the key.

    ``https://s3.us-east-1.amazonaws.com/asset.1min.ai/images/a.png?X-Amz-…`` →
    ``https://s3.us-east-1.amazonaws.com/asset.1min.ai``; the key starts at the first
    path segment that is an asset-key folder (``images``, ``audios``, …).
    """
    from urllib.parse import urlsplit

    from ..constants import ASSET_KEY_FOLDERS

    parts = urlsplit(url)
    segments = parts.path.split("/")
    folders = set(ASSET_KEY_FOLDERS.values())
    prefix = parts.path.rsplit("/", 1)[0]
    for index, segment in enumerate(segments[:-1]):
        if segment in folders:
            prefix = "/".join(segments[:index])
            break
    return f"{parts.scheme}://{parts.netloc}{prefix}"


def absolute_url(key_or_url: str, asset_base_url: str) -> str:
    """Absolute URLs as given; relative asset keys under the asset host."""
    if key_or_url.startswith(("http://", "https://")):
        return key_or_url
    return f"{asset_base_url.rstrip('/')}/{key_or_url.lstrip('/')}"


def _truncate(data: Any, limit: int = 2048) -> Any:
    text = repr(data)
    return data if len(text) <= limit else text[:limit]
