"""Output types returned by the client.

They are pydantic models: ``model_dump()`` gives plain data, unknown server fields never
break parsing (the raw record stays in ``metadata``/``raw``), and reprs are short and never
contain credentials.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from ._credits import record_credits
from .exceptions import UnboundOutputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "AssetRecord",
    "AudioOutput",
    "ChatOutput",
    "ConversationRecord",
    "CreditEstimate",
    "GeneratedImage",
    "ImageOutput",
    "JobProgress",
    "MessageRecord",
    "ModelCreditEstimate",
    "ModelInfo",
    "MusicOutput",
    "NotificationRecord",
    "Source",
    "TranscriptionOutput",
    "UserRecord",
    "VideoOutput",
]


def _preview(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class OutputSaver(Protocol):
    """What a saveable output needs from the client that made it: a download to a folder.

    Both clients have it (outputs are plain data and do not import the clients). The async
    client's download returns an awaitable of the path, the sync client's the path itself.
    """

    def _save_url(
        self,
        url: str,
        directory: str | Path,
        filename: str | None,
        verbose: bool,
        on_progress: Callable[[int, int | None], None] | None = None,
        overwrite: bool = False,
    ) -> Any: ...


class _Output(BaseModel):
    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True, defer_build=True)

    # The client that produced this object, so that ``save()`` downloads through the same
    # connection pool, proxy and timeouts (and is awaitable or not, like that client).
    _client: OutputSaver | None = PrivateAttr(default=None)

    def _bind(self, client: OutputSaver) -> None:
        self._client = client


def _settled(private: dict[str, Any] | None) -> dict[str, Any]:
    """Private attributes without the stream-buffer reference of a chunk."""
    return {k: v for k, v in (private or {}).items() if k != "_lazy_text"}


class Source(BaseModel):
    """A web page the model read before answering (web search), or a link from the prompt.

    Unknown fields the service sends are kept (``model_extra``). For code written against
    the earlier list of dicts, ``source["url"]``, ``source.get("title")`` and ``"url" in
    source`` still work.

    Attributes:
        title: The page title ("" when unknown).
        url: The page address ("" when unknown).
        snippet: An excerpt of the page ("" when unknown).
    """

    model_config = ConfigDict(extra="allow", defer_build=True)

    title: str = ""
    url: str = ""
    snippet: str = ""

    def _as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, **(self.__pydantic_extra__ or {})}

    def __getitem__(self, key: str) -> Any:
        return self._as_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The field or extra value ``key``, else ``default`` (like ``dict.get``)."""
        return self._as_dict().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._as_dict()

    def keys(self) -> list[str]:
        """Field and extra names (like ``dict.keys``)."""
        return list(self._as_dict())

    def __repr__(self) -> str:
        return f"<Source title={_preview(self.title, 40)!r} url={self.url!r}>"


