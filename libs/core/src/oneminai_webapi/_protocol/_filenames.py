r"""File names for downloads: a server's suggestion becomes a safe local name (pure).

A result URL comes from the server, so its last segment is only a suggestion. The name
kept from it is a plain base name on every platform: no path separators (``/`` or
``\``), no control or invisible formatting characters, no leading dot (no hidden
files), no trailing dot or space, no Windows device name, no characters Windows refuses,
at most :data:`MAX_NAME_BYTES` bytes, and an extension that matches the content type
when the server says what it sends.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata

__all__ = [
    "DEFAULT_NAME",
    "MAX_NAME_BYTES",
    "fit_extension",
    "numbered",
    "safe_filename",
]

#: The longest name kept from a server's suggestion (UTF-8 bytes; file systems allow 255).
MAX_NAME_BYTES = 120
#: The name used when nothing usable is left of the suggestion.
DEFAULT_NAME = "download"
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{kind}{n}" for kind in ("com", "lpt") for n in "0123456789¹²³"}
)
_PLAIN_EXT = re.compile(r"^\.[A-Za-z0-9]{1,11}$")

#: Extensions for the media types 1min.AI returns (``mimetypes`` varies by platform and
#: Python version, e.g. ``audio/mpeg`` → ``.mp2`` or ``image/webp`` unknown on 3.10).
EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/webp": ".webp",
    "image/gif": ".gif", "image/svg+xml": ".svg", "audio/mpeg": ".mp3", "audio/mp3": ".mp3",
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/ogg": ".ogg",
    "audio/opus": ".opus", "audio/aac": ".aac", "audio/flac": ".flac", "audio/mp4": ".m4a",
    "video/mp4": ".mp4", "video/webm": ".webm", "video/quicktime": ".mov",
    "model/gltf-binary": ".glb", "model/obj": ".obj", "application/pdf": ".pdf",
    "text/plain": ".txt", "application/json": ".json",
}  # fmt: skip
#: Other extensions that are right for a type (``cat.jpeg`` served as image/jpeg stays).
_ALSO = {
    ".jpg": {".jpeg", ".jpe"}, ".mp3": {".mpga"}, ".m4a": {".mp4", ".aac"},
    ".ogg": {".oga", ".opus"}, ".opus": {".ogg"}, ".txt": {".text", ".srt", ".vtt", ".md"},
    ".mp4": {".m4v"}, ".wav": {".wave"},
}  # fmt: skip
#: Types that say nothing about the file (S3 often serves everything as octet-stream).
GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", ""})


def _visible(char: str) -> bool:
    # Cc: controls (NUL, newline, ESC...); Cf: invisible formatting (bidirectional
    # overrides that show "gnp.exe" as "exe.png", zero-width joiners); Zl/Zp: separators.
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def split_extension(name: str) -> tuple[str, str]:
    """``(stem, ".ext")``; a leading dot does not start an extension."""
    dot = name.rfind(".")
    if dot <= 0 or dot == len(name) - 1:
        return name, ""
    return name[:dot], name[dot:]


def _cut(text: str, max_bytes: int) -> str:
    raw = text.encode("utf-8")
    return text if len(raw) <= max_bytes else raw[:max_bytes].decode("utf-8", "ignore")


def safe_filename(suggestion: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A safe base name from a name the server chose (see the module docstring).

    Args:
        suggestion: The server's name (a URL segment, percent-decoded).
        max_bytes: The longest name returned, in UTF-8 bytes.

    Returns:
        A non-empty plain file name.
    """
    name = suggestion.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if _visible(c))
    name = _WINDOWS_FORBIDDEN.sub("_", " ".join(name.split()))
    name = name.lstrip(". ").rstrip(". ")
    stem, ext = split_extension(name)
    if ext and not _PLAIN_EXT.match(ext):
        stem, ext = name, ""
    if stem.split(".")[0].strip().lower() in _DEVICE_NAMES:
        stem = "_" + stem
    stem = _cut(stem, max_bytes - len(ext.encode())).rstrip(". ")
    return (stem + ext) if stem else DEFAULT_NAME + ext


def _known_extension(media_type: str) -> str:
    if media_type in GENERIC_TYPES:
        return ""
    return EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type) or ""


def fit_extension(name: str, content_type: str | None, *, replace: bool) -> str:
    """Give ``name`` the extension of ``content_type``.

    A name without an extension gets the type's extension. With ``replace`` (a name the
    server chose), an extension that does not fit a specific type is replaced: ``cat.exe``
    served as ``image/png`` is saved as ``cat.png``. Generic types change nothing.
    """
    media_type = (content_type or "").split(";")[0].strip().lower()
    wanted = _known_extension(media_type)
    if not wanted:
        return name
    stem, ext = split_extension(name)
    if not ext:
        return name + wanted
    if not replace:
        return name
    lowered = ext.lower()
    fitting = {wanted, *_ALSO.get(wanted, ()), *mimetypes.guess_all_extensions(media_type)}
    return name if lowered in fitting else stem + wanted


def numbered(name: str, n: int) -> str:
    """``name`` with `` (n)`` before its extension: the n-th alternative to a taken name."""
    stem, ext = split_extension(name)
    return f"{stem} ({n}){ext}"
