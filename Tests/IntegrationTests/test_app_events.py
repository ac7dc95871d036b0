"""POST /api/rooms/{roomId}/events through all four real daemons: the app's credentials and permission, the
event-name prefix, the backend's word on whether a room exists (a local auth hook), the per-room rate limit,
and delivery with the app's data byte for byte to native, Socket.IO and Pusher subscribers."""
import concurrent.futures
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import socketio
import websocket

from herald_harness import Herald

HOOK_SECRET = "hook-secret"
PER_ROOM_PER_SECOND = 2
TIMEOUT = 20
APPS = (
    "apps:\n"
    '  - {id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: ["realtime:publish"]}\n'
    '  - {id: "reader", key: "reader-key", secret: "reader-secret"}\n'
)
# Rooms whose id starts with open- are public, so an anonymous Pusher connection may follow them.
RULES = 'channels: {rules: [{pattern: "room.open-*", allow: [anyone]}]}\n'


class HookServer:
    """The backend's auth hook: room checks (user null) answer 2xx for rooms named known-… or open-…, 500 for
    broken-…, 404 otherwise; it records every question with its Authorization header."""

    def __init__(self):
        self.questions = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with outer.lock:
                    outer.questions.append((self.headers.get("Authorization"), body))
                room = body["channel"].removeprefix("room.")
                if body["user"] is None:
                    if room.startswith("broken-"):
                        status = 500
                    elif room.startswith(("known-", "open-")):
                        status = 204
                    else:
                        status = 404
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answer = json.dumps({"allow": room.startswith(("known-", "open-"))}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/herald/authorize"

    def room_checks(self, room):
        with self.lock:
            return [(auth, q) for auth, q in self.questions if q["user"] is None and q["channel"] == f"room.{room}"]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hook():
    server = HookServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def herald(tmp_path_factory, hook):
    instance = Herald(
        tmp_path_factory.mktemp("app-events"),
        extra_config=f"limits: {{app_events_per_second_per_room: {PER_ROOM_PER_SECOND}}}\n" + APPS + RULES,
    )
    # The harness writes auth as one flow mapping; the hook goes into it.
    with open(instance.config) as f:
        text = f.read()
    text = text.replace(
        'auth: {jwt_secret: "integration-secret"}',
        f'auth: {{jwt_secret: "integration-secret", hook: {{url: "{hook.url}", secret: "{HOOK_SECRET}", '
        "cache_seconds: 60}}",
    )
    with open(instance.config, "w") as f:
        f.write(text)
    instance.start()
    yield instance
    instance.stop()


def room(prefix="known"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def post(herald, room_id, body, app="lottery", secret="lottery-secret", raw=None, headers=None):
    sent = {"X-App-Id": app, "Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    if headers is not None:
        sent = headers
    data = raw if raw is not None else json.dumps(body)
    return requests.post(f"{herald.base}/api/rooms/{room_id}/events", data=data, headers=sent, timeout=30)


def error_code(response):
    body = response.json()
    assert body["ok"] is False, body
    return body["error"]["code"]


def test_an_accepted_event_is_answered_with_its_id(herald):
    answer = post(herald, room(), {"event": "lottery:draw.started", "data": {"n": 1}})
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["ok"] is True and body["id"].startswith("evt_"), body


@pytest.mark.parametrize("headers", [
    {},
    {"X-App-Id": "lottery"},
    {"Authorization": "Bearer lottery-secret"},
    {"X-App-Id": "nobody", "Authorization": "Bearer lottery-secret"},
    {"X-App-Id": "lottery", "Authorization": "Bearer wrong-secret"},
    {"X-App-Id": "lottery", "Authorization": "Bearer reader-secret"},
], ids=["none", "no-secret", "no-app", "unknown-app", "wrong-secret", "another-apps-secret"])
def test_unknown_apps_and_wrong_secrets_are_authentication_failures(herald, hook, headers):
    target = room()
    answer = post(herald, target, {"event": "lottery:draw", "data": {}}, headers=headers)
    assert answer.status_code == 401, answer.text
    assert error_code(answer) == "AUTHENTICATION_FAILED"
    assert hook.room_checks(target) == []


def test_an_app_without_realtime_publish_is_refused(herald, hook):
    target = room()
    answer = post(herald, target, {"event": "reader:draw", "data": {}}, app="reader", secret="reader-secret")
    assert answer.status_code == 403, answer.text
    assert error_code(answer) == "APP_PERMISSION_DENIED"
    assert "realtime:publish" in answer.json()["error"]["message"]
    assert hook.room_checks(target) == []


@pytest.mark.parametrize("name", ["draw.started", "reader:draw", "lotteryx:draw", "x.lottery:draw"])
def test_event_names_without_the_apps_prefix_are_refused(herald, name):
    answer = post(herald, room(), {"event": name, "data": {}})
    assert answer.status_code == 403, answer.text
    assert error_code(answer) == "APP_PERMISSION_DENIED"


@pytest.mark.parametrize("raw", [
    "", "not json", "[]", '{"data":{}}', '{"event":"lottery:draw"}', '{"event":"lottery:draw","data":[1]}',
    '{"event":"lottery:draw","data":"x"}', '{"event":"lottery:bad name","data":{}}', '{"event":7,"data":{}}',
])
def test_malformed_bodies_are_invalid_payloads(herald, raw):
    answer = post(herald, room(), None, raw=raw)
    assert answer.status_code == 400, answer.text
    assert error_code(answer) == "INVALID_PAYLOAD"


def test_an_invalid_room_id_is_an_invalid_payload(herald):
    answer = post(herald, "a.b", {"event": "lottery:draw", "data": {}})
    assert answer.status_code == 400, answer.text
    assert error_code(answer) == "INVALID_PAYLOAD"


def test_a_body_over_the_limit_is_refused(herald):
    big = json.dumps({"event": "lottery:draw", "data": {"x": "a" * (1024 * 1024)}})
    answer = post(herald, room(), None, raw=big)
    assert answer.status_code == 413, answer.text


def test_the_backend_says_which_rooms_exist(herald, hook):
    missing = room("gone")
    answer = post(herald, missing, {"event": "lottery:draw", "data": {}})
    assert answer.status_code == 404, answer.text
    assert error_code(answer) == "ROOM_NOT_FOUND"
    checks = hook.room_checks(missing)
    assert len(checks) == 1
    authorization, question = checks[0]
    assert authorization == f"Bearer {HOOK_SECRET}"
    assert question == {"user": None, "roles": [], "channel": f"room.{missing}", "socket_id": None, "app": "lottery"}
    # The answer is cached: a second event to the missing room does not ask again.
    assert post(herald, missing, {"event": "lottery:draw", "data": {}}).status_code == 404
    assert len(hook.room_checks(missing)) == 1

    known = room("known")
    assert post(herald, known, {"event": "lottery:draw", "data": {}}).status_code == 202
    assert post(herald, known, {"event": "lottery:draw", "data": {}}).status_code == 202
    assert len(hook.room_checks(known)) == 1


def test_a_backend_that_cannot_answer_makes_the_endpoint_unavailable(herald, hook):
    broken = room("broken")
    for attempt in range(2):
        answer = post(herald, broken, {"event": "lottery:draw", "data": {}})
        assert answer.status_code == 503, answer.text
        assert error_code(answer) == "UNAVAILABLE"
        assert int(answer.headers["Retry-After"]) >= 1
    # A failure to answer is not cached: each event asks again.
    assert len(hook.room_checks(broken)) == 2


def test_a_room_takes_a_limited_number_of_events_a_second(herald):
    target = room()
    body = {"event": "lottery:tick", "data": {}}
    # Warm the room check so the burst below is counted against the limit only.
    assert post(herald, target, body).status_code == 202
    count = 4 * PER_ROOM_PER_SECOND
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(lambda _: post(herald, target, body), range(count)))
    elapsed = time.monotonic() - started
    accepted = [a for a in answers if a.status_code == 202]
    limited = [a for a in answers if a.status_code == 429]
    assert len(accepted) + len(limited) == count, [a.text for a in answers]
    assert limited, f"none of {count} events within {elapsed:.2f}s was limited"
    # At most the bucket (less the warm-up event) plus what refilled while the burst ran.
    assert len(accepted) <= PER_ROOM_PER_SECOND + int(elapsed * PER_ROOM_PER_SECOND) + 1
    for answer in limited:
        assert error_code(answer) == "RATE_LIMIT_EXCEEDED"
        assert int(answer.headers["Retry-After"]) >= 1
    # Another room has a bucket of its own.
    assert post(herald, room(), body).status_code == 202


# -- delivery -------------------------------------------------------------------------------------------------


class RawSocket:
    """A websocket-client connection keeping every text frame as it arrived."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=TIMEOUT)
        self.frames = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                text = self.ws.recv()
                with self.cond:
                    self.frames.append(text)
                    self.cond.notify_all()
        except Exception:
            pass

    def send(self, message):
        self.ws.send(json.dumps(message))

    def wait_for(self, predicate, what):
        with self.cond:
            if not self.cond.wait_for(lambda: any(predicate(f) for f in self.frames), TIMEOUT):
                raise AssertionError(f"{what} never arrived; got {self.frames}")
            return next(f for f in self.frames if predicate(f))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


def test_subscribers_of_every_protocol_receive_the_data_exactly_as_sent(herald):
    target = room("open")
    channel = f"room.{target}"
    token = herald.ctl("token", "--sub", "7", "--role", "member", "--channel", "room.*", "--config", herald.config)
    assert token.returncode == 0, token.stderr
    token = token.stdout.strip()

    native = RawSocket(f"ws://127.0.0.1:{herald.ws_port}/ws?token={token}")
    pusher = RawSocket(f"ws://127.0.0.1:{herald.ws_port}/app/lottery-key?protocol=7")
    sio = socketio.Client(reconnection=False)
    received = []
    got = threading.Condition()

    def on_draw(data, meta=None, *_recovery_cursor):
        with got:
            received.append((data, meta))
            got.notify_all()

    sio.on("lottery:draw.result", on_draw, namespace=f"/rooms/{target}")
    try:
        native.send({"type": "subscribe", "id": 1, "channel": channel})
        ack = json.loads(native.wait_for(lambda f: json.loads(f).get("type") == "ack", "native subscribe ack"))
        assert ack["ok"] is True, ack
        pusher.wait_for(lambda f: json.loads(f)["event"] == "pusher:connection_established", "connection_established")
        pusher.send({"event": "pusher:subscribe", "data": {"channel": channel}})
        pusher.wait_for(
            lambda f: json.loads(f)["event"] == "pusher_internal:subscription_succeeded", "Pusher subscription")
        # The room namespace's CONNECT is answered once its events flow.
        sio.connect(
            f"http://127.0.0.1:{herald.ws_port}", auth={"token": token}, transports=["websocket"],
            namespaces=[f"/rooms/{target}"], wait_timeout=15,
        )

        data = '{ "winner" : "Nguyễn", "amount":1.50,"tickets":[3 ,1,4], "note":"\\u00e9 \\"quoted\\"" }'
        raw = '{"event":"lottery:draw.result","data":' + data + "}"
        answer = post(herald, target, None, raw=raw.encode())
        assert answer.status_code == 202, answer.text
        event_id = answer.json()["id"]

        frame = native.wait_for(lambda f: event_id in f, "the native delivery")
        assert '"data":' + data in frame, frame
        envelope = json.loads(frame)
        event = next(e for e in envelope.get("events", [envelope]) if e["id"] == event_id)
        assert event["event"] == "lottery:draw.result" and event["channel"] == channel

        frame = json.loads(pusher.wait_for(
            lambda f: json.loads(f)["event"] == "lottery:draw.result", "the Pusher delivery"))
        assert frame["channel"] == channel
        assert frame["data"] == data

        with got:
            assert got.wait_for(lambda: received, TIMEOUT), "no Socket.IO delivery"
            payload, meta = received[0]
        assert payload == json.loads(data)
        assert meta["id"] == event_id and meta["channel"] == channel
    finally:
        native.close()
        pusher.close()
        sio.disconnect()


def test_pusher_clients_follow_only_rooms_the_policy_opens(herald):
    pusher = RawSocket(f"ws://127.0.0.1:{herald.ws_port}/app/lottery-key?protocol=7")
    try:
        pusher.wait_for(lambda f: json.loads(f)["event"] == "pusher:connection_established", "connection_established")
        channel = f"room.{room('known')}"
        pusher.send({"event": "pusher:subscribe", "data": {"channel": channel}})
        frame = json.loads(pusher.wait_for(
            lambda f: json.loads(f)["event"] in ("pusher:subscription_error", "pusher_internal:subscription_succeeded"),
            "the subscription's answer"))
        assert frame["event"] == "pusher:subscription_error", frame
    finally:
        pusher.close()
