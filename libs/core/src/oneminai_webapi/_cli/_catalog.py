"""``oneminai models``, ``credits`` and ``conversations``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._errors import CLIError

if TYPE_CHECKING:
    from ..types import ModelInfo
    from ._app import App


def feature_aliases() -> dict[str, str]:
    """Friendly names for ``models --feature``: ``chat`` and each media command's name.

    Any wire feature type works too.
    """
    from .._registry import CHAT_FEATURE_TYPES, METHODS
    from ._media_commands import COMMANDS

    return {"chat": CHAT_FEATURE_TYPES[0]} | {
        c.name: METHODS[c.method].feature_types()[0] for c in COMMANDS
    }


def run_models(app: App) -> int:
    """Entry point of ``oneminai models``: the public catalog, filtered."""
    args = app.args
    feature = _feature_type(args.feature) if args.feature is not None else None
    app.progress.update("reading the model catalog…")
    models = app.client(needs_key=False).list_models(feature)
    if args.search:
        needle = args.search.lower()
        models = [m for m in models if needle in f"{m.id} {m.name}".lower()]
    if app.json:
        app.emit([_model_json(m) for m in models])
        return 0
    if not models:
        app.progress.done("no models match")
        return 0
    width = max(len(m.id) for m in models)
    for m in sorted(models, key=lambda m: (m.provider, m.id)):
        app.print(f"{m.id:{width}}  {m.provider:10}  {m.name}{_notes(m)}")
    app.progress.done(f"{len(models)} models")
    return 0


def _notes(model: ModelInfo) -> str:
    """`` [vision, retires 2026-10-09]``-style notes of a catalog row ("" when none)."""
    notes = []
    if model.vision and "text" in model.output_modalities:
        notes.append("vision")
    if model.status and not model.active:
        notes.append(model.status.lower())
    if model.deprecation_date:
        notes.append(f"retires {model.deprecation_date[:10]}")
    return f"  [{', '.join(notes)}]" if notes else ""


def _model_json(model: ModelInfo) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude={"raw"})
    data["vision"] = model.vision
    return data


def _feature_type(name: str) -> str:
    """``image`` → ``IMAGE_GENERATOR``; a wire feature type in any case; else a usage error."""
    from .._registry import all_feature_types

    known = all_feature_types()
    aliases_table = feature_aliases()
    value = aliases_table.get(name.strip().lower(), name.strip().upper())
    if value not in known:
        aliases = ", ".join(aliases_table)
        raise CLIError(
            f"unknown feature {name!r}: use {aliases}, or a feature type such as {known[-1]}"
        )
    return value


def run_credits(app: App) -> int:
    """Entry point of ``oneminai credits``."""
    credits = app.client().get_team_credits()
    if app.json:
        app.emit({"credits": credits})
    else:
        app.print(f"{credits:,}")
    return 0


def run_conversations(app: App) -> int:
    """Entry point of ``oneminai conversations list|show|delete``."""
    args = app.args
    client = app.client()
    action = args.action or "list"
    if action == "list":
        if args.conversation_id:
            raise CLIError("conversations list takes no id (show or delete do)")
        records = client.list_conversations()
        if app.json:
            app.emit([_dump(r) for r in records])
            return 0
        for r in records:
            app.print(
                f"{r.conversation_id}  {r.created_at or '':24}  {r.model or '':16}  {r.title}"
            )
        return 0
    if not args.conversation_id:
        raise CLIError(f"conversations {action} needs a conversation id")
    if action == "show":
        messages = client.get_conversation_messages(args.conversation_id)
        if app.json:
            app.emit([_dump(m) for m in messages])
            return 0
        for m in messages:
            app.print(f"{m.role}: {m.content}")
        return 0
    client.delete_conversation(args.conversation_id)
    if app.json:
        app.emit({"deleted": args.conversation_id})
    else:
        app.progress.done(f"deleted {args.conversation_id}")
    return 0


def _dump(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json", exclude={"raw"})
    return data


HANDLERS: dict[str, Callable[[App], int]] = {
    "models": run_models,
    "credits": run_credits,
    "conversations": run_conversations,
}
