"""The usage ledger: every call in an embedded SQLite database (WAL mode).

Rows are written by one background thread a few times a second, in one transaction each,
so a busy event loop (thousands of streams) never waits for the disk. The spending totals
that budgets check are kept in memory and loaded from the database at start, so a restart
loses nothing that was written.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path

__all__ = ["Entry", "Ledger", "totals"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    key TEXT NOT NULL,
    model TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    status INTEGER NOT NULL,
    credits REAL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    record_id TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS calls_key_model ON calls (key, model);
"""
_INSERT = (
    "INSERT INTO calls (time, key, model, endpoint, status, credits, prompt_tokens,"
    " completion_tokens, duration_ms, record_id, error) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


@dataclass(frozen=True)
class Entry:
    """One call.

    Attributes:
        time: Unix time of the end of the call.
        key: The key's name.
        model: The model asked for.
        endpoint: ``chat.completions``, ``images.generations``…
        status: The HTTP status answered (499: the client went away).
        credits: Credits 1min.AI charged, when known.
        prompt_tokens: Estimated prompt tokens (chat).
        completion_tokens: Estimated completion tokens (chat).
        duration_ms: How long the call took.
        record_id: The 1min.AI record, when there is one.
        error: The error code, for failed calls.
    """

    time: float
    key: str
    model: str
    endpoint: str
    status: int
    credits: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    duration_ms: int = 0
    record_id: str | None = None
    error: str | None = None


#: An entry's fields as a tuple, in the order of ``_INSERT`` (``dataclasses.astuple`` deep-copies
#: every field, which cost more than the insert itself).
_row = attrgetter(*(f.name for f in fields(Entry)))


def _connect(path: str) -> sqlite3.Connection:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    return db


class Ledger:
    """Records calls without blocking the caller; keeps per-key spending totals.

    :meth:`record` only appends to a queue in memory. A background thread writes what has
    accumulated every ``interval`` seconds, in one transaction, so a busy gateway commits a
    few times a second however many calls it serves. :meth:`close` (on shutdown) writes
    everything left.

    Args:
        path: The database file.
        interval: Seconds between writes.
    """

    def __init__(self, path: str, *, interval: float = 0.25) -> None:
        self.path = path
        self._db = _connect(path)
        rows = self._db.execute("SELECT key, COALESCE(SUM(credits), 0) FROM calls GROUP BY key")
        #: Credits spent per key name (read by budget checks).
        self.spent: dict[str, float] = {key: float(total) for key, total in rows}
        self._interval = interval
        self._pending: deque[Entry] = deque()
        self._recorded = 0
        self._written = 0
        self._written_changed = threading.Condition()
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(
            target=self._writer, name="oneminai-gateway-ledger", daemon=True
        )
        self._thread.start()

    def record(self, entry: Entry) -> None:
        """Add a call (returns at once; written by the background thread)."""
        if entry.credits:
            self.spent[entry.key] = self.spent.get(entry.key, 0.0) + entry.credits
        self._pending.append(entry)
        self._recorded += 1

    def _writer(self) -> None:
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            stopping = self._stopping
            batch: list[Entry] = []
            while self._pending:
                batch.append(self._pending.popleft())
            if batch:
                self._write(batch)
            with self._written_changed:
                self._written += len(batch)
                self._written_changed.notify_all()
            if stopping:
                return

    def _write(self, batch: list[Entry]) -> None:
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(_INSERT, map(_row, batch))
        except sqlite3.Error:  # pragma: no cover - disk full, locked…: keep serving
            logging.getLogger("oneminai_gateway").exception(
                "ledger write failed (%d rows)", len(batch)
            )

    def flush(self, timeout: float = 5.0) -> bool:
        """Write every call recorded so far now; return whether it is on disk in time."""
        target = self._recorded
        self._wake.set()
        with self._written_changed:
            return self._written_changed.wait_for(lambda: self._written >= target, timeout)

    def close(self) -> None:
        """Write what is pending and close the database (idempotent)."""
        if self._thread.is_alive():
            self._stopping = True
            self._wake.set()
            self._thread.join(timeout=10)
            self._db.close()


@dataclass(frozen=True)
class Total:
    """Totals of one key and model."""

    key: str
    model: str
    calls: int
    failed: int
    credits: float
    prompt_tokens: int
    completion_tokens: int


def totals(path: str) -> Iterator[Total]:
    """Totals per key and model, read from a ledger file (safe while the gateway runs)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT key, model, COUNT(*), SUM(status >= 400), COALESCE(SUM(credits), 0),"
            " SUM(prompt_tokens), SUM(completion_tokens) FROM calls GROUP BY key, model"
            " ORDER BY key, model"
        ).fetchall()
    finally:
        db.close()
    for key, model, calls, failed, credits, prompt, completion in rows:
        yield Total(
            key,
            model,
            int(calls),
            int(failed or 0),
            float(credits),
            int(prompt or 0),
            int(completion or 0),
        )
