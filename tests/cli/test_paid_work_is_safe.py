"""Calls cost credits: every check runs before anything is sent, and what was produced is
reported even when a later step fails (review findings B1–B17)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from oneminai_webapi.testing import Emulator, Fault

from .conftest import run_cli

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
UUID = "f103122b-0000-4000-8000-000000000001"


def _photo(tmp_path: Path) -> Path:
    photo = tmp_path / "p.png"
    photo.write_bytes(PNG)
    return photo


def _features(emu: Emulator) -> list[dict]:
    return [r.json for r in emu.requests_to("/api/features", "POST")]


def test_bad_out_fails_before_the_paid_call(emu: Emulator, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    r = run_cli("image", "fox", "--out", str(afile), emu=emu)
    assert (r.code, r.err) == (2, f"error: --out {afile} is not a directory\n")
    assert emu.requests == []


def test_out_expands_the_home_directory(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("image", "fox", "--out=~/pics", emu=emu, env={"HOME": str(tmp_path)})
    assert r.code == 0, r.err
    assert Path(r.out.strip()).parent == (tmp_path / "pics").resolve()


def test_a_failed_download_still_reports_the_result(emu: Emulator, tmp_path: Path) -> None:
    emu.inject(Fault.status(404, body="gone"), times=None, path="/_emulator/files")
    r = run_cli("image", "fox", "--out", str(tmp_path), emu=emu)
    assert r.code == 1 and r.out == ""
    (record_id,) = emu.records
    assert "error: could not save http" in r.err and f"the record is {record_id}" in r.err
    r = run_cli("image", "fox", "--json", "--out", str(tmp_path), emu=emu)
    data = r.json()  # still valid JSON on stdout, with what failed
    assert r.code == 1 and data["record_id"] and data["files"][0]["url"]
    assert "gone" in data["files"][0]["error"] and "path" not in data["files"][0]
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_uploaded_when_other_arguments_are_wrong(emu: Emulator, tmp_path: Path) -> None:
    photo = str(_photo(tmp_path))
    r = run_cli("chat", "--image", photo, "   ", emu=emu)
    assert r.code == 2 and "empty" in r.err
    r = run_cli("video", "x", "--image", photo, "--duration", "99", emu=emu)
    assert r.code == 2 and "duration" in r.err
    r = run_cli("edit", photo, "", emu=emu)
    assert r.code == 2
    assert emu.requests == []


def test_file_arguments_are_classified_before_sending(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("chat", "--image", "d ir/nope.png", "hi", emu=emu)
    assert (r.code, r.err) == (2, "error: no such file: d ir/nope.png\n")
    r = run_cli("chat", "--image", str(tmp_path), "hi", emu=emu)
    assert r.code == 2 and "is a directory" in r.err
    assert emu.requests == []
    r = run_cli("chat", "--file", UUID, "--image", "images/a.png", "hi", emu=emu)
    assert r.code == 0, r.err
    attachments = emu.requests_to("/api/chat-with-ai", "POST")[0].json["promptObject"][
        "attachments"
    ]
    assert attachments == {"images": ["images/a.png"], "files": [UUID]}
    assert emu.requests_to("/api/assets", "POST") == []


def test_interactive_sends_the_given_prompt_first(emu: Emulator) -> None:
    r = run_cli("chat", "-i", "first question", emu=emu, stdin="second\n")
    assert r.code == 0, r.err
    prompts = [b.json["promptObject"]["prompt"] for b in emu.requests_to("/api/chat-with-ai")]
    assert prompts == ["first question", "second"]
    r = run_cli("chat", "-i", "--json", emu=emu, stdin="q\n")
    assert r.code == 2 and "--json" in r.err


def test_a_failed_slash_command_keeps_the_session(emu: Emulator, tmp_path: Path) -> None:
    emu.inject(Fault.status(400, body={"message": "bad upload"}), path="/api/assets")
    stdin = f"hi\n/image {_photo(tmp_path)}\nagain\n"
    r = run_cli("chat", "-i", emu=emu, stdin=stdin)
    assert r.code == 0, r.err
    assert "error: " in r.err and "bad upload" in r.err
    assert r.out.splitlines()[-1].startswith("Echo from gpt-4o-mini: again")
    assert "continue with: oneminai chat -i --conversation" in r.err


def test_piped_interactive_turns_report_failure_in_the_exit_code(emu: Emulator) -> None:
    emu.inject(
        Fault.status(402, body={"message": "no credits"}), times=None, path="/api/chat-with-ai"
    )
    r = run_cli("chat", "-i", emu=emu, stdin="one\ntwo\n")
    assert r.code == 4 and r.err.count("error: no credits") == 2


def test_no_wait_accepts_every_pending_status(emu: Emulator) -> None:
    body = {"aiRecord": {"uuid": "r9", "type": "TEXT_TO_VIDEO", "status": "QUEUED"}}
    emu.inject(Fault.status(200, body=body), path="/api/features")
    r = run_cli("video", "cat", "--no-wait", emu=emu)
    assert (r.code, r.out) == (0, "r9\n"), r.err
    assert "oneminai result r9" in r.err


def test_a_job_past_its_wait_limit_says_how_to_get_it(emu: Emulator) -> None:
    emu.config.async_delay_s = 30
    r = run_cli("video", "cat", "--timeout", "0.3", "--poll-interval", "0.05", emu=emu)
    (record_id,) = emu.records
    assert r.code == 6
    assert r.err.splitlines()[-1].endswith(f"oneminai result {record_id}")


def test_an_odd_record_is_an_error_not_a_blank_line(emu: Emulator) -> None:
    body = {"aiRecord": {"uuid": "r1", "status": "SUCCESS", "aiRecordDetail": {"resultObject": []}}}
    emu.inject(Fault.status(200, body=body), path="/api/features")
    r = run_cli("image", "fox", "--no-download", emu=emu)
    assert (r.code, r.out) == (1, "") and "returned no file" in r.err


def test_cloudflare_is_not_reported_as_a_key_problem(emu: Emulator) -> None:
    emu.inject(Fault.cloudflare(), times=None, path="/api/chat-with-ai")
    r = run_cli("chat", "hi", emu=emu)
    assert r.code == 1 and "ONEMINAI_API_KEY" not in r.err


def test_key_whitespace(emu: Emulator) -> None:
    r = run_cli("--api-key", f" {emu.api_key}\n", "chat", "hi", emu=emu)
    assert r.code == 0, r.err  # a pasted key's newline is stripped
    r = run_cli("--api-key", "two words", "chat", "hi", emu=emu)
    assert (r.code, r.err) == (3, "error: the API key contains whitespace\n")


def test_feature_values_keep_text_parameters_as_text(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("feature", "summarize", "text=2024", "--json", emu=emu)
    assert r.code == 0, r.err
    assert _features(emu)[-1]["promptObject"]["prompt"] == "2024"
    notes = tmp_path / "notes.txt"
    notes.write_text("Bonjour")
    # DOCUMENT_TRANSLATOR has no evidence of existing on the service: the emulator refuses
    # it as the service would, unless the test opts in.
    emu.config.extra_feature_types["DOCUMENT_TRANSLATOR"] = "text"
    emu.catalog.add("gpt-4o-mini", ["@chat", "DOCUMENT_TRANSLATOR"])
    try:
        r = run_cli(
            "feature", "translate_document", f"file_id={notes}", "target_language=English",
            emu=emu,
        )  # fmt: skip
    finally:  # the emulator is shared by the module
        del emu.config.extra_feature_types["DOCUMENT_TRANSLATOR"]
        emu.catalog.reset()
    assert r.code == 0, r.err
    (upload,) = emu.requests_to("/api/assets", "POST")
    assert upload.multipart[0]["filename"] == "notes.txt"
    file_ids = [a.uuid for a in emu.assets.values() if a.data == b"Bonjour"]
    assert _features(emu)[-1]["promptObject"]["fileList"] == file_ids


def test_feature_list_as_json(emu: Emulator) -> None:
    from oneminai_webapi import _registry

    rows = run_cli("feature", "--list", "--json").json()
    assert [row["name"] for row in rows] == sorted(_registry.METHODS)
    edit = next(row for row in rows if row["name"] == "edit_image")
    assert {"name": "image_url", "required": True, "file": True} in edit["arguments"]


def test_models_feature_names(emu: Emulator) -> None:
    assert run_cli("models", "--feature", "Image", emu=emu).out.strip()
    assert run_cli("models", "--feature", "image_upscaler", emu=emu).code == 0
    r = run_cli("models", "--feature", "nonsense", emu=emu)
    assert r.code == 2 and "unknown feature 'nonsense'" in r.err


def test_prompt_words_around_an_option(emu: Emulator) -> None:
    r = run_cli("chat", "hello", "-m", "gpt-4o", "world", emu=emu)
    assert r.out == "Echo from gpt-4o: hello world\n", r.err


def test_emulator_port_in_use_is_one_error_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = run_cli("emulator", "--port", str(s.getsockname()[1]))
    assert r.code == 1 and r.err.startswith("error: ") and "Traceback" not in r.err


@pytest.mark.parametrize("argv", [["chat", "hi"], ["image", "fox", "--no-download"]])
def test_the_console_script_entry_point(emu: Emulator, argv: list[str]) -> None:
    import shutil
    import subprocess
    import sys

    script = shutil.which("oneminai", path=str(Path(sys.executable).parent))
    assert script, "the oneminai console script is installed next to the interpreter"
    env = {"ONEMINAI_API_KEY": emu.api_key, "ONEMINAI_BASE_URL": emu.base_url, "PATH": ""}
    proc = subprocess.run([script, *argv], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_web_app_only_commands_say_what_they_need(emu: Emulator) -> None:
    emu.config.webapp_accepts_api_key = False  # as the real service is assumed to do
    r = run_cli("credits", emu=emu)
    assert r.code == 3
    assert r.err == (
        "error: get_team_credits() works only with a web-app sign-in token (JWT) as the key; "
        "the service refused this API key there\n"
    )
    r = run_cli("chat", "-i", emu=emu, stdin="hi\n/history\nagain\n")
    assert "error: get_conversation_messages() works only with" in r.err
    assert r.out.splitlines()[-1].startswith("Echo from gpt-4o-mini: again")  # went on


def test_retry_waits_are_shown_as_progress(emu: Emulator) -> None:
    emu.inject(Fault.rate_limited(retry_after=1), path="/api/chat-with-ai")
    r = run_cli("chat", "--no-stream", "hi", emu=emu)
    assert r.code == 0, r.err
    assert "HTTP 429; retrying in 1 s…" in r.err
    assert r.out == "Echo from gpt-4o-mini: hi\n"
    r = run_cli("chat", "--json", "hi", emu=emu)  # no progress at all with --json
    assert r.err == ""


def test_ctrl_c_while_waiting_for_a_job_says_how_to_get_it(emu: Emulator) -> None:
    import os
    import signal
    import subprocess
    import sys

    from .conftest import GUARD_DIR

    emu.config.async_delay_s = 60
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEMINAI_")}
    env |= {"ONEMINAI_API_KEY": emu.api_key, "ONEMINAI_BASE_URL": emu.base_url}
    env["PYTHONPATH"] = str(GUARD_DIR)
    with subprocess.Popen(
        [sys.executable, "-m", "oneminai_webapi", "video", "cat", "--poll-interval", "0.1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:  # wait until the job is being polled
            if line.startswith("generate video: processing"):
                break
        proc.send_signal(signal.SIGINT)
        rest = proc.stderr.read()
        assert proc.wait(timeout=30) == 130
    (record_id,) = emu.records
    assert f"the job continues; get it with: oneminai result {record_id}" in rest
