"""The media and content features of both clients, one module per media kind.

* ``images.py`` — image generation and editing; ``audio.py`` — speech, sound, transcripts,
  voices, music; ``video.py`` — video (long-running); ``text.py`` — code and writing tools.
* ``_feature.py`` — ``@feature``: each method is its signature and docstring; the decorator
  binds a call to the signature and runs it. The registry's method table
  (``_registry.METHODS``) is built from the same signatures, so the CLI, the agent tools
  and the emulator's catalog cannot drift from the client.

Every call is validated through the feature registry (``_registry``: which ``promptObject``
fields the model family takes and which values it allows) before anything is sent, then runs
:func:`oneminai_webapi._protocol._features.run`. The annotations describe the async client
(``Awaitable[X]``); the sync client returns ``X`` directly.

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

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from ._feature import FeatureSpec, Progress, feature_spec
from .audio import AudioMethods
from .images import ImageMethods
from .text import TextMethods
from .video import VideoMethods

if TYPE_CHECKING:
    from ..._protocol._context import Context
    from ..._protocol._ops import Op
    from ...types import AudioOutput, ImageOutput, TranscriptionOutput, VideoOutput

__all__ = ["FeatureMethods", "feature_specs"]

#: The feature classes in the order of the method table.
KINDS: tuple[type, ...] = (ImageMethods, AudioMethods, VideoMethods, TextMethods)


class FeatureMethods(ImageMethods, AudioMethods, VideoMethods, TextMethods):
    """Image, audio, video, music, code and writing features."""

    _ctx: Context

    def _run(self, op: Op[Any]) -> Awaitable[Any]:  # pragma: no cover - the drivers'
        raise NotImplementedError

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
        from ..._protocol import _features as features
        from ..._protocol._chat import require_text

        rid = require_text(getattr(record_id, "record_id", record_id), "record_id")
        poll = features.poll_options(poll_timeout, poll_interval, on_progress)
        self._ctx.require_credential()
        return self._run(features.bind_outputs(self, features.wait_for(self._ctx, rid, poll)))


def feature_specs() -> list[FeatureSpec]:
    """Every feature method's :class:`FeatureSpec`, in declaration order by media kind."""
    specs = []
    for kind in KINDS:
        for member in vars(kind).values():
            spec = feature_spec(member)
            if spec is not None:
                specs.append(spec)
    return specs
