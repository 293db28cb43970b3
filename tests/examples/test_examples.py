"""Every script in ``examples/`` runs and does its job.

Each example runs as a subprocess, as a user would run it, with ``ONEMINAI_API_KEY`` and
``ONEMINAI_BASE_URL`` removed from its environment: it then starts its own emulator on
127.0.0.1 (``live_or_emulator``). New examples are picked up by the glob; add the lines that
prove an example worked to ``EXPECTED``.

``test_key_path_sends_traffic_to_base_url`` covers the other branch: with a key and base URL
set, an example must treat them as the real service and send its requests there (to an
emulator started by the test, so nothing leaves 127.0.0.1).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.py"))
RUN_TIMEOUT_S = 120
#: On the subprocesses' PYTHONPATH: a ``sitecustomize`` that blocks non-loopback connections.
GUARD_DIR = Path(__file__).resolve().parents[1] / "loopback_only"
BLOCKED = "BLOCKED_NETWORK_ACCESS"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
LOCAL_URL = r"http://127\.0\.0\.1:\d+/\S+"
SIZE = r"\([1-9]\d* bytes\)"  # a saved file that is not empty

#: Per example, regular expressions that must match its output, in this order.
EXPECTED: dict[str, list[str]] = {
    "demo": [
        r"No ONEMINAI_API_KEY: using the local emulator at http://127\.0\.0\.1:\d+\.",
        r"── 1\. chat",
        r"\[gpt-4o-mini\] Echo from gpt-4o-mini: What is 1min\.AI in one sentence\?",
        r"── 2\. streaming",
        r"Echo from gpt-4o-mini: Count from one to five\.",
        r"turn 2 → Echo from gpt-4o-mini: What is my name\? \[2 earlier messages in context\]",
        rf"conversation {UUID}, 2 turns",
        rf"saved \S+\.png {SIZE}",
        r"chain → 7 is a prime number\.",
        r"AIMessage: \[\{'name': 'add', 'args': \{'a': 2, 'b': 3\}",
        r"ToolMessage: 5",
        r"AIMessage: 2 \+ 3 = 5\.",
        r"query → Many AI models, behind one account and one API key\.",
        r"Echo from gpt-4o-mini: Say hello from the sync client\.",
        r"── 8\. the OpenAI SDK through oneminai-gateway",
        r"\[gpt-4o-mini\] Echo from gpt-4o-mini: Hello from the OpenAI SDK!",
        r"credits: \d+(\.\d+)?, usage: \d+ tokens \(estimated\)",
        r"Demo finished\.",
    ],
    "quickstart": [
        r"target: the local emulator at http://127\.0\.0\.1:\d+\n",
        r"answer \[gpt-4o-mini\]: Echo from gpt-4o-mini: What is the capital of France\?",
        r"stream: Echo from gpt-4o-mini: Name three colours of the rainbow\.",
        r"sync: Echo from gpt-4o-mini: Say hello in French\.",
    ],
    "streaming": [
        r"── async stream\nEcho from gpt-4o-mini: Write one sentence about the sea\.\n",
        rf"final chunk: 56 characters, record {UUID}",
        r"received [1-9]\d* text deltas",
        r"── an interrupted stream",
        r"interrupted: The connection was lost mid-stream",
        r"partial_text: 'Echo from gpt-4o-mini: Write '",
        r"── sync stream\nEcho from gpt-4o-mini: Write one sentence about the sea\.\n",
        r"sync stream done: 56 characters",
    ],
    "session": [
        r"before the first message: conversation_id=None",
        r"turn 1 → Echo from gpt-4o-mini: My name is Ada\. Please remember it\.",
        r"turn 2 → Echo from gpt-4o-mini: What is my name\? \[2 earlier messages in context\]",
        r"turn 3 → Echo from gpt-4o-mini: Spell my name backwards\. \[4 earlier messages",
        rf"conversation (?P<id>{UUID}): 3 turns",
        r"history: 6 messages",
        r"USER: My name is Ada\.",
        r"gpt-4o-mini: Echo from gpt-4o-mini: Spell my name backwards\.",
        r"list_conversations: 1 in total, ours listed: True",
        r"deleted conversation (?P=id)",
        r"still listed after delete: False",
    ],
    "media": [
        r"image model: stable-diffusion-xl-1024-v1-0, 1 image\(s\)",
        rf"saved image: \S+\.png {SIZE}",
        rf"saved speech: \S+\.mp3 {SIZE}",
        # the emulator "transcribes" by naming the uploaded asset: proof the file was uploaded
        r"transcript: Echo from whisper-1: audios/\S+\.mp3",
        rf"saved edited image: lighthouse-moon\.png {SIZE}",
        r"video: started\n  … PROCESSING after [\d.]+ s \(0 polls\)",
        r"… SUCCESS after [\d.]+ s \([1-9]\d* polls\)",
        rf"saved video: \S+\.mp4 {SIZE}",
        r"the temporary files were removed",
    ],
    "langchain_agent": [
        r"tools: bake_sale_details, oneminai_image_generation, oneminai_text_to_speech",
        r"HumanMessage: Promote our bake sale",
        r"AIMessage → tool call bake_sale_details\(\{\}\)",
        r"ToolMessage \[bake_sale_details\]: Saturday 14 June, 10:00-13:00, in the Town Hall",
        r"AIMessage → tool call oneminai_image_generation\(\{\"prompt\": ",
        r"AIMessage → tool call oneminai_text_to_speech\(\{\"text\": ",
        rf"ToolMessage \[oneminai_image_generation\]: Generated 1 image: {LOCAL_URL}\.png",
        r"artifact keys: \['asset_keys', 'model', 'record_id', 'urls'\]",
        rf"ToolMessage \[oneminai_text_to_speech\]: Audio: {LOCAL_URL}\.mp3",
        r"AIMessage: The bake sale is on Saturday 14 June in the Town Hall\.",
    ],
    "llamaindex_rag": [
        r"Q: How long do I have to return a bike\?\nA: You can return a bike within 30 days",
        r"\(3 passages were given to the model as context\)",
        r"Q: Can I visit the shop on a Monday\?\nA: Harbour Bikes is closed on Mondays\.",
        r"tool oneminai_image_generation\(\{\"prompt\": \"a poster of a city bike by a harbour\", "
        r"\"aspect_ratio\": \"portrait\"\}\)",
        rf"  Generated 1 image: {LOCAL_URL}\.png",
        r"agent: Here is your poster of a city bike by the harbour\.",
    ],
}


def _env(**overrides: str) -> dict[str, str]:
    """This process's environment without a 1min.AI key or base URL, plus ``overrides``."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("ONEMINAI_API_KEY", "ONEMINAI_BASE_URL")
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"  # never via a developer's proxy
    env["PYTHONIOENCODING"] = "utf-8"  # the examples print "→", "…" and "─"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD_DIR), env.get("PYTHONPATH")]))
    env.update(overrides)
    return env


