#!/usr/bin/env python3
"""A small IMAP server that opens some folders and refuses others the way
Dovecot refuses a folder it cannot open: an untagged `* NO [SERVERBUG] …`
in its answer to EXAMINE (or SELECT), before a tagged OK.

  refusing.py --refuse FOLDER [--refuse FOLDER …] [--message FILE]

Any login is taken. A folder not refused holds one message (FILE, or a
short note) with UID 1. Prints "READY <port>" on standard output when it
listens; serves until killed.
"""

import argparse
import socket
import socketserver
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--message")
    args = p.parse_args()
    if args.message:
        with open(args.message, "rb") as f:
            message = f.read()
    else:
        message = b"From: someone@example.net\r\nSubject: hello\r\n\r\nHi\r\n"
    refused = {f.lower() for f in args.refuse}

    class Session(socketserver.StreamRequestHandler):
        def say(self, text):
            self.wfile.write(text if isinstance(text, bytes) else text.encode())
            self.wfile.flush()

        def handle(self):
            self.say("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            for raw in self.rfile:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                tag, _, rest = line.partition(" ")
                command = rest.upper()
                if command.startswith("CAPABILITY"):
                    self.say("* CAPABILITY IMAP4rev1\r\n%s OK done\r\n" % tag)
                elif command.startswith("EXAMINE") or command.startswith("SELECT"):
                    folder = rest.split(" ", 1)[1].strip().strip('"')
                    if folder.lower() in refused:
                        self.say("* FLAGS (\\Answered \\Seen)\r\n"
                                 "* NO [SERVERBUG] Internal error occurred. Refer to server log for more information. [2026-12-06 21:04:55]\r\n"
                                 "* OK [UIDVALIDITY 7] UIDs valid\r\n"
                                 "%s OK [READ-ONLY] Examine completed\r\n" % tag)
                    else:
                        self.say("* 1 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n"
                                 "%s OK [READ-ONLY] Examine completed\r\n" % tag)
                elif command.startswith("UID SEARCH"):
                    self.say("* SEARCH 1\r\n%s OK done\r\n" % tag)
                elif command.startswith("UID FETCH"):
                    self.say(b"* 1 FETCH (UID 1 RFC822.SIZE %d INTERNALDATE \"06-Dec-2026 10:00:00 +0000\" "
                             b"RFC822.HEADER {%d}\r\n" % (len(message), len(message))
                             if "RFC822.HEADER" in command else
                             b"* 1 FETCH (UID 1 RFC822.SIZE %d INTERNALDATE \"06-Dec-2026 10:00:00 +0000\" "
                             b"BODY[]<0> {%d}\r\n" % (len(message), len(message)))
                    self.say(message + b")\r\n")
                    self.say("%s OK done\r\n" % tag)
                elif command.startswith("LOGOUT"):
                    self.say("* BYE bye\r\n%s OK done\r\n" % tag)
                    return
                else:
                    self.say("%s OK done\r\n" % tag)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Session) as server:
        print("READY %d" % server.server_address[1], flush=True)
        server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
