"""Placeholder: the declarative feature registry (replaced by the media-features work)."""

from __future__ import annotations

from .constants import FeatureType


def all_feature_types() -> list[str]:
    """Every feature type the catalog can be asked about."""
    return [f.value for f in FeatureType]
