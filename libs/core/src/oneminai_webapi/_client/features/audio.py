"""Audio features: speech, sound effects, transcripts, voices, and music.

Each method is declared once, by its signature and docstring (``@feature``, see
``_feature.py``); the feature registry maps its arguments onto ``promptObject`` for each
model family (``_registry/_audio.py``), and ``_protocol/_features.py`` runs the call.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ...constants import DEFAULT_SAMPLE_TEXT, MusicModel, STTModel, TTSModel, TTSVoice
from ._feature import AudioFile, Extra, Progress, feature

if TYPE_CHECKING:
    from ...types import AudioOutput, MusicOutput, TranscriptionOutput


class AudioMethods:
    """Audio features (``TEXT_TO_SPEECH``, ``SPEECH_TO_TEXT``, ``VOICE_*``, ``MUSIC_*``, …)."""

    @feature("TEXT_TO_SPEECH", "Speak a text.")
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

    @feature("TEXT_TO_SOUND", "Generate a sound effect.")
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

    @feature("SPEECH_TO_TEXT", "Transcribe speech.")
    def speech_to_text(
        self,
        audio_url: AudioFile,
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

    @feature("AUDIO_TRANSLATOR", "Translate speech into text.")
    def translate_audio(
        self,
        audio_url: AudioFile,
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

    @feature("CAPTIONS_GENERATOR", "Caption an audio or video file.")
    def generate_captions(
        self,
        audio_or_video_url: AudioFile,
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

    @feature("VOICE_ISOLATOR", "Isolate the voice of a recording.")
    def isolate_voice(
        self, audio_url: AudioFile, *, model: str | None = None, extra: Extra = None
    ) -> Awaitable[AudioOutput]:
        """Isolate the voice of a recording (``VOICE_ISOLATOR``; fields guessed: ``audioUrl``).

        Args:
            audio_url: The recording.
            model: Default ``elevenlabs-voice-isolator``.
            extra: Extra ``promptObject`` fields.

        Returns:
            AudioOutput: the isolated voice.
        """

    @feature("VOICE_CHANGER", "Say a recording in another voice.")
    def change_voice(
        self,
        audio_url: AudioFile,
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

    @feature("VOICE_CLONING", "Speak in a voice cloned from a sample.")
    def clone_voice(
        self,
        audio_url: AudioFile,
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

    @feature("VOICE_DESIGN", "Design a voice from a description.")
    def design_voice(
        self,
        description: str,
        sample_text: str = DEFAULT_SAMPLE_TEXT,
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

    @feature("MUSIC_GENERATOR", "Generate music.")
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
