"""Hostile input over every protocol: malformed, expired, not-yet-valid, forged and algorithm-confused tokens;
attempts on other users' and privileged channels; floods and oversized or malformed messages. Each is refused
with its documented code, no daemon crashes or restarts (same pids afterwards), and a well-behaved client is
still served at the end."""
import base64
import hashlib
import hmac
import json
import time

import pytest
import requests
import socketio
import websocket

from herald_harness import Herald

SECRET = "integration-secret"
APP_KEY, APP_SECRET = "hostile-key", "hostile-secret"
CONFIG = (
    "apps:\n"
    f'  - {{id: "hostile", key: "{APP_KEY}", secret: "{APP_SECRET}"}}\n'
    "limits: {client_events_per_minute: 5}\n"
)


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    instance = Herald(tmp_path_factory.mktemp("hostile"), extra_config=CONFIG).start()
    instance.pids_at_start = {stage: row["pid"] for stage, row in instance.status().items()}
    yield instance
    assert {stage: row["pid"] for stage, row in instance.status().items()} == instance.pids_at_start, (
        "a daemon crashed or restarted during the hostile cases")
    served = instance.client(instance.token(1000))
    try:
        assert served.command("subscribe", channel="products")["ok"] is True
        answer = instance.broadcast({"channel": "products", "event": "product:updated", "data": {"after": "all"}})
        assert answer.status_code == 202
        assert served.wait_for(lambda events: any(e.get("data") == {"after": "all"} for e in events))
    finally:
        served.close()
    instance.stop()


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt(claims, secret=SECRET, header=None, signature=None):
    head = b64(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signed = f"{head}.{body}"
    if signature is None:
        signature = b64(hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest())
    return f"{signed}.{signature}"


NOW = int(time.time())
GOOD = {"sub": "42", "roles": ["member"], "exp": NOW + 3600}
BAD_TOKENS = {
    "empty-bearer": "Bearer ",
    "garbage": "not-a-token",
    "two-parts": "a.b",
    "three-garbage-parts": "a.b.c",
    "non-ascii": "tökén.ünïcode.☃",
    "huge": "x" * 8000,
    "forged": jwt(GOOD, secret="someone-elses-secret"),
    "expired": jwt({**GOOD, "exp": NOW - 3600}),
    "not-yet-valid": jwt({**GOOD, "nbf": NOW + 3600}),
    "alg-none": jwt(GOOD, header={"alg": "none", "typ": "JWT"}, signature=""),
    "alg-none-with-signature": jwt(GOOD, header={"alg": "none"}),
    "hs512-header": jwt(GOOD, header={"alg": "HS512", "typ": "JWT"}),
    "rs256-header-hmac-signed": jwt(GOOD, header={"alg": "RS256", "typ": "JWT"}),
    "tampered-sub": None,  # filled below: a good token with its payload swapped
    "no-sub": jwt({"roles": ["admin"], "exp": NOW + 3600}),
    "claims-not-json": b64(b'{"alg":"HS256"}') + "." + b64(b"not json") + "." + b64(b"sig"),
}
_good = jwt(GOOD)
_parts = _good.split(".")
BAD_TOKENS["tampered-sub"] = ".".join([_parts[0], b64(json.dumps({**GOOD, "sub": "1"}).encode()), _parts[2]])


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_tokens_in_the_url_are_refused_before_the_upgrade(herald, name):
    from urllib.parse import quote
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(
            f"ws://127.0.0.1:{herald.ws_port}/ws?token={quote(BAD_TOKENS[name])}", timeout=15)
    assert refused.value.status_code == 401, name


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_tokens_in_the_first_message_get_an_error_and_4001(herald, name):
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/ws", timeout=15)
    ws.send(json.dumps({"type": "auth", "token": BAD_TOKENS[name]}))
    error = json.loads(ws.recv())
    assert error["type"] == "error", error
    assert error["error"]["code"] in ("AUTHENTICATION_FAILED", "TOKEN_EXPIRED"), error
    opcode, data = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(data[:2], "big") == 4001


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_tokens_on_socketio_get_connect_error(herald, name):
    errors = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", lambda data: errors.append(data))
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            f"http://127.0.0.1:{herald.ws_port}", auth={"token": BAD_TOKENS[name]}, transports=["websocket"],
            wait_timeout=15)
    assert errors and errors[0]["message"].startswith("Authentication failed"), (name, errors)


