"""A real SMTP server on loopback for the engine's tests and benchmark: it logs what it accepted
and can be told to misbehave (refuse some addresses, answer 421 a number of times, be slow).

    with smtp_sink() as sink:
        sink.refuse("gone@example.org")      # 550 at RCPT for this address
        sink.defer(3)                        # the next 3 RCPTs get 421
        sink.delay = 0.5                     # seconds before answering DATA
        ... EMAIL_URL = sink.url ...
        sink.accepted                        # [(recipient, Message-ID), …] in order
"""

from __future__ import annotations

import asyncio
import email
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session


@dataclass
class Sink:
    """What the server accepted, and how it should behave next."""

    port: int = 0
    accepted: list[tuple[str, str]] = field(default_factory=list)
    messages: list[bytes] = field(default_factory=list)
    keep_messages: bool = True
    refused: set[str] = field(default_factory=set)
    deferrals: int = 0  # RCPTs still to answer with 421
    delay: float = 0.0  # seconds before answering DATA
    on_accept: Callable[[str, int], None] | None = None  # (recipient, count so far)
    lock: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        """The EMAIL_URL of this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def refuse(self, *addresses: str) -> None:
        """Answer 550 to RCPT for these addresses (case-insensitive)."""
        with self.lock:
            self.refused |= {a.lower() for a in addresses}

    def defer(self, times: int) -> None:
        """Answer 421 to the next `times` RCPTs."""
        with self.lock:
            self.deferrals = times

    def recipients(self) -> list[str]:
        """Every accepted recipient, in order (an address twice means mailed twice)."""
        with self.lock:
            return [r for r, _mid in self.accepted]

    def wait_for(self, count: int, timeout: float = 30) -> None:
        """Block until `count` messages were accepted (AssertionError after `timeout`)."""
        with self.lock:
            if not self.lock.wait_for(lambda: len(self.accepted) >= count, timeout):
                raise AssertionError(f"{len(self.accepted)} accepted, expected {count}")

    def parsed(self, index: int) -> Message:
        """One accepted message, parsed."""
        return email.message_from_bytes(self.messages[index])

    # aiosmtpd handler hooks
    async def handle_RCPT(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        with self.lock:
            if self.deferrals > 0:
                self.deferrals -= 1
                return "421 4.7.0 Try again later"
            if address.lower() in self.refused:
                return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        data = envelope.original_content or b""
        message_id = _header(data, b"message-id")
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.accepted.append((rcpt, message_id))
                if self.keep_messages:
                    self.messages.append(data)
            count = len(self.accepted)
            self.lock.notify_all()
        if self.on_accept is not None:
            for rcpt in envelope.rcpt_tos:
                self.on_accept(rcpt, count)
        return "250 2.0.0 Queued"


def _header(data: bytes, name: bytes) -> str:
    """One header's value from raw message bytes, without parsing the whole message."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.splitlines():
        if line.lower().startswith(name + b":"):
            return line.split(b":", 1)[1].strip().decode("ascii", "replace")
    return ""


class _LoopbackController(Controller):
    """aiosmtpd's threaded controller on a port the OS chooses (see e2e/conftest.py)."""

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server, self.server)
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_sink(**options: Any) -> Iterator[Sink]:
    """A Sink listening on 127.0.0.1 for the block."""
    sink = Sink(**options)
    controller = _LoopbackController(
        sink, hostname="127.0.0.1", port=0, data_size_limit=50 * 1024 * 1024
    )
    controller.start()
    sink.port = controller.port
    try:
        yield sink
    finally:
        controller.stop()
