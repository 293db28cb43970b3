"""``oneminai chat``: one question (streamed to the terminal) or an interactive session."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import OneMinAIError
from ._errors import EXIT_AUTH, EXIT_ERROR, CLIError, describe

if TYPE_CHECKING:
    from .._client._sync_types import SyncChatSession
    from ._app import App

_HELP = """commands:
  /image PATH     attach an image to the next message (path, URL or asset key)
  /file PATH      attach a document to the next message
  /web on|off     search the web before answering
  /model NAME     switch the model
  /new            start a new conversation
  /history        show the conversation so far (from the server)
  /help           this help
  /exit           leave (Ctrl-D works too)"""


@dataclass
class Attachments:
    """Chat attachments: ``images`` are asset keys or URLs, ``files`` are file ids."""

    images: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def add_image(self, app: App, value: str) -> None:
        self.images.append(app.reference(value, "IMAGE"))

    def add_file(self, app: App, value: str) -> None:
        target = app.local_input(value, file_id=True)
        if isinstance(target, str):  # a file id from an earlier upload (or a URL)
            self.files.append(target)
            return
        record = app.upload(target, "DOCUMENT")
        if not record.file_id:
            raise CLIError(f"the upload of {value} returned no file id", EXIT_ERROR)
        self.files.append(record.file_id)

    def take(self) -> tuple[list[str] | None, list[str] | None]:
        """``(images, files)`` for one message (None when empty); the lists are then reset."""
        taken = (self.images or None, self.files or None)
        self.images, self.files = [], []
        return taken


def run(app: App) -> int:
    """Entry point of ``oneminai chat``."""
    args = app.args
    interactive = args.interactive or (not args.prompt and app.stdin.isatty())
    if interactive and app.json:
        raise CLIError("--json does not go with the interactive mode (-i)")
    # Everything is checked before the first upload (uploads and calls cost credits).
    prompt = (" ".join(args.prompt) if args.prompt else None) if interactive else None
    if not interactive:
        words = list(args.prompt or ())
        if len(words) > 1 and "-" in words:  # `git diff | oneminai chat "Review:" -`
            piped = app.text("-", "input")
            words = [piped if word == "-" else word for word in words]
        prompt = app.text(" ".join(words) if words else None, "prompt")
    for value in (*(args.image or ()), *(args.file or ())):
        app.local_input(value, file_id=value in (args.file or ()))
    attachments = Attachments()
    for value in args.image or ():
        attachments.add_image(app, value)
    for value in args.file or ():
        attachments.add_file(app, value)
    if interactive:
        return Repl(app, attachments).loop(first=prompt)
    assert prompt is not None
    client = app.client()
    images, files = attachments.take()
    kwargs: dict[str, Any] = {
        "model": args.model,
        "conversation_id": args.conversation,
        "web_search": args.web_search,
        "images": images,
        "files": files,
    }
    if app.json or args.no_stream:
        answer = client.chat(prompt, **kwargs)
        if app.json:
            conversation = answer.conversation_id or args.conversation
            app.emit(
                {"text": answer.text, "model": answer.model, "record_id": answer.record_id}
                | ({"conversation_id": conversation} if conversation else {})
            )
        else:
            app.print(answer.text)
        app.report_credits(answer)
        return 0
    with client.chat(prompt, stream=True, **kwargs) as stream:
        app.report_credits(_stream_to(app, stream))
    return 0


def _stream_to(app: App, stream: Any) -> Any:
    """Print each delta as it arrives; text already printed stays if the stream fails.

    Returns:
        The final chunk (``None`` if the stream ended without one).
    """
    app.progress.clear()
    ended_with_newline = True
    final = None
    try:
        for chunk in stream:
            if chunk.is_final:
                final = chunk
            if chunk.text_delta:
                app.out.write(chunk.text_delta)
                app.out.flush()
                ended_with_newline = chunk.text_delta.endswith("\n")
    finally:
        if not ended_with_newline:
            app.out.write("\n")
            app.out.flush()
    return final


class Repl:
    """The interactive mode: a :class:`ChatSession` (the server keeps the history)."""

    def __init__(self, app: App, attachments: Attachments) -> None:
        self.app = app
        self.attachments = attachments
        # /model and /web change these; each turn passes them to the one session.
        self.model: str | None = app.args.model
        self.web_search: bool = app.args.web_search
        self.session: SyncChatSession = self._new_session(app.args.conversation)
        self._interactive = app.stdin.isatty()
        self._history_file = _enable_line_editing() if self._interactive else None
        self._last_error = 0

    def _new_session(self, conversation_id: str | None = None) -> SyncChatSession:
        return self.app.client().start_chat(
            self.model, conversation_id=conversation_id, web_search=self.web_search
        )

    def loop(self, first: str | None = None) -> int:
        """Send ``first`` (the prompt given with ``-i``), then read until ``/exit`` or EOF.

        Returns 0, or with piped input the exit code of the last failed turn (so scripts
        notice failures); the conversation id and how to resume are printed on the way out.
        """
        app = self.app
        if self._interactive:
            app.err.write(f"chat with {self.session.model} — /help for commands, Ctrl-D to leave\n")
        try:
            if first and first.strip():
                self._send(first)
            while True:
                line = self._read()
                if line is None:
                    break
                if not line.strip():
                    continue
                if line.startswith("/"):
                    if not self._guarded(functools.partial(self._command, line.strip())):
                        break
                    continue
                self._send(line)
        finally:
            _save_history(self._history_file)
            if self.session.conversation_id:
                app.err.write(
                    f"conversation {self.session.conversation_id} — continue with: "
                    f"oneminai chat -i --conversation {self.session.conversation_id}\n"
                )
        return 0 if self._interactive else self._last_error

    def _read(self) -> str | None:
        if self._interactive:
            try:
                return input("you> ")
            except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C at the prompt: leave
                self.app.err.write("\n")
                return None
        line = self.app.stdin.readline()
        return line.rstrip("\n") if line else None

    def _guarded(self, action: Callable[[], bool]) -> bool:
        """Run one turn or command: a failure is reported and the session goes on."""
        try:
            return action()
        except KeyboardInterrupt:  # stop this answer, keep the session
            self.app.err.write("[interrupted]\n")
        except (OneMinAIError, CLIError) as exc:
            code, message = describe(exc)
            if code == EXIT_AUTH and not getattr(exc, "webapp_only", None):
                raise  # the key itself is refused: the session cannot go on
            self._last_error = code
            self.app.err.write(f"error: {message}\n")
        return True

    def _send(self, text: str) -> None:
        images, files = self.attachments.take()
        turn_options: dict[str, Any] = {
            "images": images, "files": files, "model": self.model, "web_search": self.web_search,
        }  # fmt: skip

        def turn() -> bool:
            if self.app.args.no_stream:
                answer = self.session.send_message(text, **turn_options)
                self.app.print(answer.text)
            else:
                stream = self.session.send_message_stream(text, **turn_options)
                with stream:
                    answer = _stream_to(self.app, stream)
            self.app.report_credits(answer)
            self._last_error = 0
            return True

        self._guarded(turn)

    def _command(self, line: str) -> bool:
        """Run a slash command; False means leave."""
        name, _, rest = line.partition(" ")
        rest = rest.strip()
        app = self.app
        if name in ("/exit", "/quit"):
            return False
        if name == "/help":
            app.err.write(_HELP + "\n")
        elif name == "/new":
            self.session = self._new_session()
            app.err.write("new conversation\n")
        elif name == "/model" and rest:
            self.model = rest
            app.err.write(f"model: {rest}\n")
        elif name == "/web" and rest in ("on", "off"):
            self.web_search = rest == "on"
            app.err.write(f"web search: {rest}\n")
        elif name in ("/image", "/file") and rest:
            add = self.attachments.add_image if name == "/image" else self.attachments.add_file
            add(app, rest)
        elif name == "/web":
            app.err.write("usage: /web on|off\n")
        elif name == "/history":
            for message in self.session.get_history():
                app.print(f"{message.role}: {message.content}")
        else:
            app.err.write(f"unknown command {line!r} — /help lists them\n")
        return True


def _enable_line_editing() -> Path | None:
    """Arrow keys and a history file (``~/.oneminai_history``) when readline exists."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline
        return None
    path = Path(os.environ.get("ONEMINAI_HISTORY_FILE", "~/.oneminai_history")).expanduser()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(1000)
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    import readline

    with contextlib.suppress(OSError):
        readline.write_history_file(path)
        path.chmod(0o600)  # what you typed stays yours
