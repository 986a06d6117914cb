#!/usr/bin/env python3
"""A real SMTP server for Hemicycle's send tests, on aiosmtpd.

Every message it accepts is appended (and fsync'd) to DIR/received.jsonl,
one line per envelope recipient: {"rcpt", "mail_from", "message_id",
"subject", "to_header", "bcc_header"}. It prints "READY <port>" on standard
output when it listens.

Faults, to test how the client copes:
  --defer N            answer the first N RCPT TO of each address with 451
  --reject ADDR        answer RCPT TO ADDR with 550 (repeatable)
  --drop-after-data A  for a message to A: keep it, then cut the connection
  --close-after-data A for the first message to A: refuse it with 421 at the
                       end of DATA and close the connection (a server going
                       down); the next one is taken
                       instead of answering (the client cannot know it arrived)
  --auth USER:PASS     require a login (PLAIN/LOGIN)
  --tls-cert/--tls-key offer STARTTLS with this certificate and require it
  --keep-raw           add the message's bytes as received ("raw", in hex)
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import sys
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.args = args
        self.defer = args.defer
        self.seen = {}
        self.reject = {a.lower() for a in args.reject}
        self.drop = {a.lower() for a in args.drop_after_data}
        self.close_once = {a.lower() for a in args.close_after_data}
        self.log = os.path.join(args.dir, "received.jsonl")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        if key in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: no such mailbox" % address
        count = self.seen.get(key, 0) + 1
        self.seen[key] = count
        if count <= self.defer:
            return "451 4.7.1 <%s>: Try again later (greylisted)" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        closing = [r for r in envelope.rcpt_tos if r.lower() in self.close_once]
        if closing:
            for r in closing:
                self.close_once.discard(r.lower())
            # Not kept: the reply goes out, then the connection is closed.
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return "421 4.3.2 Service shutting down, closing transmission channel"
        message =  message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        with open(self.log, "a", encoding="utf-8") as f:
            for rcpt in envelope.rcpt_tos:
                line = {
                    "rcpt": rcpt,
                    "mail_from": envelope.mail_from,
                    "message_id": message.get("Message-ID", ""),
                    "subject": str(message.get("Subject", "")),
                    "to_header": str(message.get("To", "")),
                    "bcc_header": str(message.get("Bcc", "")),
                }
                if self.args.keep_raw:
                    raw = envelope.original_content or envelope.content
                    line["raw"] = raw.hex()
                f.write(json.dumps(line) + "\n")
            f.flush()
            os.fsync(f.fileno())
        if any(r.lower() in self.drop for r in envelope.rcpt_tos):
            # Kept it, but the client never hears so.
            server.transport.abort()
            return "250 2.0.0 never seen"
        return "250 2.0.0 Ok: queued as %08d" % (sum(1 for _ in open(self.log, encoding="utf-8")))


class BoundController(Controller):
    """Listens on a socket bound before the server starts, so the port it
    prints is the one it holds: no other process can take it in between."""

    def __init__(self, handler, sock, **kwargs):
        self.sock = sock
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock, ssl=self.ssl_context)


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir", required=True)
    p.add_argument("--defer", type=int, default=0)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--drop-after-data", action="append", default=[])
    p.add_argument("--close-after-data", action="append", default=[])
    p.add_argument("--auth")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--keep-raw", action="store_true")
    args = p.parse_args()

    # Port 0: the kernel picks a free one. A given port (a restart) may still
    # hold connections of the killed server in TIME_WAIT: SO_REUSEADDR.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(64)
    port = sock.getsockname()[1]

    kwargs = {}
    if args.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)
        kwargs.update(authenticator=authenticator(user, password), auth_required=True,
                      auth_require_tls=bool(args.tls_cert))
    controller = BoundController(Handler(args), sock, server_hostname="localhost",
                                 ready_timeout=60, **kwargs)
    # Block the stop signals before the server thread starts, then wait for one.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller.start()
    print("READY %d" % port, flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
