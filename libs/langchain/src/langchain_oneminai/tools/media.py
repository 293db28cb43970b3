"""1min.AI media tools: images, speech, transcription, video and music.

Each tool returns ``(content, artifact)``: a short text the model reads (with the result URL)
and an artifact dict (URLs, asset keys, record ids, the model) that stays out of the prompt.
Invoke a tool with a full ``ToolCall`` to get the artifact on the ``ToolMessage``.
"""

from __future__ import annotations

from typing import Any, Literal

from oneminai_webapi import AudioOutput, ImageOutput, TranscriptionOutput, VideoOutput
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

_SIZES: dict[str, tuple[int, int]] = {
    "square": (1024, 1024),
    "portrait": (1024, 1536),
    "landscape": (1536, 1024),
}


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
        default="square", description="Image shape."
    )
    num_images: int = Field(default=1, ge=1, le=4, description="How many images to make.")
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
    voice: Literal[
        "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"
    ] = Field(default="alloy", description="The voice.")
    speed: float = Field(default=1.0, ge=0.25, le=4.0, description="Speaking speed.")


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
    duration: Literal[5, 10] = Field(default=5, description="Length in seconds.")
    aspect_ratio: Literal["16:9", "9:16", "1:1"] = Field(default="16:9", description="Shape.")


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
    instrumental: bool = Field(default=False, description="No vocals.")
    duration: float | None = Field(default=None, description="Length in seconds, if supported.")


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
