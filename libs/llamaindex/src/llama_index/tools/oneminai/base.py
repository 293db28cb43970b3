"""``OneMinAIToolSpec``: 1min.AI media generation and web search as LlamaIndex tools."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from llama_index.core.base.llms.types import AudioBlock, ImageBlock, TextBlock, VideoBlock
from llama_index.core.bridge.pydantic import BaseModel, Field, SecretStr, create_model
from llama_index.core.tools import FunctionTool, ToolMetadata, ToolOutput
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from oneminai_webapi.exceptions import OneMinAIError
from oneminai_webapi.integrations import (
    ArgumentChoices,
    ClientFactory,
    ClientSettings,
    Closeable,
    argument_choices,
    check_file_reference,
    image_sizes,
)

if TYPE_CHECKING:
    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

__all__ = ["OneMinAIToolSpec", "ServiceErrorTool"]

_ENV_KEY = "ONEMINAI_API_KEY"
MediaResult = list[TextBlock | ImageBlock | AudioBlock | VideoBlock]


def _kwargs(**values: Any) -> dict[str, Any]:
    """Drop ``None`` values so the core client's defaults apply."""
    return {key: value for key, value in values.items() if value is not None}


def _images(output: Any) -> MediaResult:
    urls = [image.url for image in output.images if getattr(image, "url", None)]
    if not urls:
        return [TextBlock(text="The image service returned no image.")]
    text = "Generated image URL(s):\n" + "\n".join(urls)
    return [TextBlock(text=text), *(ImageBlock(url=url) for url in urls)]


def _audio(output: Any, what: str) -> MediaResult:
    if not output.audio_url:
        return [TextBlock(text=f"The {what} service returned no audio.")]
    return [
        TextBlock(text=f"Generated {what} URL: {output.audio_url}"),
        AudioBlock(url=output.audio_url),
    ]


def _video(output: Any) -> MediaResult:
    if not output.video_url:
        return [TextBlock(text="The video service returned no video.")]
    return [
        TextBlock(text=f"Generated video URL: {output.video_url}"),
        VideoBlock(url=output.video_url),
    ]


# ---------------------------------------------------------------- argument schemas
# The media tools' schemas offer only what the configured (else the default) model accepts,
# read from the core's feature registry, so an agent never spends a paid call on a value
# the service refuses.


def _one_of(choices: ArgumentChoices, fallback: Any) -> Any:
    """``Literal[...]`` of the accepted values, else ``fallback`` (the plain type)."""
    values = tuple(v for v in choices.values or () if v is not None)
    return Literal[values] if values else fallback  # type: ignore[valid-type]


def _bounds(choices: ArgumentChoices) -> dict[str, Any]:
    return {k: v for k, v in (("ge", choices.minimum), ("le", choices.maximum)) if v is not None}


def _image_schema(model: str | None) -> type[BaseModel]:
    sizes = image_sizes("generate_image", model)
    count = argument_choices("generate_image", "num_images", model)
    size_note = (
        " Allowed width x height pairs: " + ", ".join(f"{w}x{h}" for w, h in sizes) + "."
        if sizes
        else ""
    )
    width: Any = Literal[tuple(sorted({w for w, _ in sizes}))] if sizes else int  # type: ignore[misc]
    height: Any = Literal[tuple(sorted({h for _, h in sizes}))] if sizes else int  # type: ignore[misc]
    return create_model(
        "generate_image",
        prompt=(str, Field(description="A detailed description of the image to create.")),
        width=(width, Field(default=1024, description="Image width in pixels." + size_note)),
        height=(height, Field(default=1024, description="Image height in pixels." + size_note)),
        num_images=(
            int,
            Field(
                default=1,
                ge=1,
                le=int(min(4, count.maximum or 4)),
                description="How many images to generate.",
            ),
        ),
    )


def _speech_schema(model: str | None) -> type[BaseModel]:
    voice = argument_choices("text_to_speech", "voice", model)
    speed = argument_choices("text_to_speech", "speed", model)
    return create_model(
        "text_to_speech",
        text=(str, Field(description="The text to speak.")),
        voice=(
            _one_of(voice, str) | None,
            Field(default=None, description="Voice name; omit for the default."),
        ),
        speed=(float, Field(default=1.0, description="Speaking speed.", **_bounds(speed))),
    )


def _video_schema(model: str | None) -> type[BaseModel]:
    duration = argument_choices("generate_video", "duration", model)
    ratio = argument_choices("generate_video", "aspect_ratio", model)
    return create_model(
        "generate_video",
        prompt=(str, Field(description="A description of the video to create.")),
        duration=(
            _one_of(duration, int),
            Field(default=(duration.values or (5,))[0], description="Length in seconds."),
        ),
        aspect_ratio=(
            _one_of(ratio, str),
            Field(default=(ratio.values or ("16:9",))[0], description="Frame shape."),
        ),
    )


def _music_schema(model: str | None) -> type[BaseModel]:
    duration = argument_choices("generate_music", "duration", model)
    instrumental = argument_choices("generate_music", "instrumental", model)
    only = " The model makes instrumental music only." if instrumental.values == (True,) else ""
    fixed = (
        f" The model makes clips of {duration.values[0]} s only."
        if not duration.sent and duration.values and duration.values[0] is not None
        else ""
    )
    return create_model(
        "generate_music",
        prompt=(str, Field(description="A description of the music (genre, mood, instruments).")),
        duration=(
            _one_of(duration, int) | None,
            Field(default=None, description="Length in seconds; omit for the default." + fixed),
        ),
        instrumental=(bool, Field(default=False, description="No vocals." + only)),
    )


def _source_line(source: Any) -> str | None:
    """``- Title (url)`` for one web source (a ``Source`` or a dict), or None when empty."""
    get = getattr(source, "get", None)
    if get is None:
        return None
    url, title = get("url") or get("link") or "", get("title") or ""
    if not (url or title):
        return None
    return f"- {title} ({url})" if url and title else f"- {url or title}"


def _answer(output: Any) -> str:
    lines = [output.text]
    sources = [line for s in getattr(output, "sources", None) or [] if (line := _source_line(s))]
    if sources:
        lines.append("Sources:\n" + "\n".join(sources))
    return "\n\n".join(lines)


class ServiceErrorTool(FunctionTool):
    """A spec tool whose 1min.AI service errors come back as an error output.

    ``call``/``acall`` return a ``ToolOutput`` with ``is_error=True`` and the error text
    (never the key) instead of raising, so the agent's LLM reads what went wrong (no credit,
    a refused prompt, a failed job, a timeout, a local file the spec may not read …) and the
    run goes on. Other exceptions (a bug) propagate as with any ``FunctionTool``.
    """

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the tool; a service error is returned as an error output."""
        try:
            return super().call(*args, **kwargs)
        except OneMinAIError as exc:
            return self._error_output(exc, kwargs)

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Async :meth:`call`."""
        try:
            return await super().acall(*args, **kwargs)
        except OneMinAIError as exc:
            return self._error_output(exc, kwargs)

    def _error_output(self, exc: OneMinAIError, kwargs: dict[str, Any]) -> ToolOutput:
        text = f"Error: {type(exc).__name__}: {exc}"
        return ToolOutput(
            content=text,
            tool_name=self.metadata.get_name(),
            raw_input={"kwargs": kwargs},
            raw_output=text,
            is_error=True,
            exception=exc,
        )


