"""A small SMTP server for worker tests, run in the test's own process on a port the OS picks.

It keeps every message it accepts (`messages`), and can call `on_message(message)` once a message's
data has arrived and before it answers "250 accepted": the moment an SMTP server has the email and
the sender does not yet know, where a test kills the sender.
"""

import email
import socketserver
import threading
from email.message import Message


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self):
        server = self.server.owner
        try:
            self.reply("220 test.smtp ready")
            while line := self.rfile.readline():
                command = line.decode("utf-8", "replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 test.smtp")
                elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                    self.reply("250 OK")
                elif command == "DATA":
                    self.reply("354 go ahead")
                    data = []
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                        data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    server.accept(email.message_from_bytes(b"".join(data)))
                    self.reply("250 accepted")
                elif command == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("502 not implemented")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender died: what it sent before is kept


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SMTPServer:
    def __init__(self, on_message=None):
        self.messages: list[Message] = []
        self.on_message = on_message
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def accept(self, message: Message):
        with self._lock:
            self.messages.append(message)
            callback, self.on_message = self.on_message, None  # once
        if callback is not None:
            callback(message)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
