"""Feature types, their output kinds, and the model catalog served at ``GET /models``.

``FEATURE_OUTPUT_KINDS`` is the one table saying what each feature type produces:

* ``"chat"``  – chat types (``UNIFY_CHAT_WITH_AI`` and the legacy ``CHAT_WITH_*`` types);
* ``"text"``  – ``resultObject`` is a one-element list holding the text;
* ``"image"`` / ``"audio"`` / ``"video"`` – ``resultObject`` holds relative asset keys
  (``images/…png``, ``audios/…mp3``, ``videos/…mp4``) and the record has ``temporaryUrl``.

Only the feature types public evidence shows to exist are served (registry rows marked
``listed``); the others answer ``INVALID_FEATURE_TYPE`` unless a test opts in through
``EmulatorConfig.extra_feature_types``.

The catalog reproduces the live rows (docs/protocol.md, "Catalog"): ``status``,
``deprecationDate``, ``modality`` (vision is ``"image"`` in ``modality.INPUT``), and one
placeholder row with ``modelId: "NOT_APPLICABLE"`` per feature. Ids the service withdrew
(:data:`oneminai_webapi.constants.WITHDRAWN_MODELS`) are not served, even though their enum
members still exist.
"""

from __future__ import annotations

import copy
import functools
import json
import uuid
from collections.abc import Iterable
from enum import Enum
from importlib import resources
from typing import Any, Literal

from .. import _registry
from .. import constants as _constants

OutputKind = Literal["chat", "text", "image", "audio", "video"]

# The chat types come from the registry (the one list of feature types).
UNIFIED_CHAT = _registry.CHAT_FEATURE_TYPES[0]
LEGACY_CHAT_TYPES = frozenset(_registry.CHAT_FEATURE_TYPES[1:])

#: Writing/text tools served by every chat model (catalog alias ``@chat``): the registry's
#: listed text tools with the top-level ``conversationId`` (``CODE_GENERATOR`` is ``@code``).
WRITING_TYPES: tuple[str, ...] = tuple(
    t
    for t, f in _registry.FEATURES.items()
    if f.listed and f.conversation_id and f.output == "text" and t != "CODE_GENERATOR"
)

#: The single table of the live feature types (59) and what each one outputs: the chat
#: types plus every ``listed`` row of the feature registry (``oneminai_webapi._registry``).
FEATURE_OUTPUT_KINDS: dict[str, OutputKind] = {
    UNIFIED_CHAT: "chat",
    **dict.fromkeys(sorted(LEGACY_CHAT_TYPES), "chat"),
    **{t: f.output for t, f in _registry.FEATURES.items() if f.listed},
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "@chat": (
        UNIFIED_CHAT,
        "CHAT_WITH_AI",
        "CHAT_WITH_PDF",
        "CHAT_WITH_YOUTUBE_VIDEO",
        *WRITING_TYPES,
    ),
    "@vision": ("CHAT_WITH_IMAGE",),
    "@code": ("CODE_GENERATOR",),
}
_STAMP = "2025-01-01T00:00:00.000Z"


def _features_of_output(kind: str) -> tuple[str, ...]:
    return tuple(t for t, f in _registry.FEATURES.items() if f.output == kind)


#: Every member of the public model enums is served, so code written with ``ChatModel.X``
#: runs against the emulator: enum → the features (or aliases) its models get.
_ENUM_FEATURES: tuple[tuple[type[Enum], tuple[str, ...]], ...] = (
    (_constants.ChatModel, ("@chat",)),
    (_constants.CodeModel, ("@code",)),
    (_constants.ImageModel, _features_of_output("image")),
    (_constants.TTSModel, ("TEXT_TO_SPEECH",)),
    (_constants.STTModel, ("SPEECH_TO_TEXT",)),
    (_constants.VideoModel, _features_of_output("video")),
    (_constants.MusicModel, ("MUSIC_GENERATOR",)),
)


