#!/usr/bin/env python3
"""A WebSocket client for Herald's native protocol, written with the Python standard library only.

It runs inside a systemd sandbox, where only the host's /usr is visible, so it cannot rely on
pip-installed modules. It connects to herald-ws-edge, subscribes to one channel and prints one
line per happening, flushed at once, so that a test driving it from outside can poll its output:

    connected                       the edge sent {"type":"connected"}
    subscribed <channel>            the subscribe command was acknowledged with ok:true
    event <channel> <event> <data>  a delivery (single or inside a batch); data as compact JSON
    refused <status>                the upgrade was refused (with --expect-refused this exits 0)
    closed <code>                   the edge closed the connection
    timeout                         --timeout elapsed before --count events arrived

Exit status: 0 when --count events arrived (or the refusal was expected), 1 otherwise.
"""

import argparse
import base64
import hashlib
import json
import os
import select
import socket
import struct
import sys
import time
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Connection:
    """One client WebSocket: masked writes, unmasked reads, pings answered."""

    def __init__(self, url, timeout):
        parts = urllib.parse.urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.target = parts.path + ("?" + parts.query if parts.query else "")
        self.sock = socket.create_connection((self.host, self.port), timeout=timeout)
        self.buffer = b""

    def handshake(self):
        """Returns the HTTP status of the upgrade answer (101 on success) and its body if refused."""
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {self.target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Origin: http://localhost\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        if status != 101:
            return status, self.buffer.decode("utf-8", "replace")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        expected = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise RuntimeError("wrong Sec-WebSocket-Accept: " + headers.get("sec-websocket-accept", "(none)"))
        return status, ""

    def send(self, opcode, payload):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send_json(self, value):
        self.send(0x1, json.dumps(value).encode())

    def _read_exact(self, count, deadline):
        while len(self.buffer) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            readable, _, _ = select.select([self.sock], [], [], remaining)
            if not readable:
                return None
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed without a close frame")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _rest_of_frame(self, count):
        data = self._read_exact(count, time.monotonic() + 10)
        if data is None:
            raise EOFError("a frame stopped arriving halfway")
        return data

    def receive(self, deadline):
        """Returns (opcode, payload) of the next complete message, or None when the deadline passes."""
        message, first_opcode = b"", None
        while True:
            head = self._read_exact(2, deadline)
            if head is None:
                return None
            fin, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._rest_of_frame(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._rest_of_frame(8))[0]
            mask = self._rest_of_frame(4) if head[1] & 0x80 else None
            payload = self._rest_of_frame(length) if length else b""
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self.send(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            if opcode == 0x8:
                return opcode, payload
            if opcode != 0x0:
                first_opcode = opcode
            message += payload
            if fin:
                return first_opcode, message


def deliveries(frame):
    """The events a frame carries: one for {"type":"event"}, several for {"type":"batch"}."""
    if frame.get("type") == "event":
        return [frame]
    if frame.get("type") == "batch":
        return [e for e in frame.get("events", []) if isinstance(e, dict)]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="ws://127.0.0.1:6001/ws")
    parser.add_argument("--token", required=True)
    parser.add_argument("--channel", default="public.news")
    parser.add_argument("--count", type=int, default=1, help="exit 0 after this many events (0: run until timeout)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before giving up")
    parser.add_argument("--expect-refused", action="store_true", help="succeed only if the token is refused")
    args = parser.parse_args()

    deadline = time.monotonic() + args.timeout
    separator = "&" if "?" in args.url else "?"
    connection = Connection(f"{args.url}{separator}token={urllib.parse.quote(args.token)}", args.timeout)
    status, body = connection.handshake()
    if status != 101:
        say(f"refused {status} {body.strip()}")
        return 0 if args.expect_refused else 1

    received, subscribed, next_ping = 0, False, time.monotonic() + 10
    while True:
        now = time.monotonic()
        if now >= deadline:
            say("timeout")
            return 1
        if now >= next_ping:
            connection.send_json({"type": "ping", "id": 1000 + int(now)})
            next_ping = now + 10
        try:
            message = connection.receive(min(deadline, next_ping))
        except EOFError as error:
            say(f"closed eof {error}")
            return 1
        if message is None:
            continue
        opcode, payload = message
        if opcode == 0x8:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            say(f"closed {code} {payload[2:].decode('utf-8', 'replace')}")
            return 0 if args.expect_refused and code == 4001 else 1
        if opcode != 0x1:
            continue
        frame = json.loads(payload)
        kind = frame.get("type")
        if kind == "connected":
            say("connected")
            if args.expect_refused:
                say("accepted")
                return 1
            connection.send_json({"type": "subscribe", "id": 1, "channel": args.channel})
        elif kind == "ack" and frame.get("id") == 1 and not subscribed:
            if not frame.get("ok"):
                say("subscribe-refused " + json.dumps(frame.get("error")))
                return 1
            subscribed = True
            say(f"subscribed {args.channel}")
        elif kind == "error":
            say("error " + json.dumps(frame, separators=(",", ":")))
        for event in deliveries(frame):
            data = json.dumps(event.get("data"), separators=(",", ":"), sort_keys=True)
            say(f"event {event.get('channel')} {event.get('event')} {data}")
            if event.get("channel") == args.channel:
                received += 1
        if args.count and received >= args.count:
            return 0


if __name__ == "__main__":
    sys.exit(main())