class ChatOutput(_Output):
    """A chat answer, or one chunk of a streamed answer.

    Attributes:
        text: The full text so far (the whole answer on the final chunk).
        text_delta: The text added by this chunk ("" for non-streamed answers).
        model: The model that answered.
        conversation_id: The server-side conversation, when there is one.
        record_id: The ``aiRecord`` uuid (on the final chunk).
        is_final: True on a non-streamed answer and on the last chunk of a stream.
        sources: Web-search sources (:class:`Source`), when the service reported any (final
            chunk).
        metadata: The raw ``aiRecord`` (on the final chunk).
        credits_used: Credits the call cost, as the record reports them (final chunk only;
            ``None`` when the service does not say).
        input_credits: The part of ``credits_used`` charged for the input.
        output_credits: The part of ``credits_used`` charged for the answer.

    The chunks of one stream share a single buffer: a chunk's ``text`` is joined from it
    when first read, so memory stays linear in the length of the answer. Reading ``text``
    on every chunk costs time proportional to the text so far each time; to print or
    collect a stream, use ``text_delta``.
    """

    text: str = ""
    text_delta: str = ""
    model: str = ""
    conversation_id: str | None = None
    record_id: str | None = None
    is_final: bool = True
    sources: list[Source] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    credits_used: int | None = None
    input_credits: int | None = None
    output_credits: int | None = None

    # ``(TextBuffer, end)`` while a stream chunk's ``text`` has not been read yet.
    _lazy_text: Any = PrivateAttr(default=None)

    def _fill_text(self) -> str:
        """Join this chunk's ``text`` from its stream's buffer (once) and keep it."""
        # Thread-safe without a lock: read the buffer reference before ``__dict__`` here,
        # and publish the new ``__dict__`` before dropping the reference.
        private = self.__pydantic_private__
        lazy = private.get("_lazy_text") if private else None
        fields = self.__dict__
        text: str
        if "text" in fields:  # already joined, or assigned
            text = fields["text"]
        elif lazy is None:
            return ""
        else:
            text = lazy[0].text(lazy[1])
            object.__setattr__(self, "__dict__", {"text": text, **fields})
        if lazy is not None:
            private["_lazy_text"] = None  # type: ignore[index]
        return text

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Reached only when ``text`` is not in ``__dict__`` yet (a fresh stream chunk).
            if name == "text":
                return self._fill_text()
            return super().__getattr__(name)

    def _serialize_with_text(self, handler: SerializerFunctionWrapHandler) -> Any:
        if "text" not in self.__dict__:
            self._fill_text()
        return handler(self)

    # Without a return annotation pydantic keeps the fields' JSON schema.
    del _serialize_with_text.__annotations__["return"]
    _serialize = model_serializer(mode="wrap")(_serialize_with_text)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChatOutput):
            self._fill_text()
            other._fill_text()
            return (
                type(self) is type(other)
                and self.__dict__ == other.__dict__
                and self.__pydantic_extra__ == other.__pydantic_extra__
                and _settled(self.__pydantic_private__) == _settled(other.__pydantic_private__)
            )
        return super().__eq__(other)

    def __iter__(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        self._fill_text()
        return super().__iter__()

    def __getstate__(self) -> dict[Any, Any]:
        self._fill_text()
        state = super().__getstate__()
        state["__pydantic_private__"] = _settled(state.get("__pydantic_private__"))
        return state

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        kind = "" if self.is_final else " chunk"
        return f"<ChatOutput{kind} model={self.model!r} text={_preview(self.text)!r}>"


class _Saveable(_Output):
    """A result with a downloadable file."""

    def _download_url(self) -> str:
        raise NotImplementedError

    def save(
        self,
        directory: str | Path = ".",
        filename: str | None = None,
        verbose: bool = False,
        *,
        on_progress: Callable[[int, int | None], None] | None = None,
        overwrite: bool = False,
    ) -> Any:
        """Download the file into ``directory`` and return its path.

        The file is streamed to a temporary name and renamed when complete, so a failed
        download never leaves a partial file. With the async client this returns an
        awaitable (``await out.save("out/")``); with the sync client, the path itself. An
        output that no client made has nothing to download with: save it with
        ``client.save(output, directory)``.

        The name in the URL is the server's suggestion: it is reduced to a safe base name
        (no folders, control characters or leading dot, at most 120 bytes) whose extension
        fits the Content-Type. An existing file is never replaced unless ``overwrite`` is
        set: the file then gets the first free name ``name (1).ext``, ``name (2).ext``...

        Args:
            directory: Folder to write into (created when missing).
            filename: File name; by default the name in the URL, with the right extension.
            verbose: Print the saved path.
            on_progress: Called with ``(bytes_received, total_bytes)`` when the download
                starts and after every chunk; ``total_bytes`` is ``None`` when the server
                does not say.
            overwrite: Replace an existing file of the same name.

        Raises:
            UnboundOutputError: No client made this output (nothing is downloaded).
            FileSaveError: The file could not be written (nothing is left behind).
            ResponseTooLargeError: The file is larger than the client's
                ``max_download_bytes``.
        """
        client = self._client
        if client is None:
            raise UnboundOutputError(
                f"this {type(self).__name__} was not made by a client (built or deserialized"
                " by hand), so it has no connection to download with: use"
                " client.save(output, directory) (await it on the async client)"
            )
        args = (self._download_url(), directory, filename, verbose, on_progress, overwrite)
        return client._save_url(*args)


class GeneratedImage(_Saveable):
    """One generated image.

    Attributes:
        url: Absolute download URL.
        key: The asset key (usable as ``image_url`` in later calls), when known.
        model: The model that made it.
    """

    url: str
    key: str | None = None
    model: str = ""

    def _download_url(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"<GeneratedImage model={self.model!r} url={self.url!r}>"


class _FeatureResult(_Output):
    """What every feature result carries besides its payload.

    Attributes:
        model: The model that made it.
        record_id: The ``aiRecord`` uuid.
        status: ``SUCCESS``, or ``PROCESSING`` for a job started with ``wait=False``.
        metadata: The raw ``aiRecord``.
        credits_used: Credits the call cost, when the record reports them (``None`` when it
            does not: image records seen live carry none).
        input_credits: The part of ``credits_used`` charged for the input.
        output_credits: The part of ``credits_used`` charged for the output.
    """

    model: str = ""
    record_id: str | None = None
    #: ``SUCCESS``, or ``PROCESSING`` for a job started with ``wait=False``.
    status: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)
    credits_used: int | None = None
    input_credits: int | None = None
    output_credits: int | None = None

    @model_validator(mode="after")
    def _credits_from_record(self) -> _FeatureResult:
        """Read the credits from the record in ``metadata`` unless they were given."""
        if self.metadata and self.credits_used is None and self.input_credits is None:
            used, given, produced = record_credits(self.metadata)
            if used is not None or given is not None:
                self.__dict__.update(
                    credits_used=used, input_credits=given, output_credits=produced
                )
        return self


class ImageOutput(_FeatureResult):
    """The result of an image feature: one or more images.

    ``images`` is empty while ``status`` is ``PROCESSING`` (a job started with
    ``wait=False``; see ``client.wait_for_result``).
    """

    images: list[GeneratedImage] = Field(default_factory=list)

    @property
    def image(self) -> GeneratedImage | None:
        """The first image, or None."""
        return self.images[0] if self.images else None

    def __repr__(self) -> str:
        return f"<ImageOutput model={self.model!r} images={len(self.images)}>"


class AudioOutput(_Saveable, _FeatureResult):
    """The result of an audio feature (speech, sound, voice tools)."""

    audio_url: str = ""
    key: str | None = None

    def _download_url(self) -> str:
        return self.audio_url

    def __repr__(self) -> str:
        return f"<{type(self).__name__} model={self.model!r} audio_url={self.audio_url!r}>"


class MusicOutput(AudioOutput):
    """The result of music generation."""


class VideoOutput(_Saveable, _FeatureResult):
    """The result of a video feature."""

    video_url: str = ""
    key: str | None = None

    def _download_url(self) -> str:
        return self.video_url

    def __repr__(self) -> str:
        return f"<VideoOutput model={self.model!r} video_url={self.video_url!r}>"


class TranscriptionOutput(_FeatureResult):
    """Text produced from audio or video (transcripts, translations, captions).

    Attributes:
        text: The text exactly as the service returned it (an SRT/VTT document or a JSON
            string for those ``response_format`` values).
        response_format: The format that was asked for (``text``, ``srt``, ``vtt``,
            ``verbose_json``), when the request named one.
    """

    text: str = ""
    response_format: str | None = None

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<TranscriptionOutput model={self.model!r} text={_preview(self.text)!r}>"


class JobProgress(_Output):
    """One observation of a long-running job, handed to ``on_progress`` callbacks.

    Attributes:
        record_id: The ``aiRecord`` uuid.
        status: Its status (``PROCESSING`` until it ends).
        elapsed_s: Seconds since polling started.
        polls: ``GET /api/results`` calls made so far (0 for the initial record).
        record: The raw record.
    """

    record_id: str = ""
    status: str = ""
    elapsed_s: float = 0.0
    polls: int = 0
    record: dict[str, Any] = Field(default_factory=dict, repr=False)


class AssetRecord(_Output):
    """An uploaded file.

    Attributes:
        asset_key: The storage key (``images/…``): use it for ``image_url`` arguments and
            chat ``images``.
        file_id: The file uuid: use it for chat ``files`` and document features.
        asset_type: IMAGE, DOCUMENT, AUDIO or VIDEO.
    """

    asset_key: str
    file_id: str | None = None
    asset_type: str = ""
    filename: str = ""
    mime_type: str = ""
    size: int | None = None
    location: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"<AssetRecord key={self.asset_key!r} file_id={self.file_id!r}>"


class UserRecord(_Output):
    """The signed-in user and their first (or selected) team."""

    user_id: str = ""
    email: str = ""
    team_id: str = ""
    team_name: str = ""
    credit: int = 0
    plan: str = ""
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"<UserRecord email={self.email!r} team={self.team_name!r} credit={self.credit}>"


class ConversationRecord(_Output):
    """A server-side conversation."""

    conversation_id: str
    title: str = ""
    status: str = ""
    model: str | None = None
    created_at: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"<ConversationRecord id={self.conversation_id!r} title={self.title!r}>"


class MessageRecord(_Output):
    """One message of a conversation (``role`` is USER, or the answering model's id)."""

    message_id: str | None = None
    role: str = ""
    content: str = ""
    ai_record_id: str | None = None
    credit: float | None = None
    execution_time: float | None = None
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"<MessageRecord role={self.role!r} content={_preview(self.content)!r}>"


class ModelCreditEstimate(_Output):
    """The estimate for one model."""

    input_tokens: int = 0
    estimated_credit: float = 0


class CreditEstimate(_Output):
    """What a chat turn would cost, per model and in total."""

    models: dict[str, ModelCreditEstimate] = Field(default_factory=dict)
    total_input_tokens: int = 0
    total_estimated_credit: float = 0
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)


