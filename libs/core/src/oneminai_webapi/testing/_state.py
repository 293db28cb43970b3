"""In-memory state of one emulator: conversations, records, assets, credits, scripts."""

from __future__ import annotations

import collections
import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Union

from ._config import EmulatorConfig


def new_id() -> str:
    """A fresh uuid4 string."""
    return str(uuid.uuid4())


def now_iso() -> str:
    """Current UTC time as ``2024-09-30T03:47:29.738Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def key_stamp() -> str:
    """Current UTC time as ``YYYY_MM_DD_HH_MM_SS_mmm`` (asset key prefix)."""
    return datetime.now(timezone.utc).strftime("%Y_%m_%d_%H_%M_%S_%f")[:-3]


@dataclass
class Message:
    """One stored conversation message.

    Attributes:
        uuid: Message id (the ``afterId`` cursor of the messages route).
        role: Wire role: ``"USER"`` for the user, the model id for answers (as the web app).
        content: Message text.
        model: Model of the turn.
        ai_record_id: The aiRecord uuid of the turn.
        created_at: ISO timestamp.
        credit: Credits charged (answers only).
    """

    uuid: str
    role: str
    content: str
    model: str
    ai_record_id: str
    created_at: str
    credit: int = 0

    @property
    def is_user(self) -> bool:
        """Whether the user wrote it."""
        return self.role == "USER"

    def to_json(self, conversation_id: str) -> dict[str, Any]:
        """The wire shape used by the messages route."""
        return {
            "uuid": self.uuid,
            "conversationId": conversation_id,
            "role": self.role,
            "content": self.content,
            "model": self.model,
            "aiRecordId": self.ai_record_id,
            "credit": self.credit,
            "executionTime": 0 if self.is_user else 12,
            "createdAt": self.created_at,
        }


@dataclass
class Conversation:
    """A stored conversation with its message history."""

    uuid: str
    title: str
    type: str
    model: str | None
    created_at: str
    team_id: str
    user_id: str
    file_list: list[str] = field(default_factory=list)
    youtube_url: str | None = None
    tag_ids: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    updated_at: str = ""

    def to_json(self) -> dict[str, Any]:
        """The ``conversation`` object of the wire protocol."""
        files = [
            {
                "conversationId": self.uuid,
                "fileId": f,
                "createdAt": self.created_at,
                "createdBy": "SYSTEM",
                "updatedAt": self.created_at,
                "updatedBy": "SYSTEM",
            }
            for f in self.file_list
        ]
        return {
            "uuid": self.uuid,
            "title": self.title,
            "type": self.type,
            "model": self.model,
            "status": "ACTIVE",
            "teamId": self.team_id,
            "userId": self.user_id,
            "youtubeUrl": self.youtube_url,
            "tagIds": list(self.tag_ids),
            "metadata": {"fileToken": 0, "fileCharacter": 0} if files else None,
            "conversationFile": files,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at or self.created_at,
        }


@dataclass
class Asset:
    """An uploaded or generated file served by the download route."""

    key: str
    uuid: str
    name: str
    mimetype: str
    data: bytes | None
    created_at: str
    original_name: str = ""
    source_url: str | None = None


@dataclass
class ChatTurn:
    """What a scripted reply function receives.

    Attributes:
        prompt: The user prompt (or the feature's main input).
        model: The model id.
        history: Messages the "model" sees as context (oldest first).
        attachments: ``{"images": [...], "files": [...]}``.
        web_search: Whether web search was on.
        conversation_id: The conversation id (or pseudo id / ``None``).
        feature_type: ``UNIFY_CHAT_WITH_AI`` or the feature type for text features.
        prompt_object: The raw ``promptObject``.
    """

    prompt: str
    model: str
    history: list[Message]
    attachments: dict[str, list[str]]
    web_search: bool
    conversation_id: str | None
    feature_type: str
    prompt_object: dict[str, Any]


ScriptItem = Union[str, Callable[[ChatTurn], str]]  # noqa: UP007 - runtime alias on 3.10


@dataclass
class RecordedRequest:
    """One request as the emulator saw it.

    Attributes:
        method: HTTP method.
        path: URL path.
        query: Query parameters (last value wins).
        headers: Lower-cased header names.
        json: Parsed JSON body, or ``None``.
        multipart: ``[{"name", "filename", "content_type", "size", "value"}]`` parts
            (``value`` holds non-file fields).
        body: Raw body (only when ``config.record_bodies``).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    multipart: list[dict[str, Any]] = field(default_factory=list)
    body: bytes | None = None

    @property
    def multipart_names(self) -> list[str]:
        """Field names of the multipart parts."""
        return [p["name"] for p in self.multipart]


@dataclass
class Job:
    """An async feature job."""

    record: dict[str, Any]
    final_result: list[str]
    temporary_url: str | None
    created: float
    polls: int = 0


@dataclass
class Stats:
    """Live counters (read them from tests)."""

    total_requests: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    open_streams: int = 0
    peak_open_streams: int = 0
    streams_started: int = 0


class _Bucket:
    __slots__ = ("stamp", "tokens")

    def __init__(self, tokens: float) -> None:
        self.tokens = tokens
        self.stamp = time.monotonic()


class State:
    """Everything the emulator remembers. ``reset()`` empties it."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.stats = Stats()
        self.tokens: dict[str, bool] = {}  # jwt -> still valid
        self.reset()

    def reset(self) -> None:
        """Forget conversations, records, assets, requests, scripts; restore credits."""
        #: Bumped by every reset, so a request that arrived before it (say, one stalled by
        #: a fault) cannot touch the state of whatever runs next.
        self.epoch = getattr(self, "epoch", 0) + 1
        self.conversations: dict[str, Conversation] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, Job] = {}
        self.assets: dict[str, Asset] = {}
        self.credits = self.config.initial_credits
        self.used_credits = 0
        #: The latest charge: records report ``usedCredit`` before it, as the service does.
        self.last_charge = 0
        self.script: collections.deque[ScriptItem] = collections.deque()
        self.buckets: dict[str, _Bucket] = {}
        self.user_settings: dict[str, Any] = {"chatbot": True, "homepage": "chat"}
        self.notebook: str | None = None
        self.feature_settings: dict[str, dict[str, Any]] = {}
        self.tags: list[dict[str, Any]] = []
        self.notifications: dict[str, dict[str, Any]] = {
            "5d7c1b2a-0000-4000-8000-000000000001": {
                "uuid": "5d7c1b2a-0000-4000-8000-000000000001",
                "type": "SYSTEM",
                "scope": "USER",
                "content": "Welcome to the 1min.AI emulator",
                "status": "UNREAD",
            }
        }
        self.requests.clear()
        self.stats.total_requests = 0
        self.stats.peak_in_flight = self.stats.in_flight
        self.stats.peak_open_streams = self.stats.open_streams
        self.stats.streams_started = 0
        self._counter = 0

    def counter(self) -> int:
        """A process-unique increasing integer (used in generated asset names)."""
        with self._lock:
            self._counter += 1
            return self._counter

    # ----- credits / rate limit ---------------------------------------------------------
    def try_charge(self, amount: int) -> bool:
        """Charge ``amount`` credits; ``False`` when the team cannot afford it."""
        with self._lock:
            if self.credits < amount or self.credits <= 0:
                return False
            self.credits -= amount
            self.used_credits += amount
            self.last_charge = amount
            return True

    def rate_limit_wait(self, credential: str) -> float:
        """Take one token; return 0 when allowed, else seconds until a token is available."""
        per_min = max(1, self.config.rate_limit_per_minute)
        size = float(max(1, self.config.rate_limit_burst or per_min))
        rate = per_min / 60.0
        with self._lock:
            b = self.buckets.get(credential)
            if b is None:
                b = self.buckets[credential] = _Bucket(size)
            now = time.monotonic()
            b.tokens = min(size, b.tokens + (now - b.stamp) * rate)
            b.stamp = now
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return max(0.001, (1.0 - b.tokens) / rate)

    @staticmethod
    def retry_after_header(wait: float) -> str:
        """Whole seconds for ``Retry-After``."""
        return str(max(1, math.ceil(wait)))

    # ----- scripted replies -------------------------------------------------------------
    def next_script(self) -> ScriptItem | None:
        """Pop the next scripted reply, if any."""
        with self._lock:
            return self.script.popleft() if self.script else None
