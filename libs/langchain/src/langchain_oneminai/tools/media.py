"""1min.AI media tools: images, speech, transcription, video and music.

Each tool returns ``(content, artifact)``: a short text the model reads (with the result URL)
and an artifact dict (URLs, asset keys, record ids, the model) that stays out of the prompt.
Invoke a tool with a full ``ToolCall`` to get the artifact on the ``ToolMessage``.
"""

from __future__ import annotations

from typing import Any, Literal

from oneminai_webapi import AudioOutput, ImageOutput, TranscriptionOutput, VideoOutput
from oneminai_webapi.integrations import argument_choices, closest_size, image_sizes
from pydantic import BaseModel, Field

from ._base import OneMinAIBaseTool

__all__ = [
    "OneMinAIImageEditTool",
    "OneMinAIImageGenerationTool",
    "OneMinAIMusicGenerationTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIVideoGenerationTool",
]

# The argument schemas offer only what the features' default models accept (read from the
# core's feature registry), so an agent never spends a paid call on a refused value.
_SHAPES: dict[str, float] = {"square": 1.0, "portrait": 2 / 3, "landscape": 3 / 2}
_FALLBACK_SIZES = {"square": (1024, 1024), "portrait": (1024, 1536), "landscape": (1536, 1024)}
_ALLOWED_SIZES = image_sizes("generate_image")
#: Image shape → a size the default image model accepts (SDXL: its fixed list).
_SIZES: dict[str, tuple[int, int]] = (
    {shape: closest_size(_ALLOWED_SIZES, ratio) for shape, ratio in _SHAPES.items()}
    if _ALLOWED_SIZES
    else _FALLBACK_SIZES
)
_IMAGE_COUNT = argument_choices("generate_image", "num_images")
_MAX_IMAGES = int(min(4, _IMAGE_COUNT.maximum or 4))
_VOICE = argument_choices("text_to_speech", "voice")
_VOICES: Any = Literal[_VOICE.values] if _VOICE.values else str  # type: ignore[valid-type]
_SPEED = argument_choices("text_to_speech", "speed")
_VIDEO_DURATION = argument_choices("generate_video", "duration")
_VIDEO_DURATIONS: Any = Literal[_VIDEO_DURATION.values] if _VIDEO_DURATION.values else int  # type: ignore[valid-type]
_VIDEO_RATIO = argument_choices("generate_video", "aspect_ratio")
_VIDEO_RATIOS: Any = Literal[_VIDEO_RATIO.values] if _VIDEO_RATIO.values else str  # type: ignore[valid-type]
_MUSIC_DURATION = argument_choices("generate_music", "duration")
_MUSIC_DURATIONS: Any = (
    Literal[_MUSIC_DURATION.values] | None  # type: ignore[valid-type]
    if _MUSIC_DURATION.values and _MUSIC_DURATION.values != (None,)
    else float | None
)
_MUSIC_INSTRUMENTAL_ONLY = argument_choices("generate_music", "instrumental").values == (True,)


def _image_result(output: ImageOutput, verb: str) -> tuple[str, dict[str, Any]]:
    urls = [image.url for image in output.images]
    artifact = {
        "urls": urls,
        "asset_keys": [image.key for image in output.images if image.key],
        "model": output.model,
        "record_id": output.record_id,
    }
    if not urls:
        return f"No image was {verb}.", artifact
    noun = "image" if len(urls) == 1 else "images"
    return f"{verb.capitalize()} {len(urls)} {noun}: " + ", ".join(urls), artifact


def _file_result(
    url: str, key: str | None, model: str, record_id: str | None, what: str
) -> tuple[str, dict[str, Any]]:
    artifact = {"url": url, "asset_key": key, "model": model, "record_id": record_id}
    return (f"{what}: {url}" if url else f"No {what.lower()} was produced."), artifact


class ImageGenerationInput(BaseModel):
    """Arguments of :class:`OneMinAIImageGenerationTool`."""

    prompt: str = Field(description="What the image should show, in detail.")
    aspect_ratio: Literal["square", "portrait", "landscape"] = Field(
        default="square",
        description="Image shape: "
        + ", ".join(f"{shape} {w}x{h}" for shape, (w, h) in _SIZES.items())
        + ".",
    )
    num_images: int = Field(default=1, ge=1, le=_MAX_IMAGES, description="How many images to make.")
    if argument_choices("generate_image", "negative_prompt").sent:  # the default model's
        negative_prompt: str | None = Field(default=None, description="What to avoid in the image.")


class OneMinAIImageGenerationTool(OneMinAIBaseTool):
    """Generate images from a text prompt with 1min.AI (DALL·E, gpt-image, Flux, …)."""

    name: str = "oneminai_image_generation"
    description: str = (
        "Generate images from a text description. Returns the image URLs. "
        "Input: a detailed prompt, optional aspect ratio and number of images."
    )
    args_schema: type[BaseModel] = ImageGenerationInput

    def _call(self, client: Any, **kwargs: Any) -> Any:
        width, height = _SIZES[kwargs.get("aspect_ratio", "square")]
        return client.generate_image(
            kwargs["prompt"],
            self.model,
            negative_prompt=kwargs.get("negative_prompt"),
            width=width,
            height=height,
            num_images=kwargs.get("num_images", 1),
        )

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        return _image_result(output, "generated")


class ImageEditInput(BaseModel):
    """Arguments of :class:`OneMinAIImageEditTool`."""

    image: str = Field(description="The image to edit: an http(s) URL or a 1min.AI asset key.")
    prompt: str = Field(description="The change to make, e.g. 'make the sky purple'.")


