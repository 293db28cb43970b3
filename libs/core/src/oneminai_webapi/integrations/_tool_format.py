"""How each agent tool's output reads: a short text for the model and JSON-ready details.

``credits_used`` and typed ``sources`` may be missing on older outputs: both are read
with ``getattr`` and tolerated when absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._tool_types import ResultFile, ToolResult

#: Models listed in the text of ``list_models`` at most (the artifact has them all).
MAX_LISTED_MODELS = 200


def credits_of(output: Any) -> float | None:
    """The credits an output says it cost (``None`` when it does not say)."""
    value = getattr(output, "credits_used", None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def image_result(output: Any, verb: str) -> ToolResult:
    """Images: ``Generated 2 images: URL, URL``."""
    images = list(getattr(output, "images", None) or [])
    urls = [image.url for image in images]
    artifact = {
        "urls": urls,
        "asset_keys": [image.key for image in images if image.key],
        "model": output.model,
        "record_id": output.record_id,
    }
    files = tuple(ResultFile("image", i.url, i.key, source=i) for i in images if i.url)
    if not urls:
        text = f"No image was {verb}."
    else:
        noun = "image" if len(urls) == 1 else "images"
        text = f"{verb.capitalize()} {len(urls)} {noun}: " + ", ".join(urls)
    return ToolResult(text, artifact, files, credits_of(output))


def _file_result(output: Any, url: str, kind: Any, what: str) -> ToolResult:
    key = getattr(output, "key", None)
    artifact = {"url": url, "asset_key": key, "model": output.model, "record_id": output.record_id}
    text = f"{what}: {url}" if url else f"No {what.lower()} was produced."
    files = (ResultFile(kind, url, key, source=output),) if url else ()
    return ToolResult(text, artifact, files, credits_of(output))


def audio_result(output: Any, what: str) -> ToolResult:
    """Speech, sounds and music: ``Audio: URL``."""
    return _file_result(output, output.audio_url, "audio", what)


def video_result(output: Any) -> ToolResult:
    """A video: ``Video: URL``."""
    return _file_result(output, output.video_url, "video", "Video")


def transcript_result(output: Any) -> ToolResult:
    """A transcript: its text."""
    artifact = {"text": output.text, "model": output.model, "record_id": output.record_id}
    return ToolResult(output.text or "(no speech recognized)", artifact, (), credits_of(output))


def text_result(output: Any) -> ToolResult:
    """A writing tool's text."""
    artifact = {"model": output.model, "record_id": output.record_id}
    return ToolResult(output.text or "(no text was returned)", artifact, (), credits_of(output))


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _source(item: Any) -> dict[str, str] | None:
    """``{"title", "url"}`` of a web source (a dict, or a typed object with attributes)."""
    url = _field(item, "url") or _field(item, "link")
    title = _field(item, "title")
    if not url and not title:
        return None
    return {"title": str(title or ""), "url": str(url or "")}


def answer_result(output: Any) -> ToolResult:
    """A chat answer, followed by the web sources it read (numbered)."""
    sources = [s for s in map(_source, getattr(output, "sources", None) or []) if s]
    text = output.text or "(the model returned no text)"
    if sources:
        lines = [
            f"[{n}] {s['title']} {s['url']}".replace("  ", " ").strip()
            for n, s in enumerate(sources, 1)
        ]
        text += "\n\nSources:\n" + "\n".join(lines)
    artifact: dict[str, Any] = {
        "model": output.model,
        "record_id": output.record_id,
        "sources": sources,
    }
    return ToolResult(text, artifact, (), credits_of(output))


def models_result(models: list[dict[str, Any]]) -> ToolResult:
    """The catalog: one line per model (id, provider, name)."""
    rows = [
        {
            "id": str(m.get("modelId", "")),
            "provider": str(m.get("provider", "")),
            "name": str(m.get("name", "")),
        }
        for m in models
    ]
    rows.sort(key=lambda r: (r["provider"], r["id"]))
    if not rows:
        return ToolResult("No model matches.", {"models": []})
    lines = [
        f"{r['id']}  ({r['provider']})"
        + (f" {r['name']}" if r["name"] not in ("", r["id"]) else "")
        for r in rows
    ]
    text = "\n".join(lines[:MAX_LISTED_MODELS])
    if len(lines) > MAX_LISTED_MODELS:
        text += f"\n… and {len(lines) - MAX_LISTED_MODELS} more (narrow with feature or search)"
    return ToolResult(f"{len(rows)} models:\n{text}", {"models": rows})


def credits_result(balance: Any) -> ToolResult:
    """The credit balance."""
    return ToolResult(f"Remaining credits: {balance:,}", {"credits": balance})


def job_output_result(output: Any) -> ToolResult:
    """The output of a finished job, whatever its kind."""
    from ..types import AudioOutput, ImageOutput, MusicOutput, TranscriptionOutput, VideoOutput

    if isinstance(output, ImageOutput):
        return image_result(output, "generated")
    if isinstance(output, MusicOutput):
        return audio_result(output, "Music")
    if isinstance(output, AudioOutput):
        return audio_result(output, "Audio")
    if isinstance(output, VideoOutput):
        return video_result(output)
    if isinstance(output, TranscriptionOutput):
        return transcript_result(output)
    return text_result(output)
