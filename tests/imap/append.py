"""Puts messages into a mailbox by IMAP APPEND, as a mail server delivering
them would leave them: unread (no flag). For tests/responses.rs.

usage: append.py HOST PORT CAFILE USER PASSWORD FOLDER FILE...
Each FILE is one message (CRLF line ends). Prints one line per message.
"""

import imaplib
import ssl
import sys


def main():
    host, port, cafile, user, password, folder, *files = sys.argv[1:]
    context = ssl.create_default_context(cafile=cafile)
    with imaplib.IMAP4_SSL(host, int(port), ssl_context=context) as imap:
        imap.login(user, password)
        for name in files:
            with open(name, "rb") as f:
                data = f.read()
            typ, detail = imap.append(folder, None, None, data)
            if typ != "OK":
                sys.exit(f"APPEND of {name} refused: {detail}")
            print(f"appended {name}")
        imap.logout()


if __name__ == "__main__":
    main()
