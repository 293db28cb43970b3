"""The public media and content methods as data, built from their signatures.

The methods are declared once, in ``_client/features/`` (``images.py``, ``audio.py``,
``video.py``, ``text.py``), with ``@feature(type, summary)``. Their signatures are the source
of this table: a :class:`Method` row per method lists every Python parameter except
``model`` and the control options (``extra``, ``wait``, ``poll_timeout``, ``poll_interval``,
``on_progress``) with its default (enum members as their values; :data:`REQUIRED` for
parameters without one), the file inputs (annotated ``ImageFile``/``AudioFile``/
``VideoFile``) with their asset type, and the feature type, or the ``platform`` route that
picks it. The CLI and the agent tools are generated from these rows.

Reading the signatures imports ``_client.features`` (declarations only: no transport, no
driver) the first time the table is used.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

#: Re-exported: defined in ``constants`` so the client signatures do not import the registry.
from ..constants import AD_PLATFORMS as AD_PLATFORMS
from ..constants import DEFAULT_SAMPLE_TEXT as DEFAULT_SAMPLE_TEXT
from ..constants import SOCIAL_COMMENT_PLATFORMS as SOCIAL_COMMENT_PLATFORMS
from ..constants import SOCIAL_POST_PLATFORMS as SOCIAL_POST_PLATFORMS
from ._engine import plain
from ._schema import REQUIRED, InputKind, Method


def build_methods() -> Mapping[str, Method]:
    """Method name → :class:`Method`, read from the feature methods' signatures."""
    from .._client.features import feature_specs

    rows: dict[str, Method] = {}
    for spec in feature_specs():
        params = {
            name: REQUIRED if default is inspect.Parameter.empty else plain(default)
            for name, default in spec.params.items()
        }
        inputs = {name: cast(InputKind, kind) for name, kind in spec.inputs.items()}
        route: tuple[str, Mapping[str, Any]] | None = spec.route
        rows[spec.name] = Method(
            spec.name,
            spec.feature_type,
            MappingProxyType(params),
            MappingProxyType(inputs),
            route,
            spec.summary,
        )
    return MappingProxyType(rows)