class OneMinAIToolSpec(Closeable, BaseToolSpec):
    """1min.AI media tools for LlamaIndex agents.

    The tools generate and edit images, convert text to speech and speech to text, generate
    video and music, and answer a question using web search. Each tool has a sync and an
    async implementation. Media tools return a text block with the result URL (what the
    agent's LLM reads) followed by an ``ImageBlock``, ``AudioBlock`` or ``VideoBlock``.

    A service error (no credit, a refused prompt, a failed job, a timeout …) does not raise:
    the tool returns an error ``ToolOutput`` (``is_error=True``) whose text tells the agent
    what went wrong, so the run goes on (see :class:`ServiceErrorTool`).

    The spec keeps its connections open between calls: one sync client, and one async
    client per event loop (closed when that loop ends, as with ``asyncio.run``). Release
    them with :meth:`close` (sync code) or :meth:`aclose` (async code), or use the spec as
    a ``with`` / ``async with`` block.

    Example:
        .. code-block:: python

            from llama_index.tools.oneminai import OneMinAIToolSpec

            with OneMinAIToolSpec(image_model="dall-e-3") as spec:
                tools = spec.to_tool_list()
                ...

    Args:
        api_key: The API key (default: ``ONEMINAI_API_KEY``).
        base_url: API root (default: ``ONEMINAI_BASE_URL``, else the public API).
        timeout: Request timeout in seconds (media jobs can be slow).
        max_retries: Retries of failed requests.
        proxy: Optional HTTP proxy URL.
        image_model: Model for image generation and editing (``None``: service default).
        tts_model: Text-to-speech model.
        tts_voice: Default text-to-speech voice.
        stt_model: Speech-to-text model.
        video_model: Video model.
        music_model: Music model.
        chat_model: Chat model for web-searched answers.
        num_of_site: Web pages read per search.
        poll_interval: Seconds between status checks of video and music jobs
            (``None``: the core client's default).
        poll_timeout: Give up waiting for a video or music job after this many seconds.
        allow_local_files: Let tools upload local files named in ``image_url``/``audio_url``.
            Off by default: the arguments come from the model, and a prompt injection must
            not be able to send local files to the service.
        client: A ready sync core client to use.
        async_client: A ready async core client to use.
    """

    # BaseToolSpec declares ``spec_functions`` as a (mutable) instance attribute.
    spec_functions = [  # noqa: RUF012
        ("generate_image", "agenerate_image"),
        ("edit_image", "aedit_image"),
        ("text_to_speech", "atext_to_speech"),
        ("speech_to_text", "aspeech_to_text"),
        ("generate_video", "agenerate_video"),
        ("generate_music", "agenerate_music"),
        ("web_search", "aweb_search"),
    ]

    def __init__(
        self,
        api_key: str | SecretStr | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 300.0,
        max_retries: int = 2,
        proxy: str | None = None,
        image_model: str | None = None,
        tts_model: str | None = None,
        tts_voice: str | None = None,
        stt_model: str | None = None,
        video_model: str | None = None,
        music_model: str | None = None,
        chat_model: str | None = None,
        num_of_site: int = 3,
        poll_interval: float | None = None,
        poll_timeout: float | None = None,
        allow_local_files: bool = False,
        client: SyncOneMinAIClient | None = None,
        async_client: OneMinAIClient | None = None,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get(_ENV_KEY, "")
        settings = ClientSettings(
            api_key=api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            proxy=proxy,
        )
        self._clients = ClientFactory(settings, sync_client=client, async_client=async_client)
        self.image_model = image_model
        self.tts_model = tts_model
        self.tts_voice = tts_voice
        self.stt_model = stt_model
        self.video_model = video_model
        self.music_model = music_model
        self.chat_model = chat_model
        self.num_of_site = num_of_site
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self.allow_local_files = allow_local_files

    def __repr__(self) -> str:
        return f"OneMinAIToolSpec(image_model={self.image_model!r}, chat_model={self.chat_model!r})"

    def get_fn_schema_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> type[BaseModel] | None:
        """The argument schema of a media tool, limited to what its model accepts.

        Durations, sizes and voices come from the core's feature registry for the model
        this spec is configured with (else the feature's default model). Other tools keep
        the schema LlamaIndex infers from their signature.
        """
        builders = {
            "generate_image": (_image_schema, self.image_model),
            "text_to_speech": (_speech_schema, self.tts_model),
            "generate_video": (_video_schema, self.video_model),
            "generate_music": (_music_schema, self.music_model),
        }
        name = fn_name[1:] if fn_name.startswith("a") and fn_name[1:] in builders else fn_name
        if name not in builders:
            return super().get_fn_schema_from_fn_name(fn_name, spec_functions)
        build, model = builders[name]
        return build(model)

    def to_tool_list(
        self,
        spec_functions: list[SPEC_FUNCTION_TYPE] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        """The tools, as :class:`ServiceErrorTool` (service errors become error outputs)."""
        tools = super().to_tool_list(spec_functions, func_to_metadata_mapping)
        return [
            ServiceErrorTool(fn=tool.fn, metadata=tool.metadata, async_fn=tool.async_fn)
            for tool in tools
        ]

    def _polling(self) -> dict[str, Any]:
        return _kwargs(poll_interval=self.poll_interval, poll_timeout=self.poll_timeout)

    def close(self) -> None:
        """Close the clients this tool spec created (a later tool call creates new ones).

        Closes the sync client, and every async client whose event loop is not running:
        one whose loop has ended was already closed by that loop; one whose loop is idle
        (as after ``loop.run_until_complete``) is closed by running that loop briefly.
        Called inside a running event loop it leaves async clients open: use :meth:`aclose`
        there. Clients passed in as ``client`` / ``async_client`` are never closed.
        """
        self._clients.close()

    async def aclose(self) -> None:
        """Close the running loop's async client, then everything :meth:`close` closes.

        One call is enough in async code: the sync client is closed too.
        """
        await self._clients.aclose()

    # ---------------------------------------------------------------- file references

    def _media_ref(self, ref: str) -> str | Path:
        """Validate a model-supplied ``image_url``/``audio_url``.

        URLs and asset keys pass through. A local file is only accepted (and then uploaded by
        the core client) when ``allow_local_files`` is set: the argument comes from the
        model, which must not be able to make the tool read arbitrary files. The rules are
        those of :func:`oneminai_webapi.integrations.check_file_reference`.

        Raises:
            LocalFileRefusedError: For a local path while local files are not allowed (a
                ``ValueError``).
        """
        return check_file_reference(ref, allow_local_files=self.allow_local_files)

    # ---------------------------------------------------------------- images

    def generate_image(
        self, prompt: str, width: int = 1024, height: int = 1024, num_images: int = 1
    ) -> MediaResult:
        """Generate images from a text description and return their URLs.

        Args:
            prompt (str): A detailed description of the image to create.
            width (int): Image width in pixels.
            height (int): Image height in pixels.
            num_images (int): How many images to generate (1-4).
        """
        output = self._clients.sync().generate_image(
            prompt, self.image_model, width=width, height=height, num_images=num_images
        )
        return _images(output)

    async def agenerate_image(
        self, prompt: str, width: int = 1024, height: int = 1024, num_images: int = 1
    ) -> MediaResult:
        """Generate images from a text description and return their URLs.

        Args:
            prompt (str): A detailed description of the image to create.
            width (int): Image width in pixels.
            height (int): Image height in pixels.
            num_images (int): How many images to generate (1-4).
        """
        client = await self._clients.async_()
        output = await client.generate_image(
            prompt, self.image_model, width=width, height=height, num_images=num_images
        )
        return _images(output)

    def edit_image(self, image_url: str, prompt: str) -> MediaResult:
        """Edit an existing image as instructed and return the new image's URL.

        Args:
            image_url (str): URL (or 1min.AI asset key) of the image to edit.
            prompt (str): What to change in the image.
        """
        ref = self._media_ref(image_url)
        return _images(self._clients.sync().edit_image(ref, prompt, self.image_model))

    async def aedit_image(self, image_url: str, prompt: str) -> MediaResult:
        """Edit an existing image as instructed and return the new image's URL.

        Args:
            image_url (str): URL (or 1min.AI asset key) of the image to edit.
            prompt (str): What to change in the image.
        """
        ref = self._media_ref(image_url)
        client = await self._clients.async_()
        return _images(await client.edit_image(ref, prompt, self.image_model))

    # ---------------------------------------------------------------- audio

    def text_to_speech(
        self, text: str, voice: str | None = None, speed: float = 1.0
    ) -> MediaResult:
        """Read a text aloud and return the URL of the spoken audio.

        Args:
            text (str): The text to speak.
            voice (str, optional): Voice name such as "alloy" or "nova"; omit for the default.
            speed (float): Speaking speed, 1.0 is normal.
        """
        output = self._clients.sync().text_to_speech(
            text, self.tts_model, **_kwargs(voice=voice or self.tts_voice, speed=speed)
        )
        return _audio(output, "speech")

    async def atext_to_speech(
        self, text: str, voice: str | None = None, speed: float = 1.0
    ) -> MediaResult:
        """Read a text aloud and return the URL of the spoken audio.

        Args:
            text (str): The text to speak.
            voice (str, optional): Voice name such as "alloy" or "nova"; omit for the default.
            speed (float): Speaking speed, 1.0 is normal.
        """
        client = await self._clients.async_()
        output = await client.text_to_speech(
            text, self.tts_model, **_kwargs(voice=voice or self.tts_voice, speed=speed)
        )
        return _audio(output, "speech")

    def speech_to_text(self, audio_url: str, language: str | None = None) -> str:
        """Transcribe a recording and return its text.

        Args:
            audio_url (str): URL (or 1min.AI asset key) of the audio file.
            language (str, optional): Spoken language code such as "en"; omit to detect it.
        """
        ref = self._media_ref(audio_url)
        output = self._clients.sync().speech_to_text(ref, self.stt_model, language=language)
        return str(output.text)

    async def aspeech_to_text(self, audio_url: str, language: str | None = None) -> str:
        """Transcribe a recording and return its text.

        Args:
            audio_url (str): URL (or 1min.AI asset key) of the audio file.
            language (str, optional): Spoken language code such as "en"; omit to detect it.
        """
        ref = self._media_ref(audio_url)
        client = await self._clients.async_()
        output = await client.speech_to_text(ref, self.stt_model, language=language)
        return str(output.text)

    # ---------------------------------------------------------------- video and music

    def generate_video(
        self, prompt: str, duration: int = 5, aspect_ratio: str = "16:9"
    ) -> MediaResult:
        """Generate a short video from a text description and return its URL.

        Args:
            prompt (str): A description of the video.
            duration (int): Length in seconds.
            aspect_ratio (str): Frame shape such as "16:9", "9:16" or "1:1".
        """
        output = self._clients.sync().generate_video(
            prompt,
            self.video_model,
            duration=duration,
            aspect_ratio=aspect_ratio,
            **self._polling(),
        )
        return _video(output)

    async def agenerate_video(
        self, prompt: str, duration: int = 5, aspect_ratio: str = "16:9"
    ) -> MediaResult:
        """Generate a short video from a text description and return its URL.

        Args:
            prompt (str): A description of the video.
            duration (int): Length in seconds.
            aspect_ratio (str): Frame shape such as "16:9", "9:16" or "1:1".
        """
        client = await self._clients.async_()
        output = await client.generate_video(
            prompt,
            self.video_model,
            duration=duration,
            aspect_ratio=aspect_ratio,
            **self._polling(),
        )
        return _video(output)

    def generate_music(
        self, prompt: str, duration: int | None = None, instrumental: bool = False
    ) -> MediaResult:
        """Compose music from a description and return the audio URL.

        Args:
            prompt (str): Style, mood and instruments (and lyrics, if any).
            duration (int, optional): Length in seconds; omit for the model's default.
            instrumental (bool): True for music without vocals.
        """
        output = self._clients.sync().generate_music(
            prompt,
            self.music_model,
            duration=duration,
            instrumental=instrumental,
            **self._polling(),
        )
        return _audio(output, "music")

    async def agenerate_music(
        self, prompt: str, duration: int | None = None, instrumental: bool = False
    ) -> MediaResult:
        """Compose music from a description and return the audio URL.

        Args:
            prompt (str): Style, mood and instruments (and lyrics, if any).
            duration (int, optional): Length in seconds; omit for the model's default.
            instrumental (bool): True for music without vocals.
        """
        client = await self._clients.async_()
        output = await client.generate_music(
            prompt,
            self.music_model,
            duration=duration,
            instrumental=instrumental,
            **self._polling(),
        )
        return _audio(output, "music")

    # ---------------------------------------------------------------- web search

    def web_search(self, query: str) -> str:
        """Answer a question with up-to-date information found on the web, citing sources.

        Args:
            query (str): The question to research.
        """
        output = self._clients.sync().chat(
            query, model=self.chat_model, web_search=True, num_of_site=self.num_of_site
        )
        return _answer(output)

    async def aweb_search(self, query: str) -> str:
        """Answer a question with up-to-date information found on the web, citing sources.

        Args:
            query (str): The question to research.
        """
        client = await self._clients.async_()
        output = await client.chat(
            query, model=self.chat_model, web_search=True, num_of_site=self.num_of_site
        )
        return _answer(output)