def output_kind(feature_type: str) -> OutputKind | None:
    """Return the output kind of a feature type, or ``None`` when it is not served.

    Registry rows with no evidence that the type exists on the service (``AI_DETECTOR``,
    ``DOCUMENT_TRANSLATOR``, …: ``listed=False``) are not served, as the service would not
    serve them; ``EmulatorConfig.extra_feature_types`` can add them for a test.
    """
    return FEATURE_OUTPUT_KINDS.get(feature_type)


#: The catalog's placeholder model id (one such row per feature, never a usable model).
NOT_APPLICABLE = "NOT_APPLICABLE"


def _expand(features: Iterable[str]) -> list[str]:
    out: list[str] = []
    for f in features:
        for name in _ALIASES.get(f, (f,)):
            if name not in out:
                out.append(name)
    return out


def make_model_entry(
    model_id: str,
    features: Iterable[str],
    *,
    name: str | None = None,
    provider: str = "emulator",
    credit: tuple[float, float, int] = (1.0, 1.0, 128000),
    kind: str = "text",
    cutoff_date: str | None = None,
    vision: bool | None = None,
    status: str = "ACTIVE",
    deprecation_date: str | None = None,
) -> dict[str, Any]:
    """Build one catalog entry shaped like the live rows (aliases like ``@chat`` expand).

    ``vision`` puts ``"image"`` into ``modality.INPUT`` (the live capability signal); by
    default it follows the deprecated ``CHAT_WITH_IMAGE`` feature (alias ``@vision``).
    """
    feats = _expand(features)
    if vision is None:
        vision = "CHAT_WITH_IMAGE" in feats
    text_in = ["text", "image"] if vision else ["text"]
    modality = {"INPUT": text_in, "OUTPUT": [kind]}
    return {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"oneminai-emulator/{model_id}")),
        "modelId": model_id,
        "name": name or model_id,
        "group": provider.upper(),
        "provider": provider,
        "status": status,
        "deprecationDate": deprecation_date,
        "cutoffDate": cutoff_date,
        "logoUrl": f"https://asset.1min.ai/logos/{provider}.png",
        "features": feats,
        "creditMetadata": {
            "INPUT": credit[0],
            "OUTPUT": credit[1],
            "CONTEXT": credit[2],
            "LOW_IMAGE": 0,
            "MAX_OUTPUT_TOKEN": 0,
        },
        "modality": modality,
        "information": {},
        "numberOfStars": 0,
        "creditEstimation": {},
        "createdAt": _STAMP,
        "createdBy": "SYSTEM",
        "updatedAt": _STAMP,
        "updatedBy": "SYSTEM",
    }


@functools.cache
def _default_entries() -> tuple[dict[str, Any], ...]:
    """The built-in catalog, parsed once per process (callers copy it)."""
    raw = json.loads(resources.files(__package__).joinpath("_catalog.json").read_text("utf-8"))
    entries = []
    for m in raw["models"]:
        credit = m.get("credit", [1.0, 1.0, 0])
        entries.append(
            make_model_entry(
                m["modelId"],
                m["features"],
                name=m.get("name"),
                provider=m.get("provider", "emulator"),
                credit=(float(credit[0]), float(credit[1]), int(credit[2])),
                kind=m.get("kind", "text"),
                cutoff_date=m.get("cutoffDate"),
                vision=m.get("vision"),
                deprecation_date=m.get("deprecationDate"),
            )
        )
    return tuple(entries)


