"""Video features: text to video, image to video, face swap (long-running jobs).

Each method is declared once, by its signature and docstring (``@feature``, see
``_feature.py``); the feature registry maps its arguments onto ``promptObject`` for each
model family (``_registry/_video.py``), and ``_protocol/_features.py`` runs the call:
``"async": true``, then polling until the record is done.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ...constants import VideoModel
from ._feature import Extra, ImageFile, Progress, VideoFile, feature

if TYPE_CHECKING:
    from ...types import VideoOutput


class VideoMethods:
    """Video features (``TEXT_TO_VIDEO``, ``IMAGE_TO_VIDEO``, ``VIDEO_FACE_SWAPPER``)."""

    @feature("TEXT_TO_VIDEO", "Generate a video from a prompt.")
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

    @feature("IMAGE_TO_VIDEO", "Animate an image.")
    def image_to_video(
        self,
        image_url: ImageFile,
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

    @feature("VIDEO_FACE_SWAPPER", "Swap a face into a video.")
    def swap_face_in_video(
        self,
        video_url: VideoFile,
        face_image_url: ImageFile,
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