# Channels a member with id 42 must never get, whatever the spelling.
FOREIGN_CHANNELS = [
    "user.43", "user.43.messages", "user.43.orders", "user.43.following", "private-user.43", "following.43",
    "user.*", "user.42.*", "user..42", "user.42.secret", "user.42/../43", "user.42 ", " user.42", "user.4２",
    "user.٤٢", "user.42\u0000", "USER.42", "User.43", "user.043", "user.42.messages.x", "user.",
    "admin.notifications", "moderator.reports", "seller.42", "seller.43", "orders", "customers", "inventory",
    "payments", "system", "conversation.9", "room.r1", "x" * 201, "thread.1" + "\u200b", "#server-to-user-42",
    "presence-user.43", "ADMIN.NOTIFICATIONS", "admin.notifications.",
]
REFUSAL_CODES = ("PERMISSION_DENIED", "INVALID_PAYLOAD")


@pytest.fixture(scope="module")
def member(herald):
    client = herald.client(herald.token(42, "member"))
    yield client
    client.close()


@pytest.mark.parametrize("channel", FOREIGN_CHANNELS)
def test_native_subscribe_to_someone_elses_channel_is_refused(member, channel):
    ack = member.command("subscribe", channel=channel)
    assert ack["ok"] is False and ack["error"]["code"] in REFUSAL_CODES, (channel, ack)


@pytest.fixture
def socketio_member(herald):
    """A fresh Socket.IO connection of member 42 (each has its own client-event allowance)."""
    client = socketio.Client(reconnection=False)
    client.connect(
        f"http://127.0.0.1:{herald.ws_port}", auth={"token": herald.token(42, "member")}, transports=["websocket"],
        wait_timeout=15)
    yield client
    client.disconnect()


@pytest.mark.parametrize("channel", FOREIGN_CHANNELS[:24])
def test_socketio_subscribe_to_someone_elses_channel_is_refused(socketio_member, channel):
    ack = socketio_member.call("subscribe", {"channel": channel}, timeout=15)
    assert ack["success"] is False and ack["error"]["code"] in REFUSAL_CODES, (channel, ack)


def pusher_socket(herald):
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/app/{APP_KEY}?protocol=7", timeout=15)
    established = json.loads(ws.recv())
    assert established["event"] == "pusher:connection_established"
    return ws, json.loads(established["data"])["socket_id"]


def next_event(ws, names):
    while True:
        frame = json.loads(ws.recv())
        if frame["event"] in names:
            return frame


@pytest.mark.parametrize("channel", FOREIGN_CHANNELS[:24])
def test_pusher_anonymous_subscribe_to_a_private_channel_is_refused(herald, channel):
    ws, _ = pusher_socket(herald)
    try:
        ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel}}))
        answer = next_event(ws, {"pusher:subscription_error", "pusher_internal:subscription_succeeded"})
        assert answer["event"] == "pusher:subscription_error", (channel, answer)
    finally:
        ws.close()


def test_pusher_signatures_for_another_socket_or_app_are_refused(herald):
    ws, socket_id = pusher_socket(herald)
    try:
        for auth in [
            APP_KEY + ":" + hmac.new(APP_SECRET.encode(), b"1.1:private-x", hashlib.sha256).hexdigest(),
            APP_KEY + ":" + hmac.new(b"wrong", f"{socket_id}:private-x".encode(), hashlib.sha256).hexdigest(),
            "other-key:" + hmac.new(APP_SECRET.encode(), f"{socket_id}:private-x".encode(), hashlib.sha256).hexdigest(),
            "", ":", APP_KEY, APP_KEY + ":" + "0" * 64,
        ]:
            ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "private-x", "auth": auth}}))
            answer = next_event(ws, {"pusher:subscription_error", "pusher_internal:subscription_succeeded"})
            assert answer["event"] == "pusher:subscription_error" and answer["data"]["status"] == 401, auth
    finally:
        ws.close()


