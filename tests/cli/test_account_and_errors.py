"""``models``, ``credits``, ``conversations``, ``emulator``; exit codes and error lines."""

from __future__ import annotations

import re
import select
import socket
import subprocess
import sys

import pytest
from oneminai_webapi import SyncOneMinAIClient
from oneminai_webapi.testing import Emulator, Fault

from .conftest import KEY, run_cli


def test_help_lists_every_command_and_imports_no_client() -> None:
    r = run_cli("--help")
    assert r.code == 0
    for command in ("chat", "image", "edit", "tts", "stt", "video", "music", "feature",
                    "result", "models", "credits", "conversations", "emulator"):  # fmt: skip
        assert re.search(rf"^\s+{command}\b", r.out, re.MULTILINE), command
    assert "exit codes:" in r.out
    code = (
        "import sys\nfrom oneminai_webapi._cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('aiohttp', 'requests', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("[]")


def test_models_needs_no_key_and_filters(emu: Emulator) -> None:
    env = {"ONEMINAI_BASE_URL": emu.base_url}  # no key at all
    r = run_cli("models", "--feature", "image", env=env)
    assert r.code == 0, r.err
    ids = [line.split()[0] for line in r.out.splitlines()]
    assert "stable-diffusion-xl-1024-v1-0" in ids and "gpt-4o-mini" not in ids
    # The catalog's placeholder rows and withdrawn ids are not models.
    assert "NOT_APPLICABLE" not in ids and "black-forest-labs/flux-schnell" not in ids
    assert emu.requests_to("/models", "GET")[-1].query["feature"] == "IMAGE_GENERATOR"
    r = run_cli("models", "--feature", "chat", "--search", "GPT-4O", "--json", env=env)
    models = r.json()
    assert models and all("gpt-4o" in m["id"] for m in models)
    assert {"features", "input_modalities", "status", "deprecation_date", "credits"} <= set(
        models[0]
    )
    assert all(m["vision"] is ("image" in m["input_modalities"]) for m in models)


def test_models_text_marks_vision_and_retirement(emu: Emulator) -> None:
    r = run_cli("models", "--feature", "chat", "--search", "gemini-2.5-pro", emu=emu)
    assert r.code == 0, r.err
    (line,) = r.out.splitlines()
    assert line.split()[0] == "gemini-2.5-pro"
    assert line.endswith("[vision, retires 2026-10-09]")


def test_credits(emu: Emulator) -> None:
    emu.credits = 1234567
    assert run_cli("credits", emu=emu).out == "1,234,567\n"
    assert run_cli("credits", "--json", emu=emu).json() == {"credits": 1234567}


def test_conversations_list_show_delete(emu: Emulator) -> None:
    with SyncOneMinAIClient(emu.api_key, base_url=emu.base_url) as client:
        session = client.start_chat("gpt-4o")
        session.send_message("Remember the number 7")
        conversation = session.conversation_id
    assert conversation
    r = run_cli("conversations", emu=emu)
    assert r.code == 0 and r.out.startswith(conversation) and "Remember the number 7" in r.out
    r = run_cli("conversations", "show", conversation, emu=emu)
    assert r.out.splitlines()[0] == "USER: Remember the number 7"
    listed = run_cli("conversations", "list", "--json", emu=emu).json()
    assert [c["conversation_id"] for c in listed] == [conversation]
    r = run_cli("conversations", "delete", conversation, emu=emu)
    assert r.code == 0 and f"deleted {conversation}" in r.err
    assert run_cli("conversations", "--json", emu=emu).json() == []
    r = run_cli("conversations", "show", emu=emu)
    assert r.code == 2 and "needs a conversation id" in r.err


# ── errors: one line, a meaningful exit code, no traceback ─────────────────────────────


def test_no_key(emu: Emulator) -> None:
    r = run_cli("chat", "hi", env={"ONEMINAI_BASE_URL": emu.base_url})
    assert (r.code, r.err) == (3, "error: no API key: set ONEMINAI_API_KEY or pass --api-key\n")
    assert emu.requests == []


def test_refused_key_and_flag_overrides_environment(emu: Emulator) -> None:
    r = run_cli("--api-key", "wrong-key", "chat", "hi", emu=emu)
    assert r.code == 3 and r.err.startswith("error: ") and r.err.count("\n") == 1  # no retry
    assert "check ONEMINAI_API_KEY or --api-key" in r.err
    assert emu.requests_to("/api/chat-with-ai", "POST")[0].headers["api-key"] == "wrong-key"


@pytest.mark.parametrize(
    ("fault", "code", "text"),
    [
        (Fault.status(402, body={"message": "Not enough credits"}), 4, "Not enough credits"),
        (Fault.rate_limited(retry_after=0), 5, "error: "),
        (Fault.status(500, body={"message": "boom"}), 1, "boom"),
    ],
)
def test_service_errors_map_to_exit_codes(
    emu: Emulator, fault: Fault, code: int, text: str
) -> None:
    emu.inject(fault, times=None, path="/api/chat-with-ai")
    r = run_cli("chat", "--no-stream", "hi", emu=emu)
    assert r.code == code, r.err
    assert text in r.error_line


def test_connection_refused_is_a_network_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the CLI runs
    r = run_cli(
        "chat", "hi", env={"ONEMINAI_API_KEY": KEY, "ONEMINAI_BASE_URL": f"http://127.0.0.1:{port}"}
    )
    # issue 14: the message names the host and the reason (it said only "Connection error")
    assert r.code == 6
    assert r.error_line == f"error: Could not connect to 127.0.0.1:{port}: connection refused."
    assert "connection failed; retrying in" in r.err  # the waits between attempts


def test_usage_errors() -> None:
    r = run_cli("chat", "--no-such-flag")
    assert r.code == 2 and "usage: oneminai chat" in r.err
    r = run_cli()
    assert r.code == 2 and "required: COMMAND" in r.err
    r = run_cli("--json", "credits", "extra")
    assert r.code == 2 and "usage: oneminai credits" in r.err and "extra" in r.err


def test_debug_shows_the_traceback_but_never_the_key(emu: Emulator) -> None:
    emu.inject(
        Fault.status(500, body={"message": f"echo {KEY}"}), times=None, path="/api/chat-with-ai"
    )
    r = run_cli("--debug", "chat", "--no-stream", "hi", emu=emu)
    assert r.code == 1
    assert "Traceback" in r.err and "InternalServerError" in r.err
    assert "POST" in r.err  # request logging is on
    assert KEY not in r.err and KEY not in r.out


def test_emulator_command(tmp_path) -> None:
    r = run_cli("emulator", "--help")
    assert r.code == 0 and r.out.startswith("usage: oneminai emulator")
    with subprocess.Popen(
        [sys.executable, "-m", "oneminai_webapi", "emulator", "--port", "0", "--api-key", "k9"],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, "the emulator did not start within 30 s"
            line = proc.stdout.readline()
            url = re.search(r"http://127\.0\.0\.1:\d+", line)
            assert url, line
            r = run_cli("--base-url", url.group(0), "--api-key", "k9", "chat", "ping")
            assert r.code == 0 and r.out == "Echo from gpt-4o-mini: ping\n"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
