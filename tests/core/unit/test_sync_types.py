"""The sync client's typed facade is generated from the shared method list and kept fresh."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

ROOT = Path(__file__).resolve().parents[3]


def test_generated_sync_signatures_are_up_to_date() -> None:
    script = ROOT / "scripts" / "gen_sync_types.py"
    result = subprocess.run([sys.executable, str(script), "--check"], check=False)
    assert result.returncode == 0, "run: uv run python scripts/gen_sync_types.py"


def test_sync_and_async_clients_offer_the_same_methods() -> None:
    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(member)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")
        }

    sync, aio = public(SyncOneMinAIClient), public(OneMinAIClient)
    assert set(sync) - {"close"} == set(aio) - {"close"}
    for name, signature in aio.items():
        if name != "close":
            assert sync[name] == signature, name


def test_type_checkers_see_sync_return_types(tmp_path: Path) -> None:
    # What a user of the sync client writes must type-check without awaits.
    snippet = tmp_path / "use_sync.py"
    snippet.write_text(
        "from oneminai_webapi import SyncOneMinAIClient\n"
        "from oneminai_webapi.types import ChatOutput, ImageOutput, MessageRecord\n"
        "client = SyncOneMinAIClient('k')\n"
        "out: ChatOutput = client.generate_content('hi')\n"
        "image: ImageOutput = client.generate_image('fox')\n"
        "session = client.start_chat()\n"
        "turn: ChatOutput = session.send_message('hi')\n"
        "history: list[MessageRecord] = session.get_history()\n"
        "for chunk in session.send_message_stream('hi'):\n"
        "    delta: str = chunk.text_delta\n"
        "n: int = session.turn_count\n"
        "from oneminai_webapi.completions import Completion, CompletionEvent\n"
        "done: Completion = client.complete([{'role': 'user', 'content': 'hi'}])\n"
        "for event in client.complete([{'role': 'user', 'content': 'hi'}], stream=True):\n"
        "    typed: CompletionEvent = event\n"
        "copy: SyncOneMinAIClient = client.with_options(timeout=5, max_retries=0)\n"
        "raw = client.with_raw_response.generate_content('hi')\n"
        "parsed: ChatOutput = raw.parse()\n"
        "status: int = raw.status_code\n"
        "rid: str | None = raw.request_id\n"
        "image_raw: ImageOutput = client.with_raw_response.generate_image('fox').parse()\n"
        "for c in client.with_raw_response.generate_content_stream('hi').parse():\n"
        "    more: str = c.text_delta\n"
        "async def use_async() -> None:\n"
        "    from oneminai_webapi import OneMinAIClient\n"
        "    aclient = OneMinAIClient('k').with_options(timeout=2.5)\n"
        "    araw = await aclient.with_raw_response.generate_content('hi')\n"
        "    aout: ChatOutput = araw.parse()\n"
        "    astream = (await aclient.with_raw_response.generate_content_stream('hi')).parse()\n"
        "    async for ac in astream:\n"
        "        adelta: str = ac.text_delta\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout
