"""``oneminai chat``: one-shot (streamed), piped input, attachments, interactive mode."""

from __future__ import annotations

from pathlib import Path

from oneminai_webapi import SyncOneMinAIClient
from oneminai_webapi.testing import Emulator, Fault

from .conftest import run_cli

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _chat_bodies(emu: Emulator) -> list[dict]:
    return [r.json for r in emu.requests_to("/api/chat-with-ai", "POST")]


def test_one_question_is_streamed_to_stdout(emu: Emulator) -> None:
    r = run_cli("chat", "hello", "there", emu=emu)
    assert r.code == 0, r.err
    assert r.out == "Echo from gpt-4o-mini: hello there\n"
    (body,) = _chat_bodies(emu)
    assert body["promptObject"]["prompt"] == "hello there"
    assert emu.requests_to("/api/chat-with-ai", "POST")[0].query.get("isStreaming") == "true"


def test_model_web_search_and_no_stream(emu: Emulator) -> None:
    r = run_cli(
        "chat", "-m", "us.anthropic.claude-sonnet-4-6", "--web-search", "--no-stream", "hi", emu=emu
    )
    assert r.code == 0, r.err
    assert r.out == "Echo from us.anthropic.claude-sonnet-4-6: hi [web search on]\n"
    (body,) = _chat_bodies(emu)
    assert body["model"] == "us.anthropic.claude-sonnet-4-6"
    assert body["promptObject"]["settings"]["webSearchSettings"]["webSearch"] is True


def test_prompt_from_stdin_and_dash(emu: Emulator) -> None:
    assert run_cli("chat", emu=emu, stdin="piped question\n").out.startswith(
        "Echo from gpt-4o-mini: piped question"
    )
    assert run_cli("chat", "-", emu=emu, stdin="dash question").out.startswith(
        "Echo from gpt-4o-mini: dash question"
    )
    r = run_cli("chat", "Review:", "-", "Thanks.", emu=emu, stdin="diff --git a b\n")
    assert r.out.startswith("Echo from gpt-4o-mini: Review: diff --git a b Thanks.")


def test_json_output(emu: Emulator) -> None:
    r = run_cli("chat", "--json", "hi", emu=emu)
    assert r.code == 0 and r.err == ""  # no progress with --json
    data = r.json()
    assert data.pop("record_id")  # the aiRecord uuid, to find the call later
    assert data == {"text": "Echo from gpt-4o-mini: hi", "model": "gpt-4o-mini"}
    conversation = (
        SyncOneMinAIClient(emu.api_key, base_url=emu.base_url)
        .create_conversation("t")
        .conversation_id
    )
    r = run_cli("--json", "chat", "--conversation", conversation, "hi", emu=emu)  # flag first
    assert r.json()["conversation_id"] == conversation
    assert _chat_bodies(emu)[-1]["promptObject"]["conversationId"] == conversation
    r = run_cli("chat", "--conversation", "no-such-id", "hi", emu=emu)
    assert r.code == 1 and r.err == "error: Conversation no-such-id not found (HTTP 404)\n"


def test_attachments_are_uploaded_first(emu: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes")
    r = run_cli("chat", "--image", str(photo), "--file", str(notes), "summarize", emu=emu)
    assert r.code == 0, r.err
    assert "uploading photo.png" in r.err and "uploading notes.txt" in r.err
    uploads = emu.requests_to("/api/assets", "POST")
    assert [u.multipart[0]["filename"] for u in uploads] == ["photo.png", "notes.txt"]
    attachments = _chat_bodies(emu)[0]["promptObject"]["attachments"]
    image_key = next(k for k, a in emu.assets.items() if a.data == PNG)
    assert attachments["images"] == [image_key]
    assert len(attachments["files"]) == 1 and attachments["files"][0]
    # URLs and asset keys are passed through without an upload
    run_cli("chat", "--image", "https://example.com/a.png", "--image", image_key, "x", emu=emu)
    assert _chat_bodies(emu)[-1]["promptObject"]["attachments"]["images"] == [
        "https://example.com/a.png",
        image_key,
    ]
    assert len(emu.requests_to("/api/assets", "POST")) == 2


def test_missing_attachment_fails_before_any_request(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("chat", "--image", str(tmp_path / "nope.png"), "hi", emu=emu)
    assert r.code == 2
    assert r.err == f"error: no such file: {tmp_path / 'nope.png'}\n"
    assert emu.requests == []


def test_text_already_streamed_is_kept_when_the_stream_breaks(emu: Emulator) -> None:
    emu.script_replies(["one two three four five six seven eight"])
    emu.inject(Fault.cut_after(3), path="/api/chat-with-ai")
    r = run_cli("chat", "count", emu=emu)
    assert r.code == 1
    assert r.out.startswith("one") and r.out.endswith("\n")  # partial text, line closed
    assert r.err.startswith("error: ") and r.err.count("\n") == 1
    assert "Traceback" not in r.err


def test_interactive_session_keeps_one_conversation(emu: Emulator) -> None:
    lines = "My name is Ada\n\n/model gpt-4o\nWhat is my name?\n/history\n/bogus\n/exit\nignored\n"
    r = run_cli("chat", "-i", emu=emu, stdin=lines)
    assert r.code == 0, r.err
    bodies = _chat_bodies(emu)
    assert [b["promptObject"]["prompt"] for b in bodies] == ["My name is Ada", "What is my name?"]
    assert [b["model"] for b in bodies] == ["gpt-4o-mini", "gpt-4o"]
    conversation = bodies[0]["promptObject"]["conversationId"]
    assert conversation and bodies[1]["promptObject"]["conversationId"] == conversation
    out = r.out.splitlines()
    assert out[:2] == [
        "Echo from gpt-4o-mini: My name is Ada",
        "Echo from gpt-4o: What is my name?",
    ]
    assert "USER: My name is Ada" in out  # /history, from the server
    assert "unknown command '/bogus'" in r.err
    assert f"oneminai chat -i --conversation {conversation}" in r.err


def test_interactive_attachment_goes_with_the_next_message_only(
    emu: Emulator, tmp_path: Path
) -> None:
    photo = tmp_path / "p.png"
    photo.write_bytes(PNG)
    stdin = f"/image {photo}\nfirst\nsecond\n/image {tmp_path / 'missing.png'}\nthird\n"
    r = run_cli("chat", "-i", emu=emu, stdin=stdin)
    assert r.code == 0, r.err
    bodies = _chat_bodies(emu)
    assert len(bodies[0]["promptObject"]["attachments"]["images"]) == 1
    assert "attachments" not in bodies[1]["promptObject"] or not bodies[1]["promptObject"][
        "attachments"
    ].get("images")
    assert "error: no such file" in r.err and len(bodies) == 3


def test_a_failed_turn_does_not_end_the_session(emu: Emulator) -> None:
    emu.inject(Fault.status(400, body={"message": "bad turn"}), path="/api/chat-with-ai")
    r = run_cli("chat", "-i", emu=emu, stdin="first\nsecond\n")
    assert r.code == 0
    assert "error: bad turn" in r.err
    assert r.out == "Echo from gpt-4o-mini: second\n"