def test_pusher_client_event_flood_is_limited_with_4301(herald):
    ws, socket_id = pusher_socket(herald)
    try:
        signature = hmac.new(APP_SECRET.encode(), f"{socket_id}:private-flood".encode(), hashlib.sha256).hexdigest()
        ws.send(json.dumps({"event": "pusher:subscribe",
                            "data": {"channel": "private-flood", "auth": f"{APP_KEY}:{signature}"}}))
        next_event(ws, {"pusher_internal:subscription_succeeded"})
        for n in range(12):
            ws.send(json.dumps({"event": "client-flood", "channel": "private-flood", "data": {"n": n}}))
        error = next_event(ws, {"pusher:error"})
        assert error["data"]["code"] == 4301
    finally:
        ws.close()


def test_socketio_event_flood_is_limited(herald, socketio_member):
    answers = [socketio_member.call("ping", timeout=15) for _ in range(12)]
    refused = [a for a in answers if a.get("success") is False]
    assert refused and refused[0]["error"]["code"] == "RATE_LIMIT_EXCEEDED"


@pytest.mark.parametrize("payload", [
    "not json", "[]", "{}", '{"type":1}', '{"type":"subscribe"}', '{"type":"subscribe","id":{}}',
    '{"type":"subscribe","id":"m1"}', '{"type":"subscribe","id":"m1","channel":7}', '{"type":"launch","id":"m2"}',
    '{"type":"auth","token":"again"}', "\u0000", '{"type":"' + "s" * 5000 + '","id":"m1"}',
])
def test_malformed_native_messages_are_answered_and_the_connection_lives(herald, payload):
    client = herald.client(herald.token(44))
    try:
        client.ws.send(payload)
        assert client.command("ping")["ok"] is True
    finally:
        client.close()


@pytest.mark.parametrize("path", ["/ws", f"/app/{APP_KEY}?protocol=7", "/socket.io/?EIO=4&transport=websocket"])
def test_oversized_messages_close_with_1009(herald, path):
    url = f"ws://127.0.0.1:{herald.ws_port}{path}"
    if path == "/ws":
        url += f"?token={herald.token(45)}"
    ws = websocket.create_connection(url, timeout=15)
    ws.recv()
    try:
        ws.send("x" * (1024 * 1024 + 1))
    except (BrokenPipeError, ConnectionResetError):
        return
    try:
        while True:
            opcode, data = ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                assert int.from_bytes(data[:2], "big") == 1009
                return
    except (ConnectionResetError, websocket.WebSocketConnectionClosedException):
        return


@pytest.mark.parametrize("body,status", [
    ("not json", 400), ('{"channel":"c"}', 400), ('{"event":"e"}', 400), ('{"channel":"c","event":"bad name!"}', 400),
    ('{"channel":"' + "c" * 201 + '","event":"e"}', 400), ('{"channel":"c","event":"e","priority":"urgent"}', 400),
    ('{"channel":"c","event":"e","data":' + "[" * 200 + "]" * 200 + "}", 400),
])
def test_bad_publishes_get_400(herald, body, status):
    answer = requests.post(
        herald.base + "/api/broadcast", data=body, timeout=15,
        headers={"Authorization": "Bearer dev-api-key", "Content-Type": "application/json"})
    assert answer.status_code == status, (body[:60], answer.text)
    assert answer.json()["ok"] is False


@pytest.mark.parametrize("key", ["", "wrong-key", "Bearer", "dev-api-key " * 20])
def test_bad_api_keys_get_401(herald, key):
    answer = requests.post(
        herald.base + "/api/broadcast", json={"channel": "c", "event": "e"}, timeout=15,
        headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "AUTHENTICATION_FAILED"