class OneMinAIImageEditTool(OneMinAIBaseTool):
    """Edit an existing image following an instruction, with 1min.AI."""

    name: str = "oneminai_image_edit"
    description: str = (
        "Edit an existing image following an instruction. Input: the image URL (or asset "
        "key) and the edit to make. Returns the edited image URL."
    )
    args_schema: type[BaseModel] = ImageEditInput
    _file_args = ("image",)

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return client.edit_image(kwargs["image"], kwargs["prompt"], self.model)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        return _image_result(output, "edited")


class TextToSpeechInput(BaseModel):
    """Arguments of :class:`OneMinAITextToSpeechTool`."""

    text: str = Field(description="The text to speak.")
    voice: _VOICES = Field(default="alloy", description="The voice.")
    speed: float = Field(
        default=1.0, ge=_SPEED.minimum, le=_SPEED.maximum, description="Speaking speed."
    )


class OneMinAITextToSpeechTool(OneMinAIBaseTool):
    """Turn text into speech (an audio file URL) with 1min.AI."""

    name: str = "oneminai_text_to_speech"
    description: str = (
        "Convert text to spoken audio. Input: the text, optionally a voice and speed. "
        "Returns the audio file URL."
    )
    args_schema: type[BaseModel] = TextToSpeechInput

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return client.text_to_speech(
            kwargs["text"], self.model, voice=kwargs.get("voice", "alloy"),
            speed=kwargs.get("speed", 1.0),
        )  # fmt: skip

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        audio: AudioOutput = output
        return _file_result(audio.audio_url, audio.key, audio.model, audio.record_id, "Audio")


class SpeechToTextInput(BaseModel):
    """Arguments of :class:`OneMinAISpeechToTextTool`."""

    audio: str = Field(description="The recording: an http(s) URL or a 1min.AI asset key.")
    language: str | None = Field(
        default=None, description="Spoken language code such as 'en', if known."
    )


class OneMinAISpeechToTextTool(OneMinAIBaseTool):
    """Transcribe a recording to text with 1min.AI (Whisper and others)."""

    name: str = "oneminai_speech_to_text"
    description: str = (
        "Transcribe speech in an audio file to text. Input: the audio URL or asset key, "
        "optionally the language. Returns the transcript."
    )
    args_schema: type[BaseModel] = SpeechToTextInput
    _file_args = ("audio",)

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return client.speech_to_text(kwargs["audio"], self.model, language=kwargs.get("language"))

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        result: TranscriptionOutput = output
        artifact = {"text": result.text, "model": result.model, "record_id": result.record_id}
        return result.text or "(no speech recognized)", artifact


class VideoGenerationInput(BaseModel):
    """Arguments of :class:`OneMinAIVideoGenerationTool`."""

    prompt: str = Field(description="What the video should show.")
    duration: _VIDEO_DURATIONS = Field(
        default=(_VIDEO_DURATION.values or (5,))[0], description="Length in seconds."
    )
    aspect_ratio: _VIDEO_RATIOS = Field(
        default=(_VIDEO_RATIO.values or ("16:9",))[0], description="Shape."
    )


class OneMinAIVideoGenerationTool(OneMinAIBaseTool):
    """Generate a short video from a prompt with 1min.AI (waits for the job to finish)."""

    name: str = "oneminai_video_generation"
    description: str = (
        "Generate a short video from a text description. Slow (minutes). Input: the "
        "prompt, optionally duration and aspect ratio. Returns the video URL."
    )
    args_schema: type[BaseModel] = VideoGenerationInput
    poll_interval: float | None = None
    """First delay between job polls (client default 2 s)."""

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return client.generate_video(
            kwargs["prompt"], self.model, duration=kwargs.get("duration", 5),
            aspect_ratio=kwargs.get("aspect_ratio", "16:9"), poll_interval=self.poll_interval,
        )  # fmt: skip

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        video: VideoOutput = output
        return _file_result(video.video_url, video.key, video.model, video.record_id, "Video")


class MusicGenerationInput(BaseModel):
    """Arguments of :class:`OneMinAIMusicGenerationTool`."""

    prompt: str = Field(description="The music to make: genre, mood, instruments, lyrics.")
    instrumental: bool = Field(
        default=False,
        description="No vocals."
        + (" The default model makes instrumental music only." if _MUSIC_INSTRUMENTAL_ONLY else ""),
    )
    duration: _MUSIC_DURATIONS = Field(
        default=None,
        description="Length in seconds; omit for the model's length."
        + (
            f" The default model makes clips of {_MUSIC_DURATION.values[0]} s only."
            if not _MUSIC_DURATION.sent and _MUSIC_DURATION.values
            else ""
        ),
    )


class OneMinAIMusicGenerationTool(OneMinAIBaseTool):
    """Generate music from a prompt with 1min.AI (waits for the job to finish)."""

    name: str = "oneminai_music_generation"
    description: str = (
        "Generate a piece of music from a description. Slow (minutes). Input: the prompt, "
        "optionally instrumental and duration. Returns the audio URL."
    )
    args_schema: type[BaseModel] = MusicGenerationInput
    poll_interval: float | None = None
    """First delay between job polls (client default 2 s)."""

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return client.generate_music(
            kwargs["prompt"], self.model, duration=kwargs.get("duration"),
            instrumental=kwargs.get("instrumental", False), poll_interval=self.poll_interval,
        )  # fmt: skip

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        music: AudioOutput = output
        return _file_result(music.audio_url, music.key, music.model, music.record_id, "Music")