class NotificationRecord(_Output):
    """One notification."""

    notification_id: str = ""
    type: str = ""
    scope: str = ""
    content: Any = None
    status: str = ""
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)


class ModelInfo(_Output):
    """One model of the public catalog (``client.list_models()``).

    Placeholder rows (``modelId: "NOT_APPLICABLE"``) are never returned. For code written
    against the earlier ``list[dict]`` answer, ``info["modelId"]`` and ``info.get(...)`` read
    the raw catalog row.

    Attributes:
        id: The model id to pass as ``model=`` (the row's ``modelId``).
        name: Display name.
        provider: The vendor (``openai``, ``anthropic``, …).
        features: Feature types the model serves (``UNIFY_CHAT_WITH_AI``, …).
        input_modalities: ``modality.INPUT`` (``text``, ``image``, …).
        output_modalities: ``modality.OUTPUT``.
        status: ``ACTIVE`` for usable models.
        deprecation_date: When the service retires the model (ISO 8601), if announced.
        credits: ``creditMetadata`` (``INPUT``/``OUTPUT`` credits per token unit,
            ``CONTEXT`` window, …) as the catalog gives it.
        raw: The catalog row as received.
    """

    id: str
    name: str = ""
    provider: str = ""
    features: list[str] = Field(default_factory=list)
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)
    status: str = ""
    deprecation_date: str | None = None
    credits: dict[str, Any] = Field(default_factory=dict)
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)

    @property
    def vision(self) -> bool:
        """Whether the model reads images: ``"image"`` in ``modality.INPUT``.

        (The catalog's ``CHAT_WITH_IMAGE`` feature is deprecated and missing from newer rows.)
        """
        return "image" in self.input_modalities

    @property
    def active(self) -> bool:
        """Whether the catalog marks the model ``ACTIVE``."""
        return self.status.upper() == "ACTIVE"

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def __contains__(self, key: object) -> bool:
        return key in self.raw

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the raw catalog row (dict-style access, for earlier code)."""
        return self.raw.get(key, default)

    def __str__(self) -> str:
        return self.id

    def __repr__(self) -> str:
        return f"<ModelInfo id={self.id!r} provider={self.provider!r} status={self.status!r}>"
