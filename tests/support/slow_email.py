"""An email backend for worker tests: writes each email to a file, after an optional pause.

The pause (SLOW_EMAIL_SECONDS) gives a test time to kill the worker in the middle of a send; a
marker file says the send has begun. An email counts as sent only once its file is written.
"""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        (folder.parent / "sending").write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "0")))
        for message in messages:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
