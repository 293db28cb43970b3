"""Media and content feature methods (filled in from the feature registry)."""

from __future__ import annotations


class MediaMethods:
    """Image, audio, video, music, code and writing features."""
