"""A small DNS server for the tests: answers TXT, A, AAAA and MX questions
over UDP on 127.0.0.1 from a JSON zone file, and NXDOMAIN for any other
name. Prints "READY <port>" once its socket is bound.

  server.py ZONE.json [--port N]

The zone: {"name": {"TXT": ["v=spf1 …"], "A": ["192.0.2.1"], "MX": ["mx.name"]}}.
A TXT value longer than 255 bytes is sent as several strings, as real
servers do with long SPF records.
"""
import argparse
import ipaddress
import json
import socket
import struct

TYPES = {1: "A", 15: "MX", 16: "TXT", 28: "AAAA"}


def read_name(buf, at):
    labels = []
    while buf[at] != 0:
        n = buf[at]
        labels.append(buf[at + 1:at + 1 + n].decode("ascii"))
        at += 1 + n
    return ".".join(labels).lower(), at + 1


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def rdata(kind, value):
    if kind == "TXT":
        raw = value.encode("utf-8")
        chunks = [raw[i:i + 255] for i in range(0, len(raw), 255)] or [b""]
        return b"".join(bytes([len(c)]) + c for c in chunks)
    if kind in ("A", "AAAA"):
        return ipaddress.ip_address(value).packed
    if kind == "MX":
        return struct.pack(">H", 10) + encode_name(value)
    raise ValueError(kind)


def answer(zone, query):
    qid, _flags, qd = struct.unpack(">HHH", query[:6])
    name, at = read_name(query, 12)
    qtype, _qclass = struct.unpack(">HH", query[at:at + 4])
    question = query[12:at + 4]
    records = zone.get(name)
    kind = TYPES.get(qtype)
    rcode = 0 if records is not None else 3
    values = (records or {}).get(kind, []) if kind else []
    flags = 0x8180 | rcode
    out = struct.pack(">HHHHHH", qid, flags, 1, len(values), 0, 0) + question
    for v in values:
        data = rdata(kind, v)
        out += b"\xc0\x0c" + struct.pack(">HHIH", qtype, 1, 60, len(data)) + data
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("zone")
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    with open(args.zone, encoding="utf-8") as f:
        zone = {k.lower().rstrip("."): v for k, v in json.load(f).items()}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", args.port))
    print("READY", sock.getsockname()[1], flush=True)
    while True:
        query, peer = sock.recvfrom(4096)
        try:
            sock.sendto(answer(zone, query), peer)
        except (IndexError, struct.error, UnicodeDecodeError):
            continue


if __name__ == "__main__":
    main()
