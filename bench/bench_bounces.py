"""Bounce reading: read_bounce() per message over flufl.bounce's 117 recorded messages.

The baseline is the stdlib's own parse of the same bytes (policy.default, then get_body()), in
this process; the ratio says what the DSN reading, the detectors and the classification add.

    .venv/bin/python bench/bench_bounces.py        # corpus in PRESSDESK_CORPUS (../shared/data)
"""

from __future__ import annotations

import email
import os
import time
from collections.abc import Callable
from email import policy
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
django.setup()

from pressdesk.mailings.bounces import read_bounce  # noqa: E402

ROUNDS = 5


def per_message(messages: list[bytes], read: Callable[[bytes], object]) -> float:
    """CPU seconds per message over ROUNDS passes."""
    start = time.process_time()
    for _ in range(ROUNDS):
        for data in messages:
            read(data)
    return (time.process_time() - start) / (ROUNDS * len(messages))


def main() -> None:
    root = Path(__file__).resolve().parent.parent / os.environ.get(
        "PRESSDESK_CORPUS", "../shared/data"
    )
    messages = [p.read_bytes() for p in sorted((root / "mail/flufl-bounce/eml").glob("*.txt"))]
    base = per_message(
        messages, lambda d: email.message_from_bytes(d, policy=policy.default).get_body()
    )
    ours = per_message(messages, read_bounce)
    print(
        f"{len(messages)} messages: stdlib parse {base * 1000:.2f} ms, "
        f"read_bounce {ours * 1000:.2f} ms per message, ratio {ours / base:.1f}x"
    )


if __name__ == "__main__":
    main()