def placeholder_entry(feature: str) -> dict[str, Any]:
    """The ``NOT_APPLICABLE`` row the live catalog lists among a feature's models.

    Only its ``modelId`` is evidenced (clients filter it out); the other fields are a
    guess in the shape of the other rows.
    """
    entry = make_model_entry(NOT_APPLICABLE, [feature], name="Not applicable", provider="none")
    entry["uuid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"oneminai-emulator/{feature}/na"))
    entry["group"] = NOT_APPLICABLE
    entry["modality"] = {"INPUT": [], "OUTPUT": []}
    entry["creditMetadata"] = {}
    entry["logoUrl"] = None
    return entry


def _withdrawn(model_id: str) -> bool:
    return model_id in _constants.WITHDRAWN_MODELS


class Catalog:
    """The emulator's mutable model catalog (one per emulator; see :meth:`add`/:meth:`remove`)."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, Any]] = {}
        self._by_feature: dict[str, list[str]] | None = None
        self.reset()

    def reset(self) -> None:
        """Restore the built-in catalog (plus every model the feature registry names)."""
        self._entries = {e["modelId"]: e for e in copy.deepcopy(_default_entries())}
        self._add_registry_models()
        self._add_enum_models()
        self._by_feature = None

    def _add_registry_models(self) -> None:
        # Each registry feature's default model and its families' documented models serve
        # that feature, so every client method works against the emulator out of the box.
        for ftype, row in _registry.FEATURES.items():
            if not row.listed:
                continue  # no evidence the type exists: not served
            models = [
                row.default_model,
                *(m for fam in row.families for m in fam.models),
                *row.generic.models,
            ]
            for model_id in dict.fromkeys(models):
                if _withdrawn(model_id):
                    continue
                entry = self._entries.get(model_id)
                if entry is None:
                    self._entries[model_id] = make_model_entry(model_id, [ftype], kind=row.output)
                elif ftype not in entry["features"]:
                    entry["features"].append(ftype)

    def _add_enum_models(self) -> None:
        for enum, features in _ENUM_FEATURES:
            expanded = _expand(features)
            for member in enum:
                model_id = str(member.value)
                if _withdrawn(model_id):
                    continue  # the service refuses it: so does the emulator
                entry = self._entries.get(model_id)
                if entry is None:
                    self._entries[model_id] = make_model_entry(model_id, expanded)
                else:
                    entry["features"].extend(f for f in expanded if f not in entry["features"])

    def add(self, model_id: str, features: Iterable[str], **fields: Any) -> dict[str, Any]:
        """Add (or replace) a model.

        Args:
            model_id: The ``modelId``.
            features: Feature types the model serves (aliases ``@chat``, ``@vision``,
                ``@code`` are expanded).
            **fields: Extra/override keys merged into the catalog entry.

        Returns:
            The stored entry.
        """
        entry = make_model_entry(model_id, features)
        entry.update(fields)
        self._entries[model_id] = entry
        self._by_feature = None
        return entry

    def remove(self, model_id: str) -> None:
        """Remove a model (no error when absent)."""
        self._entries.pop(model_id, None)
        self._by_feature = None

    def get(self, model_id: str) -> dict[str, Any] | None:
        """Return a model entry by id."""
        return self._entries.get(model_id)

    def _index(self) -> dict[str, list[str]]:
        if self._by_feature is None:
            idx: dict[str, list[str]] = {}
            for mid, e in self._entries.items():
                for f in e["features"]:
                    idx.setdefault(f, []).append(mid)
            self._by_feature = idx
        return self._by_feature

    def model_ids(self, feature: str) -> list[str]:
        """Model ids serving ``feature``."""
        return list(self._index().get(feature, ()))

    def models(self, feature: str) -> list[dict[str, Any]]:
        """What ``GET /models?feature=`` lists.

        The entries serving ``feature``, then the feature's ``NOT_APPLICABLE`` placeholder
        row, as the live catalog does.
        """
        rows = [self._entries[m] for m in self._index().get(feature, ())]
        return [*rows, placeholder_entry(feature)] if rows else rows

    def supports(self, feature: str, model_id: str) -> bool:
        """Whether ``model_id`` serves ``feature`` (never the placeholder id)."""
        entry = self._entries.get(model_id)
        return model_id != NOT_APPLICABLE and entry is not None and feature in entry["features"]
