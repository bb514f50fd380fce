"""An e-mail backend for tests with a real worker process: each message is written to its own
file in the folder ``SOP_TEST_MAIL_SINK`` (atomically: written aside, then renamed), after
``SOP_TEST_MAIL_DELAY`` seconds per message (a slow mail server). With
``SOP_TEST_MAIL_HANG_AT=N`` it stops before the message after the N-th in the folder (writes a
``HANGING`` file and sleeps): a test kills the worker there, in the middle of a send.

``EMAIL_BACKEND=tests.mail_sink.FileSinkBackend`` in the worker's environment."""

import os
import time
import uuid
from email import message_from_bytes
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HANGING = "HANGING"


def sink_folder() -> Path:
    return Path(os.environ["SOP_TEST_MAIL_SINK"])


def messages(folder: Path) -> list:
    """The messages in ``folder`` (parsed), in no particular order."""
    return [message_from_bytes(path.read_bytes()) for path in folder.glob("*.eml")]


def count_by_recipient(folder: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in messages(folder):
        counts[message["To"]] = counts.get(message["To"], 0) + 1
    return counts


class FileSinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = sink_folder()
        folder.mkdir(parents=True, exist_ok=True)
        delay = float(os.environ.get("SOP_TEST_MAIL_DELAY") or 0)
        hang_at = int(os.environ.get("SOP_TEST_MAIL_HANG_AT") or 0)
        for message in email_messages:
            if hang_at and len(list(folder.glob("*.eml"))) >= hang_at:
                (folder / HANGING).touch()
                time.sleep(3600)
            if delay:
                time.sleep(delay)
            name = uuid.uuid4().hex
            aside = folder / f".{name}.tmp"
            aside.write_bytes(message.message().as_bytes())
            aside.rename(folder / f"{name}.eml")
        return len(email_messages)
