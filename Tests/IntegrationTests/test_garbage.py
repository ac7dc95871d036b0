"""Bad input never crashes a daemon: garbage on every socket is answered or closed, and /health stays 200."""
import errno
import os
import socket
import struct

import requests

GARBAGE = [
    b"\x00\xff\xfe garbage \r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"\xff" * 4096,
    struct.pack(">I", 0xFFFFFFFF) + b"{}",
    struct.pack(">I", 0),
    struct.pack(">I", 9) + b"not json!",
    struct.pack(">I", 2) + b"[]",
    struct.pack(">I", 17) + b'{"type":"event"}',
    struct.pack(">I", 15) + b'{"type":"nope"}',
]


def poke(connect, payload):
    """Sends payload and reads until the peer answers and/or closes; both are fine, a hang is not."""
    with connect() as s:
        s.settimeout(10)
        try:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        except (ConnectionResetError, BrokenPipeError):
            pass
        except OSError as error:  # the peer closed before our shutdown: closing is a fine answer
            if error.errno != errno.ENOTCONN:
                raise


def test_garbage_on_every_socket_leaves_every_daemon_up(herald):
    pids = {stage: row["pid"] for stage, row in herald.status().items()}

    def tcp(port):
        return lambda: socket.create_connection(("127.0.0.1", port))

    def unix(name):
        def connect():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.path.join(herald.runtime, name))
            return s
        return connect

    targets = [tcp(herald.http_port), tcp(herald.ws_port), unix("authorizer.sock"), unix("batcher.sock")]
    targets += [unix(f"{stage}-admin.sock") for stage in ("ingress", "authorizer", "batcher", "ws-edge")]
    for target in targets:
        for payload in GARBAGE:
            poke(target, payload)

    # A WebSocket that upgrades properly and then sends nonsense frames.
    client = herald.client(herald.token(5))
    client.ws.send("this is not json")
    client.ws.send_binary(b"\x00\x01")
    assert client.command("ping")["ok"] is True
    client.close()

    health = requests.get(herald.base + "/health", timeout=10)
    assert health.status_code == 200, health.text
    assert {stage: row["pid"] for stage, row in herald.status().items()} == pids