def _run(script: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run an example; fail with its output unless it exits 0. Returns stdout."""
    proc = _python(str(script), *args, env=env)
    report = f"{script.name} exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert proc.returncode == 0, report
    assert "Traceback" not in proc.stderr, report
    assert BLOCKED not in proc.stderr, report
    return proc.stdout


def _python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env if env is not None else _env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def _assert_in_order(output: str, patterns: list[str]) -> None:
    """Every pattern matches ``output``, each one after the previous match.

    A pattern may repeat an earlier named group with ``(?P=name)``.
    """
    position = 0
    captured: dict[str, str] = {}
    for pattern in patterns:
        for name, value in captured.items():
            pattern = pattern.replace(f"(?P={name})", re.escape(value))
        match = re.compile(pattern).search(output, position)
        assert match is not None, f"expected /{pattern}/ after offset {position} in:\n{output}"
        captured.update({k: v for k, v in match.groupdict().items() if v is not None})
        position = match.end()


def test_examples_are_found() -> None:
    names = {script.stem for script in EXAMPLES}
    assert {"demo", "quickstart", "streaming", "session", "media"} <= names
    # An expectation whose example was renamed or removed would silently stop checking.
    assert set(EXPECTED) <= names, f"EXPECTED names missing examples: {set(EXPECTED) - names}"


def test_subprocesses_may_only_use_loopback() -> None:
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"
    proc = _python("-c", code, env=_env())
    assert proc.returncode != 0
    assert f"{BLOCKED}: '192.0.2.1'" in proc.stderr


@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.stem)
def test_example_runs_against_the_emulator(script: Path) -> None:
    output = _run(script)
    assert output.strip(), f"{script.name} printed nothing"
    # Every example says where its requests go, before anything else.
    assert re.match(
        r"(target: |No ONEMINAI_API_KEY: using )the local emulator at http://127\.0\.0\.1:\d+",
        output,
    ), output[:200]
    _assert_in_order(output, EXPECTED.get(script.stem, []))


@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
def test_media_out_keeps_the_files(tmp_path: Path) -> None:
    out = tmp_path / "media"
    output = _run(EXAMPLES_DIR / "media.py", "--out", str(out))
    assert f"files kept in {out}" in output
    files = {path.suffix: path.stat().st_size for path in out.iterdir()}
    assert sorted(files) == [".mp3", ".mp4", ".png"], sorted(out.iterdir())
    assert all(size > 0 for size in files.values())
    assert (out / "lighthouse-moon.png").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "partial download left"


@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
@pytest.mark.onemin_emulator(api_key="key-from-the-environment")
@pytest.mark.parametrize("name", ["quickstart", "session"])
def test_key_path_sends_traffic_to_base_url(name: str, onemin_emulator_thread: Any) -> None:
    """With ``ONEMINAI_API_KEY`` set the examples start no emulator of their own."""
    emu = onemin_emulator_thread
    env = _env(ONEMINAI_API_KEY=emu.api_key, ONEMINAI_BASE_URL=emu.base_url)
    output = _run(EXAMPLES_DIR / f"{name}.py", env=env)

    # The key goes to ONEMINAI_BASE_URL, and the example says so (not "the 1min.AI service").
    assert f"target: the API at {emu.base_url} (ONEMINAI_BASE_URL)\n" in output
    assert "1min.AI service" not in output
    assert emu.requests, "the example sent nothing to ONEMINAI_BASE_URL"
    for request in emu.requests:  # official API: API-KEY; web-app routes: X-Auth-Token
        credential = request.headers.get("api-key") or request.headers.get("x-auth-token")
        assert credential in (emu.api_key, f"Bearer {emu.api_key}"), request
    chat_requests = emu.requests_to("/api/chat-with-ai", "POST")
    prompts = [request.json["promptObject"]["prompt"] for request in chat_requests]
    streamed = [request.query.get("isStreaming") == "true" for request in chat_requests]
    if name == "quickstart":
        assert prompts == [
            "What is the capital of France?",
            "Name three colours of the rainbow.",
            "Say hello in French.",
        ]
        assert streamed == [False, True, False]
    else:
        assert prompts == [
            "My name is Ada. Please remember it.",
            "What is my name?",
            "Spell my name backwards.",
        ]
        assert streamed == [False, False, True]
        assert len(emu.requests_to("/api/conversations", "POST")) == 1
        conversation_ids = {
            request.json["promptObject"]["conversationId"] for request in chat_requests
        }
        assert len(conversation_ids) == 1, "every turn must use the same conversation"
        (conversation_id,) = conversation_ids
        assert emu.requests_to(f"/api/conversations/{conversation_id}", "DELETE")
        assert f"deleted conversation {conversation_id}" in output
        assert emu.conversations == {}, "the example left its conversation behind"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"ONEMINAI_API_KEY": "k"}, "the 1min.AI service at https://api.1min.ai"),
        (
            {"ONEMINAI_API_KEY": "k", "ONEMINAI_BASE_URL": "https://api.1min.ai/"},
            "the 1min.AI service at https://api.1min.ai",
        ),
        (
            {"ONEMINAI_API_KEY": "k", "ONEMINAI_BASE_URL": "https://relay.example/v1"},
            "the API at https://relay.example/v1 (ONEMINAI_BASE_URL)",
        ),
    ],
)
def test_target_description_names_where_the_key_goes(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oneminai_webapi.testing import live_or_emulator

    monkeypatch.delenv("ONEMINAI_BASE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with live_or_emulator() as target:  # no emulator, no request: only the description
        assert target.is_live
        assert target.description == expected == str(target)


def test_target_description_of_the_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    from oneminai_webapi.testing import live_or_emulator

    monkeypatch.delenv("ONEMINAI_API_KEY", raising=False)
    monkeypatch.setenv("ONEMINAI_BASE_URL", "https://ignored.example")  # no key: emulator
    with live_or_emulator() as target:
        assert not target.is_live
        assert target.description == f"the local emulator at {target.emulator.base_url}"
