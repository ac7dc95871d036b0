"""Client calls to an app's backend (`apps[].rpc`): the quiz round trip — a Socket.IO client in `/rooms/quiz1`
submits an answer with an acknowledgement, the backend checks the signature, scores it, answers, and publishes
the result to the room itself — and the answers a client gets when the backend cannot give one."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from client_events_support import events_named, native_marker, sio_connect, wait_event
from herald_harness import Herald, free_port

SECRET = "quiz-secret"
TIMEOUT_MS = 1000


class Backend:
    """A quiz backend on a local port: `/rpc` takes the edge's calls; what it received is kept."""

    def __init__(self):
        self.calls = []
        self.release = threading.Event()
        self.herald = None
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                call = json.loads(body)
                backend.calls.append((call, self.headers.get("X-Herald-Signature") == expected,
                                      self.headers.get("Content-Type")))
                if self.headers.get("X-Herald-Signature") != expected:
                    return self.answer(401, b'{"error":"bad signature"}')
                event = call["event"]
                if event == "quiz:answer_submit":
                    correct = call["data"]["answer"] == "B"
                    result = {"success": True, "correct": correct, "responseTime": 840, "rank": 1 if correct else 5}
                    # The app publishes the result to the room itself, as an app room event.
                    broadcast = requests.post(
                        f"{backend.herald.base}/api/rooms/{call['room']}/events", timeout=10,
                        headers={"Authorization": f"Bearer {SECRET}", "X-App-Id": "quiz"},
                        json={"event": "quiz:answer_result",
                              "data": {"userId": call["user"]["id"], "correct": correct}})
                    assert broadcast.status_code == 202, broadcast.text
                    return self.answer(200, json.dumps(result).encode())
                if event == "quiz:stall":
                    backend.release.wait(30)
                    return self.answer(200, b"{}")
                if event == "quiz:crash":
                    return self.answer(500, b"boom")
                if event == "quiz:garble":
                    return self.answer(200, b"this is not json")
                return self.answer(404, b"{}")

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()


@pytest.fixture(scope="module")
def backend():
    instance = Backend()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def herald(tmp_path_factory, backend):
    closed = free_port()
    config = (
        "apps:\n"
        '  - {id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: ["realtime:publish"]}\n'
        f'  - {{id: "quiz", key: "quiz-key", secret: "{SECRET}", permissions: ["realtime:publish"], rpc: {{url: "http://127.0.0.1:{backend.port}/rpc", '
        f'events: ["quiz:answer_submit", "quiz:stall", "quiz:crash", "quiz:garble"], timeout_ms: {TIMEOUT_MS}}}}}\n'
        f'  - {{id: "gone", key: "gone-key", secret: "gone-secret", rpc: {{url: "http://127.0.0.1:{closed}/rpc", '
        'events: ["gone:call"]}}\n'
    )
    instance = Herald(tmp_path_factory.mktemp("rpc"), extra_config=config).start()
    backend.herald = instance
    yield instance
    instance.stop()


def room_token(herald, sub, name=None):
    args = ["token", "--sub", str(sub), "--role", "member", "--channel", "room.*", "--config", herald.config]
    if name:
        args += ["--name", name]
    out = herald.ctl(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_quiz_round_trip(herald, backend):
    player, got = sio_connect(herald, room_token(herald, 40, "Bea"), ["quiz:answer_result", "quiz:answer_submit"],
                              namespaces=["/rooms/quiz1"])
    rival, rival_got = sio_connect(herald, room_token(herald, 41), ["quiz:answer_result", "quiz:answer_submit"],
                                   namespaces=["/rooms/quiz1"])
    watcher = herald.client(room_token(herald, 42))
    try:
        assert watcher.command("subscribe", channel="room.quiz1")["ok"]
        answer = player.call("quiz:answer_submit", {"questionId": 3, "answer": "B"}, namespace="/rooms/quiz1",
                             timeout=15)
        assert answer == {"success": True, "correct": True, "responseTime": 840, "rank": 1}
        call, signed, content_type = backend.calls[-1]
        assert signed and content_type == "application/json"
        assert call == {"event": "quiz:answer_submit", "data": {"questionId": 3, "answer": "B"}, "room": "quiz1",
                        "user": {"id": "40", "roles": ["member"], "name": "Bea"}, "socket_id": player.get_sid("/rooms/quiz1")}
        for collector in (got, rival_got):
            assert collector.wait("quiz:answer_result")[0] == {"userId": "40", "correct": True}
        assert wait_event(watcher, "quiz:answer_result")["data"] == {"userId": "40", "correct": True}
        # A call is not a client event: the room never receives it.
        native_marker(herald, [watcher], "room.quiz1")
        assert not events_named(watcher, "quiz:answer_submit")
        assert rival_got.all("quiz:answer_submit") == []

        # Native publish on the room is a call too; the answer is the ack's data.
        native_answer = watcher.command(
            "publish", channel="room.quiz1", event="quiz:answer_submit", data={"questionId": 3, "answer": "C"})
        assert native_answer["ok"] and native_answer["data"]["correct"] is False, native_answer
        # Socket.IO on "/" with {channel, data}.
        main, _ = sio_connect(herald, room_token(herald, 43), [])
        try:
            assert main.call("room:subscribe", {"roomId": "quiz1"}, timeout=15)["success"]
            main_answer = main.call("quiz:answer_submit", {"channel": "room.quiz1", "data": {"answer": "B"}},
                                    timeout=15)
            assert main_answer["rank"] == 1
        finally:
            main.disconnect()
    finally:
        player.disconnect()
        rival.disconnect()
        watcher.close()


@pytest.mark.parametrize("event, code", [("quiz:stall", "UNAVAILABLE"), ("quiz:crash", "INTERNAL"),
                                         ("quiz:garble", "INTERNAL"), ("gone:call", "UNAVAILABLE")])
def test_a_call_without_an_answer_is_acknowledged_with_the_reason(herald, event, code):
    player, _ = sio_connect(herald, room_token(herald, 44), [], namespaces=["/rooms/quiz2"])
    native = herald.client(room_token(herald, 45))
    try:
        started = time.monotonic()
        answer = player.call(event, {"answer": "A"}, namespace="/rooms/quiz2", timeout=15)
        elapsed = time.monotonic() - started
        assert answer["success"] is False and answer["error"]["code"] == code, answer
        assert answer["error"]["message"]
        if event == "quiz:stall":
            assert elapsed < TIMEOUT_MS / 1000 + 2, f"answered after {elapsed:.1f}s"
        assert native.command("subscribe", channel="room.quiz2")["ok"]
        refused = native.command("publish", channel="room.quiz2", event=event, data={})
        assert not refused["ok"] and refused["error"]["code"] == code, refused
    finally:
        player.disconnect()
        native.close()
