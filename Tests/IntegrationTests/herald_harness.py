"""Starts the real Herald binaries through `herald run` and drives them the way users do.

Readiness is never guessed: `herald run` prints a line once every stage has reported READY=1, and one
per stage (re)start, and the harness waits for those lines.
"""
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time

import requests
import websocket

BIN_DIR = os.environ.get("BIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug"))
API_KEY = "dev-api-key"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[-1][0] != "Z"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Every test connects from 127.0.0.1, often as one user: the connection limits are off unless a test sets them.
CONNECTION_LIMITS_OFF = {"connection_attempts_per_ip_per_minute": 0, "connections_per_user": 0}


def _connection_limits_off(extra_config):
    entries = ", ".join(f"{key}: {value}" for key, value in CONNECTION_LIMITS_OFF.items() if key not in extra_config)
    if not entries:
        return extra_config
    if "limits: {" in extra_config:
        return extra_config.replace("limits: {", "limits: {" + entries + ", ", 1)
    assert "limits:" not in extra_config, "write limits as a flow mapping, limits: {…}, so the harness can extend it"
    return f"limits: {{{entries}}}\n" + extra_config


class Herald:
    """One `herald run` in a private runtime directory, on free loopback ports."""

    def __init__(self, workdir, extra_config="", edge_config="", auth_config=""):
        extra_config = _connection_limits_off(extra_config)
        self.workdir = str(workdir)
        self.runtime = os.path.join(self.workdir, "run")
        self.http_port = free_port()
        self.ws_port = free_port()
        self.config = os.path.join(self.workdir, "herald.yaml")
        with open(self.config, "w") as f:
            f.write(
                f'ingress: {{listen: "127.0.0.1:{self.http_port}"}}\n'
                f'edge: {{listen: "127.0.0.1:{self.ws_port}", allowed_origins: ["*"]{", " + edge_config if edge_config else ""}}}\n'
                f'auth: {{jwt_secret: "integration-secret"{", " + auth_config if auth_config else ""}}}\n' + extra_config
            )
        self.lines = []
        self._eof = False
        self._cond = threading.Condition()
        self.proc = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self, timeout=60):
        self.proc = subprocess.Popen(
            [os.path.join(BIN_DIR, "herald"), "run", "--config", self.config, "--runtime-dir", self.runtime],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for_line(r"Herald is running", timeout)
        return self

    def _read(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        self.proc.wait()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def wait_for_line(self, pattern, timeout=30, after=0):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index, line in enumerate(self.lines[after:], start=after):
                    if regex.search(line):
                        return index, line
                remaining = deadline - time.monotonic()
                # Give up early only once everything `herald run` wrote has been read: lines written just
                # before it exited may still be in the pipe when it is reaped.
                if remaining <= 0 or self._eof:
                    tail = "\n".join(self.lines[-40:])
                    raise AssertionError(f"no log line matching {pattern!r} within {timeout}s; last lines:\n{tail}")
                self._cond.wait(remaining)

    def stop(self, timeout=30):
        """SIGTERM to `herald run`; returns its exit status and the stage pids still alive afterwards.

        Stages run in their own process groups, so anything left behind is killed here by pid."""
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None, []
        try:
            pids = [row["pid"] for row in self.status().values() if row["pid"]]
        except Exception:
            pids = []
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            status = self.proc.wait()
        survivors = [pid for pid in pids if _alive(pid)]
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
        return status, survivors

    # -- operations ------------------------------------------------------------------------------

    def ctl(self, *args):
        out = subprocess.run(
            [os.path.join(BIN_DIR, "heraldctl"), *args], capture_output=True, text=True, timeout=30
        )
        return out

    def status(self):
        out = self.ctl("status", "--runtime-dir", self.runtime, "--json")
        return {row["stage"]: row for row in json.loads(out.stdout)}

    def pid(self, stage):
        return self.status()[stage]["pid"]

    def kill9(self, stage):
        """kill -9 a stage and return the index after which its restart line will appear."""
        pid = self.pid(stage)
        with self._cond:
            mark = len(self.lines)
        os.kill(pid, signal.SIGKILL)
        return pid, mark

    def token(self, sub, role="member"):
        out = self.ctl("token", "--sub", str(sub), "--role", role, "--config", self.config)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.http_port}"

    def broadcast(self, body, session=requests, key=API_KEY, timeout=30):
        return session.post(
            self.base + "/api/broadcast", json=body, timeout=timeout,
            headers={"Authorization": f"Bearer {key}"},
        )

    def client(self, token, path="/ws"):
        return NativeClient(f"ws://127.0.0.1:{self.ws_port}{path}?token={token}")


class NativeClient:
    """A native-protocol subscriber on websocket-client, collecting every event it receives."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=30)
        self.welcome = json.loads(self.ws.recv())
        self.events = []
        self.presence = []
        self.frame_types = []
        self.acks = {}
        self._cond = threading.Condition()
        self._next = 1
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                frame = json.loads(self.ws.recv())
                with self._cond:
                    self.frame_types.append(frame.get("type"))
                    if frame.get("type") == "event":
                        self.events.append(frame)
                    elif frame.get("type") == "batch":
                        self.events.extend(frame["events"])
                    elif frame.get("type") == "presence":
                        self.presence.append(frame)
                    elif frame.get("type") == "ack":
                        self.acks[frame["id"]] = frame
                    self._cond.notify_all()
        except Exception:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def command(self, type_, timeout=15, **fields):
        with self._cond:
            command_id = self._next
            self._next += 1
        self.ws.send(json.dumps({"type": type_, "id": command_id, **fields}))
        with self._cond:
            if not self._cond.wait_for(lambda: command_id in self.acks or self._closed, timeout):
                raise AssertionError(f"no ack for {type_} within {timeout}s")
            assert command_id in self.acks, "connection closed before the ack"
            return self.acks[command_id]

    def wait_for(self, predicate, timeout=30):
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self.events), timeout)

    def wait_for_presence(self, predicate, timeout=30):
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self.presence), timeout)

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
