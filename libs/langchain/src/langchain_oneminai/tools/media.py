"""1min.AI media tools: images, speech, transcription, video and music.

Each tool returns ``(content, artifact)``: a short text the model reads (with the result URL)
and an artifact dict (URLs, asset keys, record ids, the model) that stays out of the prompt.
Invoke a tool with a full ``ToolCall`` to get the artifact on the ``ToolMessage``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oneminai_webapi import AudioOutput, ImageOutput, TranscriptionOutput, VideoOutput
from oneminai_webapi.integrations import ToolSpec, tool_spec
from pydantic import BaseModel

from ._base import OneMinAIBaseTool

__all__ = [
    "OneMinAIImageEditTool",
    "OneMinAIImageGenerationTool",
    "OneMinAIMusicGenerationTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIVideoGenerationTool",
]

# The argument models and client keywords are the shared definitions of
# ``oneminai_webapi.integrations`` (the MCP server serves the same tools): the schemas offer
# only what the features' default models accept, read from the core's feature registry.
_IMAGE = tool_spec("oneminai_image_generation")
_EDIT = tool_spec("oneminai_image_edit")
_TTS = tool_spec("oneminai_text_to_speech")
_STT = tool_spec("oneminai_speech_to_text")
_VIDEO = tool_spec("oneminai_video_generation")
_MUSIC = tool_spec("oneminai_music_generation")

ImageGenerationInput = _IMAGE.args_model
ImageEditInput = _EDIT.args_model
TextToSpeechInput = _TTS.args_model
SpeechToTextInput = _STT.args_model
VideoGenerationInput = _VIDEO.args_model
MusicGenerationInput = _MUSIC.args_model


def _spec_call(
    spec: ToolSpec, client: Any, kwargs: dict[str, Any], model: str | None, **options: Any
) -> Any:
    """Call the client as the shared spec says, keeping the files ``_check_files`` resolved.

    An allowed local file arrives here as the resolved ``Path`` the check returned; the
    spec validates the model's (string) arguments, so it sees the path as text and the
    client is then handed the checked ``Path`` itself. The spec is set up for the
    tool's model, so that image shapes map to sizes that model accepts.
    """
    spec = spec.for_model(model)
    checked = {name: value for name, value in kwargs.items() if isinstance(value, Path)}
    call = spec.client_kwargs({k: str(v) if k in checked else v for k, v in kwargs.items()})
    for name in spec.file_params:
        for path in checked.values():
            if call.get(name) == str(path):
                call[name] = path
    return spec.call(client, call, **options)


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


class OneMinAIImageGenerationTool(OneMinAIBaseTool):
    """Generate images from a text prompt with 1min.AI (DALL·E, gpt-image, Flux, …)."""

    name: str = "oneminai_image_generation"
    description: str = (
        "Generate images from a text description. Returns the image URLs. "
        "Input: a detailed prompt, optional aspect ratio and number of images."
    )
    args_schema: type[BaseModel] = ImageGenerationInput

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return _spec_call(_IMAGE, client, kwargs, self.model)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        return _image_result(output, "generated")


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
        return _spec_call(_EDIT, client, kwargs, self.model)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        return _image_result(output, "edited")


class OneMinAITextToSpeechTool(OneMinAIBaseTool):
    """Turn text into speech (an audio file URL) with 1min.AI."""

    name: str = "oneminai_text_to_speech"
    description: str = (
        "Convert text to spoken audio. Input: the text, optionally a voice and speed. "
        "Returns the audio file URL."
    )
    args_schema: type[BaseModel] = TextToSpeechInput

    def _call(self, client: Any, **kwargs: Any) -> Any:
        return _spec_call(_TTS, client, kwargs, self.model)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        audio: AudioOutput = output
        return _file_result(audio.audio_url, audio.key, audio.model, audio.record_id, "Audio")


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
        return _spec_call(_STT, client, kwargs, self.model)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        result: TranscriptionOutput = output
        artifact = {"text": result.text, "model": result.model, "record_id": result.record_id}
        return result.text or "(no speech recognized)", artifact


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
        video = _VIDEO.for_model(self.model)
        return video.call(client, video.client_kwargs(kwargs), poll_interval=self.poll_interval)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        video: VideoOutput = output
        return _file_result(video.video_url, video.key, video.model, video.record_id, "Video")


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
        music = _MUSIC.for_model(self.model)
        return music.call(client, music.client_kwargs(kwargs), poll_interval=self.poll_interval)

    def _format(self, output: Any) -> tuple[str, dict[str, Any]]:
        music: AudioOutput = output
        return _file_result(music.audio_url, music.key, music.model, music.record_id, "Music")
