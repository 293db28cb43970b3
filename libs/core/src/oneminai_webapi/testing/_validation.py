"""Required-field validation of ``promptObject`` for ``/api/features``.

The check is one pluggable function, :func:`validate_prompt_object`, which the emulator
calls through ``EmulatorConfig.prompt_validator``. It only enforces what protocol.md marks
as required; a declarative feature registry can replace it later by assigning another
callable with the same signature to ``emu.config.prompt_validator``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: ``(type, model, promptObject) -> error message or None``.
PromptValidator = Callable[[str, str, Mapping[str, Any]], "str | None"]

_WRITING_PROMPT = [
    "KEYWORD_RESEARCH",
    "REWRITER",
    "CONTENT_EXPANDER",
    "CONTENT_SHORTENER",
    "CONTENT_TRANSLATOR",
    "PARAPHRASER",
    "SUMMARIZER",
    "GRAMMAR_CHECKER",
    "CODE_GENERATOR",
    "CONTENT_GENERATOR_BLOG_ARTICLE",
]

#: Fields required for every model of a feature type.
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "IMAGE_GENERATOR": ("prompt",),
    "IMAGE_EDITOR": ("imageUrl", "prompt"),
    "IMAGE_VARIATOR": ("imageUrl",),
    "IMAGE_UPSCALER": ("imageUrl",),
    "IMAGE_EXTENDER": ("imageUrl",),
    "BACKGROUND_REMOVER": ("imageUrl",),
    "BACKGROUND_REPLACER": ("imageUrl", "prompt"),
    "TEXT_REMOVER": ("imageUrl",),
    "IMAGE_OBJECT_REMOVER": ("imageUrl",),
    "SEARCH_AND_REPLACE": ("imageUrl", "search_prompt", "prompt"),
    "IMAGE_INPAINTER": ("imageUrl", "maskUrl", "prompt"),
    "FACE_SWAPPER": ("targetImageUrl", "swapImageUrl"),
    "IMAGE_3D_GENERATOR": ("imageUrl",),
    "IMAGE_TO_PROMPT": ("imageUrl",),
    "TEXT_TO_SPEECH": ("text",),
    "SPEECH_TO_TEXT": ("audioUrl",),
    "AUDIO_TRANSLATOR": ("audioUrl",),
    "VOICE_CHANGER": ("audioUrl",),
    "VOICE_CLONING": ("audioUrl",),
    "VOICE_DESIGN": ("voice_description",),
    "TEXT_TO_VIDEO": ("prompt",),
    "IMAGE_TO_VIDEO": ("imageUrl",),
    "VIDEO_FACE_SWAPPER": ("targetVideoUrl", "swapImageUrl"),
    "YOUTUBE_SUMMARIZER": ("videoUrl",),
    "YOUTUBE_TRANSCRIBER": ("videoUrl",),
    "YOUTUBE_TRANSLATOR": ("videoUrl", "targetLanguage"),
    **dict.fromkeys(_WRITING_PROMPT, ("prompt",)),
}

_GOOGLE_STT = [
    "latest_long",
    "latest_short",
    "phone_call",
    "telephony",
    "telephony_short",
    "medical_dictation",
    "medical_conversation",
]

#: Extra fields required for one (type, model) pair.
REQUIRED_BY_MODEL: dict[tuple[str, str], tuple[str, ...]] = {
    ("IMAGE_GENERATOR", "gpt-image-2"): ("size", "quality"),
    ("TEXT_TO_SPEECH", "tts-1"): ("voice",),
    ("TEXT_TO_SPEECH", "tts-1-hd"): ("voice",),
    ("SPEECH_TO_TEXT", "whisper-1"): ("response_format",),
    ("TEXT_TO_VIDEO", "kling"): ("duration", "mode"),
    ("MUSIC_GENERATOR", "lyria-002"): ("prompt",),
    **{("SPEECH_TO_TEXT", m): ("language",) for m in _GOOGLE_STT},
}

#: Maximum string lengths per (type, field).
MAX_LENGTH: dict[tuple[str, str], int] = {
    ("TEXT_TO_SPEECH", "text"): 4096,
}


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def validate_prompt_object(
    feature_type: str, model: str, prompt_object: Mapping[str, Any]
) -> str | None:
    """Check the fields protocol.md marks as required.

    Args:
        feature_type: The request's ``type``.
        model: The request's ``model``.
        prompt_object: The request's ``promptObject``.

    Returns:
        An error message for the first problem found, or ``None`` when the object is valid.
    """
    required = REQUIRED_BY_TYPE.get(feature_type, ()) + REQUIRED_BY_MODEL.get(
        (feature_type, model), ()
    )
    for field in required:
        if _missing(prompt_object.get(field)):
            return f"promptObject.{field} is required for {feature_type} with model {model}"
    for (ftype, field), limit in MAX_LENGTH.items():
        value = prompt_object.get(field)
        if ftype == feature_type and isinstance(value, str) and len(value) > limit:
            return f"promptObject.{field} must be at most {limit} characters"
    return None
