"""Media and content feature methods: signatures and docs; the logic is in the registry.

Every method validates its arguments through the feature registry (``_registry``: which
``promptObject`` fields the model family takes and which values it allows) before anything
is sent, then runs :func:`oneminai_webapi._protocol._features.run`. The annotations describe
the async client (``Awaitable[X]``); the sync client returns ``X`` directly.

Common options:

* ``model`` — any model id string or enum member; ``None`` uses the feature's default.
* ``extra`` — extra ``promptObject`` fields (model-specific knobs), merged last.
* File inputs (``image_url``, ``audio_url``, ``video_url``, …) take an asset key
  (``images/…``), an ``http(s)`` URL, an :class:`AssetRecord`, or a local file (a path that
  exists, ``pathlib.Path``) or ``bytes``, which are uploaded first.
* Long-running features (video, music) are started with ``"async": true`` and polled:
  ``wait=False`` returns at once with ``status="PROCESSING"`` (finish with
  :meth:`wait_for_result`); ``poll_timeout`` (default 600 s) bounds the wait;
  ``poll_interval`` is the first delay between polls (default 2 s, growing ×1.5 up to
  15 s); ``on_progress`` receives a :class:`JobProgress` after every poll.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..constants import DEFAULT_SAMPLE_TEXT as _DEFAULT_SAMPLE_TEXT
from ..constants import (
    ChatModel,
    CodeModel,
    ImageDirection,
    ImageModel,
    MusicModel,
    SocialPlatform,
    STTModel,
    TTSModel,
    TTSVoice,
    VideoModel,
)

if TYPE_CHECKING:
    from .._protocol import _features as features
    from .._protocol._context import Context
    from .._protocol._ops import Op
    from ..types import (
        AssetRecord,
        AudioOutput,
        ChatOutput,
        ImageOutput,
        MusicOutput,
        TranscriptionOutput,
        VideoOutput,
    )

T = TypeVar("T")

#: A file argument: asset key, URL, AssetRecord, local path, or bytes.
FileInput: TypeAlias = "str | os.PathLike[str] | bytes | AssetRecord"
Extra: TypeAlias = "Mapping[str, Any] | None"
Progress: TypeAlias = "features.ProgressCallback | None"


class MediaMethods:
    """Image, audio, video, music, code and writing features."""

    _ctx: Context

    def _run(self, op: Op[T]) -> Awaitable[T]:  # pragma: no cover - implemented by drivers
        raise NotImplementedError

    def _feature(
        self,
        method: str,
        model: Any,
        extra: Extra,
        *,
        wait: bool = True,
        poll_timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Progress = None,
        **args: Any,
    ) -> Awaitable[Any]:
        from .._protocol import _features as features  # the registry loads on first use

        poll = features.poll_options(poll_timeout, poll_interval, on_progress)
        call = features.prepare(method, args, model=model, extra=extra, wait=wait, poll=poll)
        self._ctx.require_credential()
        return self._run(features.bind_outputs(self, features.run(self._ctx, call)))

    def wait_for_result(
        self,
        record_id: str | ImageOutput | AudioOutput | VideoOutput | TranscriptionOutput,
        *,
        poll_timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Progress = None,
    ) -> Awaitable[Any]:
        """Wait for a long-running job (started with ``wait=False``) and return its output.

        Args:
            record_id: The record uuid, or the pending output itself.
            poll_timeout: Seconds to wait at most (default 600).
            poll_interval: First delay between polls (default 2 s, then ×1.5 up to 15 s).
            on_progress: Called with a :class:`JobProgress` after every poll.

        Returns:
            The output of the record's feature (``VideoOutput``, ``MusicOutput``, …).

        Raises:
            JobFailedError: the job ended FAILED/FAILURE (``.record_status``, message).
            JobTimeoutError: still processing at the deadline.
            NotFoundError: the service knows no such record.
        """
        from .._protocol import _features as features
        from .._protocol._chat import require_text

        rid = require_text(getattr(record_id, "record_id", record_id), "record_id")
        poll = features.poll_options(poll_timeout, poll_interval, on_progress)
        self._ctx.require_credential()
        return self._run(features.bind_outputs(self, features.wait_for(self._ctx, rid, poll)))

    # ── images ───────────────────────────────────────────────────────────────────────

    def generate_image(
        self,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        negative_prompt: str | None = None,
        width: int = 1024,
        height: int = 1024,
        num_images: int = 1,
        quality: str | None = None,
        style: str | None = None,
        output_format: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Generate images from a prompt (``IMAGE_GENERATOR``).

        The arguments are mapped per model family: gpt-image and DALL·E get ``size``
        (``"WxH"``) and ``n``; Flux gets ``aspect_ratio`` and ``num_outputs``; Midjourney
        ``aspect_width``/``aspect_height`` and ``n``; Leonardo (UUID ids) ``n``, ``size`` and
        ``negativePrompt``; Stable Diffusion XL (the default, seen working live) ``samples``
        and ``size``, which must be one of 1024x1024, 1152x896, 1216x832, 1344x768,
        1536x640, 640x1536, 768x1344, 832x1216, 896x1152 (other sizes are refused before
        sending; ``cfg_scale``, ``steps``, ``seed`` via ``extra``); Stable Diffusion 1.6
        ``samples``, ``width``, ``height``; unknown families ``prompt``, ``n``, ``size``,
        ``negativePrompt``, ``quality``, ``style``, ``output_format``.

        Args:
            prompt: What to draw.
            model: Model id; default ``stable-diffusion-xl-1024-v1-0``
                (``black-forest-labs/flux-schnell`` is refused by the service since 2026).
            negative_prompt: What to avoid (families that take one).
            width: Width in pixels (with ``height``: the size or aspect ratio).
            height: Height in pixels.
            num_images: How many images (each family has its own maximum).
            quality: Model quality level, e.g. ``low``/``medium``/``high`` for gpt-image
                (default: not sent, the model's default).
            style: Style, e.g. ``vivid``/``natural`` for DALL·E 3 (default: not sent).
            output_format: ``png``/``jpeg``/``webp``… (default: not sent).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: ``.images`` (``.url``, ``.key``, ``await .save(dir)``).

        Raises:
            InvalidRequestError: a value the model family does not accept, named with the
                allowed values (nothing is sent).
            UnsupportedModelError: the service does not support ``model``.
            JobFailedError: the record ended in a failed state.
        """
        return self._feature(
            "generate_image", model, extra, prompt=prompt, negative_prompt=negative_prompt,
            width=width, height=height, num_images=num_images, quality=quality, style=style,
            output_format=output_format,
        )  # fmt: skip

    def edit_image(
        self,
        image_url: FileInput,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Edit an image following a prompt (``IMAGE_EDITOR``).

        Args:
            image_url: The image (asset key, URL, local path or bytes).
            prompt: The edit to make.
            model: Default ``black-forest-labs/flux-kontext-pro``; gpt-image models also get
                the required ``size`` (1024x1024) and ``n`` (1).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the edited image(s).
        """
        return self._feature("edit_image", model, extra, image_url=image_url, prompt=prompt)

    def create_image_variation(
        self,
        image_url: FileInput,
        model: str | ImageModel | None = None,
        *,
        num_images: int = 1,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Make variations of an image (``IMAGE_VARIATOR``).

        Args:
            image_url: The image (asset key, URL, local path or bytes).
            model: Default ``black-forest-labs/flux-redux-schnell``.
            num_images: How many variations (``n`` / ``num_outputs`` by family).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the variations.
        """
        return self._feature(
            "create_image_variation", model, extra, image_url=image_url, num_images=num_images
        )

    def extend_image(
        self,
        image_url: FileInput,
        direction: str | ImageDirection = "right",
        model: str | ImageModel | None = None,
        *,
        amount: int = 512,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Extend (outpaint) an image on one side (``IMAGE_EXTENDER``).

        Sends ``left``/``right``/``up``/``down``: ``amount`` on the chosen side and 0 on the
        others (the unit is undocumented; pixels as in Stability's outpainting).

        Args:
            image_url: The image (asset key, URL, local path or bytes).
            direction: ``left``, ``right``, ``up`` or ``down``.
            model: Default ``stable-image``.
            amount: How far to extend (1–2000).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the extended image.
        """
        return self._feature(
            "extend_image", model, extra, image_url=image_url, direction=direction, amount=amount
        )

    def inpaint_image(
        self,
        image_url: FileInput,
        mask_url: FileInput,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Repaint the masked area of an image (``IMAGE_INPAINTER``).

        Args:
            image_url: The image.
            mask_url: The mask (white = repaint).
            prompt: What to paint there.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """
        return self._feature(
            "inpaint_image", model, extra, image_url=image_url, mask_url=mask_url, prompt=prompt
        )

    def remove_object_from_image(
        self,
        image_url: FileInput,
        model: str | ImageModel | None = None,
        *,
        mask_url: FileInput | None = None,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Remove an object from an image (``IMAGE_OBJECT_REMOVER``).

        Args:
            image_url: The image.
            model: Default ``stable-image``.
            mask_url: A mask marking the object (``maskUrl``; the documented model uses it).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the cleaned image.
        """
        return self._feature(
            "remove_object_from_image", model, extra, image_url=image_url, mask_url=mask_url
        )

    def upscale_image(
        self,
        image_url: FileInput,
        scale: int = 2,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Upscale an image (``IMAGE_UPSCALER``).

        Args:
            image_url: The image.
            scale: Factor; ``stable-image`` fixes it (only the default is accepted), other
                families get ``scale`` (undocumented).
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the upscaled image.
        """
        return self._feature("upscale_image", model, extra, image_url=image_url, scale=scale)

    def remove_background(
        self, image_url: FileInput, model: str | ImageModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ImageOutput]:
        """Remove the background of an image (``BACKGROUND_REMOVER``).

        Args:
            image_url: The image.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the cut-out image.
        """
        return self._feature("remove_background", model, extra, image_url=image_url)

    def replace_background(
        self,
        image_url: FileInput,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Replace the background of an image (``BACKGROUND_REPLACER``).

        Args:
            image_url: The image.
            prompt: The new background.
            model: Default ``clipdrop``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """
        return self._feature("replace_background", model, extra, image_url=image_url, prompt=prompt)

    def remove_text_from_image(
        self,
        image_url: FileInput,
        *,
        model: str | ImageModel | None = None,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Remove text from an image (``TEXT_REMOVER``).

        Args:
            image_url: The image.
            model: Default ``clipdrop``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the cleaned image.
        """
        return self._feature("remove_text_from_image", model, extra, image_url=image_url)

    def swap_face(
        self,
        source_image_url: FileInput,
        target_image_url: FileInput,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Put the face of one image onto another (``FACE_SWAPPER``).

        Args:
            source_image_url: The face to use (``swapImageUrl``).
            target_image_url: The image that receives it (``targetImageUrl``).
            model: Default ``Qubico/image-toolkit``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """
        return self._feature(
            "swap_face", model, extra, source_image_url=source_image_url,
            target_image_url=target_image_url,
        )  # fmt: skip

    def sketch_to_image(
        self,
        sketch_url: FileInput,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Turn a sketch into an image (``SKETCH_TO_IMAGE``).

        The fields of this type are not in the stored docs: ``imageUrl`` + ``prompt`` are
        sent by analogy with the other image tools.

        Args:
            sketch_url: The sketch.
            prompt: What it depicts.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the rendered image.
        """
        return self._feature("sketch_to_image", model, extra, sketch_url=sketch_url, prompt=prompt)

    def image_to_3d(
        self, image_url: FileInput, model: str | ImageModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ImageOutput]:
        """Make a 3D model from an image (``IMAGE_3D_GENERATOR``).

        Args:
            image_url: The image.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: ``.image`` is the 3D file (``save()`` keeps its extension).
        """
        return self._feature("image_to_3d", model, extra, image_url=image_url)

    def search_and_replace_in_image(
        self,
        image_url: FileInput,
        search_prompt: str,
        replace_prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Replace an object in an image (``SEARCH_AND_REPLACE``).

        Args:
            image_url: The image.
            search_prompt: What to find (``search_prompt``).
            replace_prompt: What to put instead (``prompt``).
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """
        return self._feature(
            "search_and_replace_in_image", model, extra, image_url=image_url,
            search_prompt=search_prompt, replace_prompt=replace_prompt,
        )  # fmt: skip

    def image_to_prompt(
        self, image_url: FileInput, model: str | ImageModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Describe an image as a prompt (``IMAGE_TO_PROMPT``).

        Args:
            image_url: The image.
            model: Default ``methexis-inc/img2prompt:…``; ``midjourney`` uses ``mode: describe``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: ``.text`` is the prompt.
        """
        return self._feature("image_to_prompt", model, extra, image_url=image_url)

    # ── audio ────────────────────────────────────────────────────────────────────────

    def text_to_speech(
        self,
        text: str,
        model: str | TTSModel | None = None,
        *,
        voice: str | TTSVoice = TTSVoice.ALLOY,
        speed: float = 1.0,
        response_format: str = "mp3",
        language: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[AudioOutput]:
        """Speak a text (``TEXT_TO_SPEECH``).

        OpenAI models get ``text``, ``voice``, ``speed`` and ``response_format``; ElevenLabs
        ``voice_id`` (pass ``voice="<voice id>"``); Google ``name``, ``speakingRate`` and
        ``languageCode``. With ElevenLabs/Google the default ``alloy`` is not sent.

        Args:
            text: What to say (≤ 4096 characters for OpenAI).
            model: Default ``tts-1``.
            voice: A voice of the model.
            speed: 0.25–4.0.
            response_format: ``mp3``, ``opus``, ``aac``, ``flac``, ``wav`` or ``pcm`` (OpenAI).
            language: BCP-47 language for Google voices (default ``en-US``).
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: ``.audio_url``; ``await .save(dir)``.
        """
        return self._feature(
            "text_to_speech", model, extra, text=text, voice=voice, speed=speed,
            response_format=response_format, language=language,
        )  # fmt: skip

    def text_to_sound(
        self,
        prompt: str,
        duration: float = 5.0,
        *,
        model: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[AudioOutput]:
        """Generate a sound effect (``TEXT_TO_SOUND``).

        The fields are not in the stored docs; ElevenLabs' own names (``text``,
        ``duration_seconds``) are sent to the default model.

        Args:
            prompt: The sound to make.
            duration: Seconds (0.5–22 for ElevenLabs).
            model: Default ``elevenlabs-sound-effects``.
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: the sound.
        """
        return self._feature("text_to_sound", model, extra, prompt=prompt, duration=duration)

    def speech_to_text(
        self,
        audio_url: FileInput,
        model: str | STTModel | None = None,
        *,
        language: str | None = None,
        response_format: str = "text",
        extra: Extra = None,
    ) -> Awaitable[TranscriptionOutput]:
        """Transcribe speech (``SPEECH_TO_TEXT``).

        Whisper-style models get ``audioUrl`` + ``response_format`` (+ ``language`` when
        given); Google models (``latest_long`` …) ``audioUrl`` + ``language``.

        Args:
            audio_url: The recording (asset key, URL, local path or bytes).
            model: Default ``whisper-1``.
            language: Spoken language (required by Google models; default ``en-US`` there).
            response_format: Whisper-style models: ``text`` (default), ``srt``, ``vtt`` or
                ``verbose_json`` (subtitles and JSON come back as the service wrote them, in
                ``.text``; relays pass these formats through, no live capture shows them).
            extra: Extra ``promptObject`` fields.

        Returns:
            TranscriptionOutput: ``.text`` (raw), ``.response_format``.
        """
        return self._feature(
            "speech_to_text", model, extra, audio_url=audio_url, language=language,
            response_format=response_format,
        )  # fmt: skip

    def translate_audio(
        self,
        audio_url: FileInput,
        target_language: str,
        model: str | STTModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[TranscriptionOutput]:
        """Translate speech into text (``AUDIO_TRANSLATOR``).

        Args:
            audio_url: The recording.
            target_language: Whisper translates into English only (``en``/``English``);
                other families get ``targetLanguage``.
            model: Default ``whisper-1``.
            extra: Extra ``promptObject`` fields.

        Returns:
            TranscriptionOutput: the translated text.
        """
        return self._feature(
            "translate_audio", model, extra, audio_url=audio_url, target_language=target_language
        )

    def generate_captions(
        self,
        audio_or_video_url: FileInput,
        model: str | STTModel | None = None,
        *,
        language: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[TranscriptionOutput]:
        """Caption an audio or video file (``CAPTIONS_GENERATOR``).

        The type's fields are undocumented: ``audioUrl`` (+ ``language``) is sent by analogy
        with speech-to-text.

        Args:
            audio_or_video_url: The file.
            model: Default ``whisper-1``.
            language: Spoken language.
            extra: Extra ``promptObject`` fields.

        Returns:
            TranscriptionOutput: the captions.
        """
        return self._feature(
            "generate_captions", model, extra, audio_or_video_url=audio_or_video_url,
            language=language,
        )  # fmt: skip

    def isolate_voice(
        self, audio_url: FileInput, *, model: str | None = None, extra: Extra = None
    ) -> Awaitable[AudioOutput]:
        """Isolate the voice of a recording (``VOICE_ISOLATOR``; fields guessed: ``audioUrl``).

        Args:
            audio_url: The recording.
            model: Default ``elevenlabs-voice-isolator``.
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: the isolated voice.
        """
        return self._feature("isolate_voice", model, extra, audio_url=audio_url)

    def change_voice(
        self,
        audio_url: FileInput,
        target_voice: str,
        *,
        model: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[AudioOutput]:
        """Say a recording in another voice (``VOICE_CHANGER``).

        Args:
            audio_url: The recording.
            target_voice: The voice id (``voice_id``).
            model: Default ``elevenlabs-voice-changer``.
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: the converted recording.
        """
        return self._feature(
            "change_voice", model, extra, audio_url=audio_url, target_voice=target_voice
        )

    def clone_voice(
        self,
        audio_url: FileInput,
        name: str,
        description: str = "",
        *,
        text: str | None = None,
        model: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[AudioOutput]:
        """Speak in a voice cloned from a sample (``VOICE_CLONING``).

        ``name`` and ``description`` are not documented fields and are sent as-is.

        Args:
            audio_url: The voice sample.
            name: A name for the voice.
            description: A description ("" is not sent).
            text: What the cloned voice should say (``text``).
            model: Default ``elevenlabs-voice-cloning``.
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: speech in the cloned voice.
        """
        return self._feature(
            "clone_voice", model, extra, audio_url=audio_url, name=name,
            description=description, text=text,
        )  # fmt: skip

    def design_voice(
        self,
        description: str,
        sample_text: str = _DEFAULT_SAMPLE_TEXT,
        *,
        model: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[AudioOutput]:
        """Design a voice from a description (``VOICE_DESIGN``).

        Args:
            description: The voice (``voice_description``).
            sample_text: What the sample says (``text``; ≤ 1000 characters; a neutral
                two-sentence default).
            model: Default ``elevenlabs-voice-design``.
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: the voice sample.
        """
        return self._feature(
            "design_voice", model, extra, description=description, sample_text=sample_text
        )

    # ── video and music (long-running) ───────────────────────────────────────────────

    def generate_video(
        self,
        prompt: str,
        model: str | VideoModel | None = None,
        *,
        duration: int = 5,
        aspect_ratio: str = "16:9",
        extra: Extra = None,
        wait: bool = True,
        poll_timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Progress = None,
    ) -> Awaitable[VideoOutput]:
        """Generate a video from a prompt (``TEXT_TO_VIDEO``; async job + polling).

        Kling gets ``duration`` (5|10 below version 3.0, 3–15 from 3.0; the version via
        ``extra={"version": "3.0"}``), ``aspect_ratio`` and ``mode: "std"``; Veo3 (model
        ``veo3``) ``task_type: "veo3-video"``, ``veo3_duration`` (``"8s"``; the default 5 is
        left out) and ``aspect_ratio`` (``generate_audio``, ``resolution``,
        ``negativePrompt`` via ``extra``); Sora ``seconds`` (4|8|12; the default 5 is left
        out) and ``size``; Luma ``"5s"``-style durations; AnimateDiff (the one video model
        seen working live) the prompt only.

        Args:
            prompt: The scene.
            model: Default ``kling``.
            duration: Seconds.
            aspect_ratio: ``16:9``, ``9:16`` or ``1:1`` (by family).
            extra: Extra ``promptObject`` fields (e.g. ``{"mode": "pro"}``).
            wait: Poll until done; ``False`` returns the pending output at once.
            poll_timeout: Seconds to wait at most (default 600).
            poll_interval: First delay between polls (default 2 s).
            on_progress: Called with a :class:`JobProgress` after every poll.

        Returns:
            VideoOutput: ``.video_url``; ``await .save(dir)``.

        Raises:
            JobFailedError: the job failed; JobTimeoutError: still running at the deadline.
        """
        return self._feature(
            "generate_video", model, extra, wait=wait, poll_timeout=poll_timeout,
            poll_interval=poll_interval, on_progress=on_progress, prompt=prompt,
            duration=duration, aspect_ratio=aspect_ratio,
        )  # fmt: skip

    def image_to_video(
        self,
        image_url: FileInput,
        prompt: str = "",
        model: str | VideoModel | None = None,
        *,
        duration: int = 5,
        aspect_ratio: str = "16:9",
        extra: Extra = None,
        wait: bool = True,
        poll_timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Progress = None,
    ) -> Awaitable[VideoOutput]:
        """Animate an image (``IMAGE_TO_VIDEO``; async job + polling).

        Args:
            image_url: The first frame.
            prompt: The motion ("" is not sent).
            model: Default ``kling``.
            duration: Seconds (by family: Kling 5|10, Hailuo 6|10, Veo ``8s``).
            aspect_ratio: Aspect ratio (families that take one).
            extra: Extra ``promptObject`` fields.
            wait: Poll until done; ``False`` returns the pending output at once.
            poll_timeout: Seconds to wait at most (default 600).
            poll_interval: First delay between polls (default 2 s).
            on_progress: Called with a :class:`JobProgress` after every poll.

        Returns:
            VideoOutput: the video.
        """
        return self._feature(
            "image_to_video", model, extra, wait=wait, poll_timeout=poll_timeout,
            poll_interval=poll_interval, on_progress=on_progress, image_url=image_url,
            prompt=prompt, duration=duration, aspect_ratio=aspect_ratio,
        )  # fmt: skip

    def swap_face_in_video(
        self,
        video_url: FileInput,
        face_image_url: FileInput,
        *,
        model: str | None = None,
        extra: Extra = None,
        wait: bool = True,
        poll_timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Progress = None,
    ) -> Awaitable[VideoOutput]:
        """Swap a face into a video (``VIDEO_FACE_SWAPPER``; async job + polling).

        Args:
            video_url: The video (``targetVideoUrl``).
            face_image_url: The face (``swapImageUrl``).
            model: Default ``Qubico/video-toolkit``.
            extra: Extra ``promptObject`` fields.
            wait: Poll until done; ``False`` returns the pending output at once.
            poll_timeout: Seconds to wait at most (default 600).
            poll_interval: First delay between polls (default 2 s).
            on_progress: Called with a :class:`JobProgress` after every poll.

        Returns:
            VideoOutput: the video.
        """
        return self._feature(
            "swap_face_in_video", model, extra, wait=wait, poll_timeout=poll_timeout,
            poll_interval=poll_interval, on_progress=on_progress, video_url=video_url,
            face_image_url=face_image_url,
        )  # fmt: skip

    def generate_music(
        self,
        prompt: str,
        model: str | MusicModel | None = None,
        *,
        duration: float | None = None,
        instrumental: bool = False,
        extra: Extra = None,
        wait: bool = True,
        poll_timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Progress = None,
    ) -> Awaitable[MusicOutput]:
        """Generate music (``MUSIC_GENERATOR``; async job + polling).

        Lyria makes 30-second instrumental clips: ``instrumental=True`` and
        ``duration=30`` are what it makes anyway, other values are not sent and raise a
        :class:`UserWarning`. Suno gets ``gpt_description_prompt`` and ``instrumental``
        (it picks the length: ``duration`` warns); PiAPI models ``make_instrumental``;
        MusicGen ``duration`` (1–30 s).

        Args:
            prompt: The music to make.
            model: Default ``lyria-002``.
            duration: Seconds (families that take it; see above).
            instrumental: No vocals.
            extra: Extra ``promptObject`` fields.
            wait: Poll until done; ``False`` returns the pending output at once.
            poll_timeout: Seconds to wait at most (default 600).
            poll_interval: First delay between polls (default 2 s).
            on_progress: Called with a :class:`JobProgress` after every poll.

        Returns:
            MusicOutput: ``.audio_url``; ``await .save(dir)``.
        """
        return self._feature(
            "generate_music", model, extra, wait=wait, poll_timeout=poll_timeout,
            poll_interval=poll_interval, on_progress=on_progress, prompt=prompt,
            duration=duration, instrumental=instrumental,
        )  # fmt: skip

    # ── code and content (text tools: top-level conversationId = type) ───────────────

    def generate_code(
        self,
        prompt: str,
        model: str | CodeModel | None = None,
        *,
        web_search: bool = False,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write code (``CODE_GENERATOR``).

        Args:
            prompt: What to write.
            model: Default ``gpt-4o``.
            web_search: Let the model read web results (``webSearch: true``).
            extra: Extra ``promptObject`` fields (``numOfSite``, ``maxWord``).

        Returns:
            ChatOutput: ``.text`` is the answer.
        """
        return self._feature("generate_code", model, extra, prompt=prompt, web_search=web_search)

    def check_grammar(
        self, text: str, model: str | ChatModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Correct grammar and spelling (``GRAMMAR_CHECKER``).

        Args:
            text: The text.
            model: Any chat model; default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the corrected text.
        """
        return self._feature("check_grammar", model, extra, text=text)

    def paraphrase(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        num_sections: int = 1,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Paraphrase a text (``PARAPHRASER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (undocumented for this type; sent only when given).
            num_words: ``numberOfWord`` (default: the text's word count).
            num_sections: ``numberOfSection``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the paraphrase.
        """
        return self._feature(
            "paraphrase", model, extra, text=text, tone=tone, language=language,
            num_words=num_words, num_sections=num_sections,
        )  # fmt: skip

    def rewrite(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Rewrite a text (``REWRITER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (sent only when given).
            num_words: ``numberOfWord`` (default: the text's word count).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the rewritten text.
        """
        return self._feature(
            "rewrite", model, extra, text=text, tone=tone, language=language, num_words=num_words
        )

    def summarize(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        language: str | None = None,
        tone: str = "professional",
        num_bullets: int = 5,
        num_words: int = 150,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Summarize a text (``SUMMARIZER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            language: Output language (sent only when given).
            tone: Tone of the summary.
            num_bullets: ``numberOfBullet``.
            num_words: ``numberOfWord``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the summary.
        """
        return self._feature(
            "summarize", model, extra, text=text, language=language, tone=tone,
            num_bullets=num_bullets, num_words=num_words,
        )  # fmt: skip

    def expand_content(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Expand a text (``CONTENT_EXPANDER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (sent only when given).
            num_words: ``numberOfWord`` (default: twice the text's word count).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the longer text.
        """
        return self._feature(
            "expand_content", model, extra, text=text, tone=tone, language=language,
            num_words=num_words,
        )  # fmt: skip

    def shorten_content(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Shorten a text (``CONTENT_SHORTENER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (sent only when given).
            num_words: ``numberOfWord`` (default: half the text's word count).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the shorter text.
        """
        return self._feature(
            "shorten_content", model, extra, text=text, tone=tone, language=language,
            num_words=num_words,
        )  # fmt: skip

    def translate(
        self,
        text: str,
        target_language: str,
        model: str | ChatModel | None = None,
        *,
        source_language: str | None = None,
        domain: str | None = None,
        tone: str | None = None,
        writing_style: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Translate a text (``CONTENT_TRANSLATOR``).

        Args:
            text: The text.
            target_language: ``targetLanguage`` (e.g. ``en``).
            model: Default ``gpt-4o-mini``.
            source_language: ``originalLanguage`` (default ``auto`` — a guess).
            domain: Subject domain ("" when not given).
            tone: Tone ("" when not given).
            writing_style: ``writingStyle`` ("" when not given).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the translation.
        """
        return self._feature(
            "translate", model, extra, text=text, target_language=target_language,
            source_language=source_language, domain=domain, tone=tone,
            writing_style=writing_style,
        )  # fmt: skip

    def detect_ai_content(
        self, text: str, *, model: str | ChatModel | None = None, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Estimate whether a text was written by AI (unverified: best effort).

        There is no evidence the service has an AI-detector feature (it is not among the
        live feature types); this sends type ``AI_DETECTOR`` with ``prompt``, kept for
        compatibility with the earlier package. Expect the service to refuse it (the
        emulator refuses it with ``INVALID_FEATURE_TYPE`` unless a test opts in).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the verdict.
        """
        return self._feature("detect_ai_content", model, extra, text=text)

    def research_keywords(
        self,
        topic: str,
        model: str | ChatModel | None = None,
        *,
        research_type: str = "KEYWORD_STATISTICS",
        num_words: int = 500,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Research keywords for a topic (``KEYWORD_RESEARCH``).

        Args:
            topic: The topic (``prompt``).
            model: Default ``gpt-4o-mini``.
            research_type: ``researchType``.
            num_words: ``numberOfWord``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the research.
        """
        return self._feature(
            "research_keywords", model, extra, topic=topic, research_type=research_type,
            num_words=num_words,
        )  # fmt: skip

    def generate_blog_article(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        language: str = "English",
        tone: str = "informative",
        num_words: int = 1000,
        num_sections: int = 5,
        keywords: str | Sequence[str] | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write a blog article (``CONTENT_GENERATOR_BLOG_ARTICLE``).

        Args:
            prompt: The subject.
            model: Default ``gpt-4o-mini``.
            language: Article language.
            tone: Tone.
            num_words: ``numberOfWord``.
            num_sections: ``numberOfSection``.
            keywords: Keywords (list or comma-separated string).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the article.
        """
        return self._feature(
            "generate_blog_article", model, extra, prompt=prompt, language=language, tone=tone,
            num_words=num_words, num_sections=num_sections, keywords=keywords,
        )  # fmt: skip

    def generate_email(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write an email (``CONTENT_GENERATOR_EMAIL``; fields beyond ``prompt`` guessed).

        Args:
            prompt: What the email is about.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the email.
        """
        return self._feature(
            "generate_email", model, extra, prompt=prompt, tone=tone, language=language,
            num_words=num_words,
        )  # fmt: skip

    def generate_email_reply(
        self,
        original_email: str,
        instructions: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str = "English",
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Reply to an email (``CONTENT_GENERATOR_EMAIL_REPLY``).

        The type's fields are undocumented: the email and the instructions travel together
        in ``prompt``.

        Args:
            original_email: The email to answer.
            instructions: What the reply should say.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the reply.
        """
        return self._feature(
            "generate_email_reply", model, extra, original_email=original_email,
            instructions=instructions, tone=tone, language=language,
        )  # fmt: skip

    def generate_social_post(
        self,
        prompt: str,
        platform: str | SocialPlatform,
        model: str | ChatModel | None = None,
        *,
        tone: str = "friendly",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write a social media post (``CONTENT_GENERATOR_<PLATFORM>_POST``).

        Args:
            prompt: What the post is about.
            platform: ``instagram``, ``facebook``, ``linkedin``, ``tiktok``, ``x`` or ``twitter``.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the post.

        Raises:
            InvalidRequestError: an unknown platform (a ``ValueError``), before any request.
        """
        return self._feature(
            "generate_social_post", model, extra, prompt=prompt, platform=platform, tone=tone,
            language=language, num_words=num_words,
        )  # fmt: skip

    def generate_social_comment(
        self,
        post_text: str,
        platform: str | SocialPlatform,
        model: str | ChatModel | None = None,
        *,
        tone: str = "friendly",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write a comment on a post (``CONTENT_GENERATOR_<PLATFORM>_COMMENT``).

        Args:
            post_text: The post to comment on (``prompt``).
            platform: ``facebook``, ``linkedin``, ``x`` or ``twitter``.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the comment.

        Raises:
            InvalidRequestError: an unknown platform (a ``ValueError``), before any request.
        """
        return self._feature(
            "generate_social_comment", model, extra, post_text=post_text, platform=platform,
            tone=tone, language=language, num_words=num_words,
        )  # fmt: skip

    def generate_ad_copy(
        self,
        prompt: str,
        platform: str | SocialPlatform,
        model: str | ChatModel | None = None,
        *,
        tone: str = "persuasive",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write ad copy (``CONTENT_GENERATOR_FACEBOOK_ADS`` / ``_GOOGLE_ADS``).

        Args:
            prompt: The product or offer.
            platform: ``facebook`` or ``google``.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the ad copy.

        Raises:
            InvalidRequestError: an unknown platform (a ``ValueError``), before any request.
        """
        return self._feature(
            "generate_ad_copy", model, extra, prompt=prompt, platform=platform, tone=tone,
            language=language, num_words=num_words,
        )  # fmt: skip

    def generate_presentation(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        tone: str | None = None,
        language: str = "English",
        num_slides: int = 10,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Outline a presentation (unverified: best effort).

        ``PRESENTATION_GENERATOR`` appears only in an old feature list and is not among the
        live feature types; the fields (``prompt``, ``language``, ``numberOfSlide``) are a
        guess. Kept for compatibility with the earlier package; the emulator refuses the
        type unless a test opts in.

        Args:
            prompt: The subject.
            model: Default ``gpt-4o-mini``.
            tone: Tone (not sent by default).
            language: Language.
            num_slides: ``numberOfSlide``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the outline.
        """
        return self._feature(
            "generate_presentation", model, extra, prompt=prompt, tone=tone, language=language,
            num_slides=num_slides,
        )  # fmt: skip

    def summarize_youtube(
        self,
        url: str,
        model: str | ChatModel | None = None,
        *,
        language: str = "English",
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Summarize a YouTube video (``YOUTUBE_SUMMARIZER``; ``videoUrl`` at both levels).

        Args:
            url: The video URL.
            model: Default ``gpt-4o-mini``.
            language: Summary language.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the summary.
        """
        return self._feature("summarize_youtube", model, extra, url=url, language=language)

    def transcribe_youtube(
        self, url: str, model: str | ChatModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Transcribe a YouTube video (``YOUTUBE_TRANSCRIBER``).

        Args:
            url: The video URL.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the transcript.
        """
        return self._feature("transcribe_youtube", model, extra, url=url)

    def translate_youtube(
        self,
        url: str,
        target_language: str,
        model: str | ChatModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Translate a YouTube video's speech (``YOUTUBE_TRANSLATOR``).

        Args:
            url: The video URL.
            target_language: ``targetLanguage``.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the translation.
        """
        return self._feature(
            "translate_youtube", model, extra, url=url, target_language=target_language
        )

    def translate_document(
        self,
        file_id: str | AssetRecord,
        target_language: str,
        model: str | ChatModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Translate an uploaded document (unverified: best effort).

        There is no evidence the service has ``DOCUMENT_TRANSLATOR`` (it is not among the
        live feature types); the document is referenced by its file id in ``fileList``,
        the way documents are referenced elsewhere. Kept for compatibility; the emulator
        refuses the type unless a test opts in.

        Args:
            file_id: ``AssetRecord.file_id`` from :meth:`upload_asset` (or the record).
            target_language: ``targetLanguage``.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the translation.
        """
        from ..types import AssetRecord

        fid = file_id.file_id if isinstance(file_id, AssetRecord) else file_id
        return self._feature(
            "translate_document", model, extra, file_id=fid, target_language=target_language
        )
