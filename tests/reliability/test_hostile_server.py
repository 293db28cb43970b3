"""The hostile server's own hygiene: stopping it ends every connection it accepted.

A fast client (the sync client's upload that stops after 2 MiB fits in the kernel's
socket buffers) can connect, send, give up and close before the server's loop has even
started the connection's handler. ``stop()`` must still close that connection: one left
open stays with a pending task in a closed loop, and the garbage collector later reports
its socket as a ``ResourceWarning`` in whichever test runs next.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from .hostile_server import Conn, HostileServer, Req


async def _idle(conn: Conn, req: Req) -> None:
    await asyncio.sleep(10)  # never answers: only stop() ends the connection


def _closed_by_server(sock: socket.socket) -> bool:
    """True when the server's side is closed (end of file or reset) within 2 s."""
    sock.settimeout(2)
    try:
        while sock.recv(65536):
            pass
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize("turns", range(6))
async def test_stop_closes_a_connection_accepted_just_before(turns: int) -> None:
    """Whatever the loop turn at which ``stop()`` comes (the connection accepted, its
    transport made, its handler started or not), nothing of the server is left running
    and the connection is closed."""
    srv = await HostileServer(_idle).start()
    sock = socket.create_connection(("127.0.0.1", srv.port))  # accepted by the kernel
    try:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\npartial")
        for _ in range(turns):
            await asyncio.sleep(0)
        await srv.stop()
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert left == [], f"tasks left running after stop(): {left}"
        assert _closed_by_server(sock), "the connection was left open"
    finally:
        sock.close()


def test_stop_on_its_thread_closes_a_connection_accepted_just_before() -> None:
    """The threaded server (sync tests) stops the same way: the client's connection,
    made and abandoned in no time, is closed by the server before its loop ends."""
    for _ in range(20):
        with HostileServer(_idle) as srv:
            sock = socket.create_connection(("127.0.0.1", srv.port))
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\npartial")
        try:
            assert _closed_by_server(sock), "the connection was left open"
        finally:
            sock.close()
