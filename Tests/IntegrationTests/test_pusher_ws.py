"""Pusher Channels protocol at /app/{key}, driven through all four real daemons by the third-party peers:
pysher (a Pusher WebSocket client from PyPI) subscribes, and the official `pusher` server library publishes and
signs subscriptions the way a Laravel app's /broadcasting/auth does."""
import json
import logging
import threading
import uuid

import pusher
import pysher
import pytest
import requests
import websocket

from herald_harness import Herald

# The `pusher` library takes only all-digit app ids, so this app sits next to the development `lottery` app.
APP_ID, KEY, SECRET = "1001", "pusher-test-key", "pusher-test-secret"
CONFIG = (
    "apps:\n"
    '  - {id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: ["realtime:publish"]}\n'
    f'  - {{id: "{APP_ID}", key: "{KEY}", secret: "{SECRET}"}}\n'
)
TIMEOUT = 20


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    instance = Herald(tmp_path_factory.mktemp("pusher-ws"), extra_config=CONFIG).start()
    yield instance
    instance.stop()


@pytest.fixture
def clients():
    """Every pysher client a test opens, disconnected at its end."""
    opened = []
    yield opened
    for client in opened:
        client.disconnect()


def server(herald):
    return pusher.Pusher(app_id=APP_ID, key=KEY, secret=SECRET, host="127.0.0.1", port=herald.http_port, ssl=False)


def channel_name(prefix):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


class Client:
    """One pysher connection. Every frame it receives is recorded as parsed JSON (pysher hands its callbacks
    only `data`; the tests also look at `user_id` and at frames for channels pysher does not know), and the close
    code is kept."""

    def __init__(self, herald, key=KEY, secret=SECRET, user_data=None, wait=True):
        self.frames = []
        self.close_code = None
        self.closed = False
        self._cond = threading.Condition()
        self.pysher = pysher.Pusher(
            key, custom_host="127.0.0.1", port=herald.ws_port, secure=False, secret=secret,
            user_data=user_data, log_level=logging.WARNING,
        )
        connection = self.pysher.connection
        parse = connection._parse
        connection._parse = lambda message: self._record(parse(message))
        connection._on_close = self._on_close
        self.pysher.connect()
        if wait:
            self.wait_for(lambda f: f["event"] == "pusher:connection_established", "connection_established")

    def _record(self, frame):
        with self._cond:
            self.frames.append(frame)
            self._cond.notify_all()
        return frame

    def _on_close(self, ws, code=None, reason=None):
        with self._cond:
            self.closed = True
            self.close_code = code
            self._cond.notify_all()

    @property
    def socket_id(self):
        return self.pysher.connection.socket_id

    def wait_for(self, predicate, what, timeout=TIMEOUT):
        with self._cond:
            if not self._cond.wait_for(lambda: any(predicate(f) for f in self.frames), timeout):
                seen = [(f.get("event"), f.get("channel")) for f in self.frames]
                raise AssertionError(f"{what} never arrived; got {seen}")
            return next(f for f in self.frames if predicate(f))

    def event(self, name, channel, timeout=TIMEOUT):
        return self.wait_for(lambda f: f["event"] == name and f.get("channel") == channel, f"{name} on {channel}", timeout)

    def wait_count(self, name, count, timeout=TIMEOUT):
        with self._cond:
            if not self._cond.wait_for(lambda: len([f for f in self.frames if f["event"] == name]) >= count, timeout):
                raise AssertionError(f"fewer than {count} {name} arrived; got {[f.get('event') for f in self.frames]}")

    def has(self, name, channel=None):
        with self._cond:
            return [f for f in self.frames if f["event"] == name and (channel is None or f.get("channel") == channel)]

    def subscribe(self, channel, auth=None):
        self.pysher.subscribe(channel, auth=auth)
        return self.event("pusher_internal:subscription_succeeded", channel)

    def send(self, event, data, channel=None):
        self.pysher.connection.send_event(event, data, channel_name=channel)

    def send_together(self, *messages):
        """Writes several messages as WebSocket frames in one write, so the edge reads them together: what a
        client's back-to-back sends look like when the server is slower than the client."""
        frames = b"".join(
            websocket.ABNF.create_frame(json.dumps(message), websocket.ABNF.OPCODE_TEXT).format()
            for message in messages
        )
        self.pysher.connection.socket.sock.sock.sendall(frames)

    def disconnect(self):
        self.pysher.disconnect(timeout=5)


def open_client(herald, clients, **kwargs):
    client = Client(herald, **kwargs)
    clients.append(client)
    return client


def marker(herald, client, channel):
    """Publishes an event on `channel` and waits for `client` to have it. Events on one channel reach a connection
    in the order they were published, so anything published earlier that is not there by now never comes."""
    name = f"marker-{uuid.uuid4().hex[:8]}"
    assert server(herald).trigger(channel, name, {}) == {}
    client.event(name, channel)


# -- Public channels ----------------------------------------------------------------------------------------


def test_public_channel_delivery(herald, clients):
    client = open_client(herald, clients)
    assert client.socket_id.count(".") == 1 and all(part.isdigit() for part in client.socket_id.split("."))
    succeeded = client.subscribe("products")
    assert json.loads(succeeded["data"]) == {}
    assert server(herald).trigger("products", "App\\Events\\PriceChanged", {"id": 7, "price": 9.5}) == {}
    event = client.event("App\\Events\\PriceChanged", "products")
    assert isinstance(event["data"], str)
    assert json.loads(event["data"]) == {"id": 7, "price": 9.5}


def test_public_channel_the_authorizer_refuses(herald, clients):
    client = open_client(herald, clients)
    client.pysher.subscribe("admin.notifications")
    error = client.event("pusher:subscription_error", "admin.notifications")
    assert error["data"]["status"] == 403


def test_native_broadcast_reaches_pysher_with_data_as_a_json_string(herald, clients):
    client = open_client(herald, clients)
    client.subscribe("public.native")
    body = {"comment": {"id": 789, "content": "Great explanation! ✓"}, "tags": [1, 2]}
    answer = herald.broadcast({"channel": "public.native", "event": "forum.comment.created", "data": body})
    assert answer.status_code == 202, answer.text
    event = client.event("forum.comment.created", "public.native")
    assert isinstance(event["data"], str)
    assert json.loads(event["data"]) == body


# -- Private channels ---------------------------------------------------------------------------------------


def test_private_channel_signed_by_pysher_with_the_secret(herald, clients):
    client = open_client(herald, clients)
    channel = channel_name("private-orders.")
    client.subscribe(channel)
    assert server(herald).trigger(channel, "order.shipped", {"order": 5}) == {}
    assert json.loads(client.event("order.shipped", channel)["data"]) == {"order": 5}


def test_private_channel_signed_by_the_server_library(herald, clients):
    # No secret on the client: the signature comes from `authenticate`, as Laravel's /broadcasting/auth makes it.
    client = open_client(herald, clients, secret="")
    channel = channel_name("private-App.Models.User.")
    auth = server(herald).authenticate(channel=channel, socket_id=client.socket_id)
    assert set(auth) == {"auth"}
    client.subscribe(channel, auth=auth["auth"])
    assert server(herald).trigger(channel, "Illuminate\\Notifications\\Events\\BroadcastNotificationCreated", {"n": 1}) == {}
    assert json.loads(client.event("Illuminate\\Notifications\\Events\\BroadcastNotificationCreated", channel)["data"]) == {"n": 1}


def test_forged_signatures_are_refused(herald, clients):
    client = open_client(herald, clients, secret="")
    forged = channel_name("private-forged.")
    client.pysher.subscribe(forged, auth=f"{KEY}:{'0' * 64}")
    error = client.event("pusher:subscription_error", forged)
    assert error["data"]["status"] == 401 and error["data"]["type"] == "AuthError"

    # A genuine signature for another connection does not open the channel to this one.
    other = channel_name("private-forged.")
    stolen = server(herald).authenticate(channel=other, socket_id="1234.5678")["auth"]
    client.pysher.subscribe(other, auth=stolen)
    assert client.event("pusher:subscription_error", other)["data"]["status"] == 401

    # Signed with the wrong secret by pysher itself.
    wrong = open_client(herald, clients, secret="not-the-secret")
    third = channel_name("private-forged.")
    wrong.pysher.subscribe(third)
    assert wrong.event("pusher:subscription_error", third)["data"]["status"] == 401

    # None of them receives the channel's events, and the connection stays usable.
    assert server(herald).trigger([forged, other], "leak", {}) == {}
    client.subscribe("products")
    marker(herald, client, "products")
    assert not client.has("leak")


# -- Presence -----------------------------------------------------------------------------------------------


def presence_data(frame):
    assert isinstance(frame["data"], str)
    return json.loads(frame["data"])


def test_presence_members_count_users_not_connections(herald, clients):
    channel = channel_name("presence-room.")
    alice = {"user_id": "alice", "user_info": {"name": "Alice"}}
    bob = {"user_id": 42, "user_info": {"name": "Bob"}}

    a1 = open_client(herald, clients, user_data=alice)
    presence = presence_data(a1.subscribe(channel))["presence"]
    assert presence == {"ids": ["alice"], "hash": {"alice": {"name": "Alice"}}, "count": 1}

    b1 = open_client(herald, clients, user_data=bob)
    presence = presence_data(b1.subscribe(channel))["presence"]
    assert sorted(presence["ids"]) == ["42", "alice"] and presence["count"] == 2
    assert presence["hash"]["42"] == {"name": "Bob"}
    added = presence_data(a1.event("pusher_internal:member_added", channel))
    assert added == {"user_id": "42", "user_info": {"name": "Bob"}}
    assert not b1.has("pusher_internal:member_added")

    # Alice's second tab: one member still, and nobody is told she arrived again.
    a2 = open_client(herald, clients, user_data=alice)
    presence = presence_data(a2.subscribe(channel))["presence"]
    assert sorted(presence["ids"]) == ["42", "alice"] and presence["count"] == 2
    marker(herald, b1, channel)
    marker(herald, a1, channel)
    assert not b1.has("pusher_internal:member_added")
    assert len(a1.has("pusher_internal:member_added")) == 1

    # Her first tab closes: she is still there.
    a1.disconnect()
    marker(herald, b1, channel)
    assert not b1.has("pusher_internal:member_removed")

    # Her last tab closes: now she has left.
    a2.disconnect()
    removed = presence_data(b1.event("pusher_internal:member_removed", channel))
    assert removed == {"user_id": "alice"}

    # Leaving the channel without disconnecting (Echo's leave()) is a departure too, and coming back an arrival.
    carol = open_client(herald, clients, user_data={"user_id": "carol", "user_info": None})
    presence = presence_data(carol.subscribe(channel))["presence"]
    assert presence["ids"] == ["42", "carol"] and presence["hash"]["carol"] is None
    b1.pysher.unsubscribe(channel)
    assert presence_data(carol.event("pusher_internal:member_removed", channel)) == {"user_id": "42"}
    b1.subscribe(channel)
    assert presence_data(carol.event("pusher_internal:member_added", channel)) == {"user_id": "42", "user_info": {"name": "Bob"}}


def test_presence_signed_by_the_server_library(herald, clients):
    client = open_client(herald, clients, secret="")
    channel = channel_name("presence-chat.")
    user = {"user_id": "7", "user_info": {"name": "Dana"}}
    auth = server(herald).authenticate(channel=channel, socket_id=client.socket_id, custom_data=user)
    # pysher sends channel_data only when it signs itself, so the message is sent as pusher-js sends it.
    client.send("pusher:subscribe", {"channel": channel, **auth})
    presence = presence_data(client.event("pusher_internal:subscription_succeeded", channel))["presence"]
    assert presence == {"ids": ["7"], "hash": {"7": {"name": "Dana"}}, "count": 1}

    # channel_data that the signature does not cover is refused.
    other = channel_name("presence-chat.")
    auth = server(herald).authenticate(channel=other, socket_id=client.socket_id, custom_data=user)
    client.send("pusher:subscribe", {"channel": other, "auth": auth["auth"], "channel_data": json.dumps({"user_id": "1"})})
    assert client.event("pusher:subscription_error", other)["data"]["status"] == 401


def test_a_subscription_cancelled_before_it_is_confirmed_is_not_confirmed(herald, clients):
    client = open_client(herald, clients, user_data={"user_id": "quick", "user_info": {}})
    # Echo's leave() and join() in a row, before the edge has answered the first subscribe.
    channel = channel_name("presence-flicker.")
    client.pysher.subscribe(channel)
    client.pysher.unsubscribe(channel)
    presence = presence_data(client.subscribe(channel))["presence"]
    assert presence["ids"] == ["quick"]
    # A public channel given up while the authorizer decides is never reported as subscribed.
    client.send_together(
        {"event": "pusher:subscribe", "data": {"channel": "public.gone"}},
        {"event": "pusher:unsubscribe", "data": {"channel": "public.gone"}},
    )
    client.subscribe("public.stays")
    marker(herald, client, "public.stays")
    assert not client.has("pusher_internal:subscription_succeeded", "public.gone")


# -- Client events ------------------------------------------------------------------------------------------


def test_client_events_reach_the_others_and_never_the_sender(herald, clients):
    channel = channel_name("private-chat.")
    sender = open_client(herald, clients)
    others = [open_client(herald, clients) for _ in range(2)]
    for client in [sender, *others]:
        client.subscribe(channel)
    sender.pysher.channel(channel).trigger("client-typing", {"typing": True})
    for client in others:
        event = client.event("client-typing", channel)
        assert json.loads(event["data"]) == {"typing": True}
        assert "user_id" not in event
    marker(herald, sender, channel)
    assert not sender.has("client-typing")


def test_client_events_on_presence_carry_the_sender_user_id(herald, clients):
    channel = channel_name("presence-whisper.")
    sender = open_client(herald, clients, user_data={"user_id": "u1", "user_info": {}})
    listener = open_client(herald, clients, user_data={"user_id": "u2", "user_info": {}})
    sender.subscribe(channel)
    listener.subscribe(channel)
    sender.pysher.channel(channel).trigger("client-whisper", {"text": "psst"})
    event = listener.event("client-whisper", channel)
    assert json.loads(event["data"]) == {"text": "psst"}
    assert event["user_id"] == "u1"
    marker(herald, sender, channel)
    assert not sender.has("client-whisper")


def test_client_events_are_refused_on_public_and_unsubscribed_channels(herald, clients):
    sender = open_client(herald, clients)
    listener = open_client(herald, clients)
    for client in (sender, listener):
        client.subscribe("products")
    # pysher itself refuses to send these, so they go out as raw messages.
    sender.send("client-typing", {"n": 1}, channel="products")
    error = sender.wait_for(lambda f: f["event"] == "pusher:error", "pusher:error")
    assert "private- or presence-" in error["data"]["message"]
    sender.send("client-typing", {"n": 2}, channel=channel_name("private-notjoined."))
    sender.wait_count("pusher:error", 2)
    marker(herald, listener, "products")
    assert not listener.has("client-typing")
    assert not sender.closed


# -- Publishing to others -----------------------------------------------------------------------------------


def test_trigger_with_socket_id_leaves_that_connection_out(herald, clients):
    me, other = open_client(herald, clients), open_client(herald, clients)
    for client in (me, other):
        client.subscribe("public.to-others")
    assert server(herald).trigger("public.to-others", "comment.posted", {"id": 1}, socket_id=me.socket_id) == {}
    assert json.loads(other.event("comment.posted", "public.to-others")["data"]) == {"id": 1}
    marker(herald, me, "public.to-others")
    assert not me.has("comment.posted")


# -- Sign-in ------------------------------------------------------------------------------------------------


def test_signin_joins_the_users_own_channel(herald, clients):
    client = open_client(herald, clients, secret="")
    user = {"id": "u-77", "user_info": {"name": "Eve"}}
    signed = server(herald).authenticate_user(client.socket_id, user)
    client.send("pusher:signin", signed)
    success = client.wait_for(lambda f: f["event"] == "pusher:signin_success", "pusher:signin_success")
    assert json.loads(success["data"]["user_data"]) == user
    # pusher-js then subscribes to the user's channel itself, with an empty auth: that is a success, not an error.
    client.send("pusher:subscribe", {"auth": "", "channel": "#server-to-user-u-77"})
    client.wait_count("pusher_internal:subscription_succeeded", 2)
    assert all(f["channel"] == "#server-to-user-u-77" for f in client.has("pusher_internal:subscription_succeeded"))
    answer = herald.broadcast({"channel": "#server-to-user-u-77", "event": "account.updated", "data": {"ok": True}})
    assert answer.status_code == 202, answer.text
    assert json.loads(client.event("account.updated", "#server-to-user-u-77")["data"]) == {"ok": True}

    # Another user's channel stays closed, and so does signing in again as someone else.
    client.send("pusher:subscribe", {"auth": "", "channel": "#server-to-user-u-78"})
    assert client.event("pusher:subscription_error", "#server-to-user-u-78")["data"]["status"] == 403
    client.send("pusher:signin", server(herald).authenticate_user(client.socket_id, {"id": "u-78"}))
    error = client.wait_for(lambda f: f["event"] == "pusher:error", "pusher:error")
    assert "u-77" in error["data"]["message"]
    assert len(client.has("pusher:signin_success")) == 1
    assert herald.broadcast({"channel": "#server-to-user-u-78", "event": "not.yours", "data": {}}).status_code == 202
    client.subscribe("products")
    marker(herald, client, "products")
    assert not client.has("not.yours") and not client.closed


def test_signin_with_a_bad_signature_closes_with_4009(herald, clients):
    client = open_client(herald, clients, secret="")
    client.send("pusher:signin", {"auth": f"{KEY}:{'0' * 64}", "user_data": json.dumps({"id": "x"})})
    error = client.wait_for(lambda f: f["event"] == "pusher:error", "pusher:error")
    assert error["data"]["code"] == 4009


# -- Connection refusals ------------------------------------------------------------------------------------


def test_unknown_app_key_gets_4001(herald, clients):
    client = open_client(herald, clients, key="no-such-key", wait=False)
    error = client.wait_for(lambda f: f["event"] == "pusher:error", "pusher:error")
    assert error["data"]["code"] == 4001
    # pysher treats 4000-4099 as "do not reconnect unchanged" and closes.
    with client._cond:
        assert client._cond.wait_for(lambda: client.closed, TIMEOUT)
    assert not client.has("pusher:connection_established")


@pytest.mark.parametrize(
    "path, code",
    [
        ("/app/no-such-key?protocol=7", 4001),
        (f"/app/{KEY}", 4008),
        (f"/app/{KEY}?protocol=x", 4006),
        (f"/app/{KEY}?protocol=4", 4007),
        (f"/app/{KEY}?protocol=8", 4007),
    ],
)
def test_refused_connections_get_an_error_and_its_close_code(herald, path, code):
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}{path}", timeout=TIMEOUT)
    error = json.loads(ws.recv())
    assert error["event"] == "pusher:error" and error["data"]["code"] == code
    assert close_code(ws) == code
    ws.close()


def test_a_clients_close_code_is_echoed(herald):
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/app/{KEY}?protocol=7", timeout=TIMEOUT)
    assert json.loads(ws.recv())["event"] == "pusher:connection_established"
    ws.send_close(1001)
    assert close_code(ws) == 1001
    ws.close()


def close_code(ws):
    """Reads until the server's close frame and returns its code (without answering it: the server may have
    closed the TCP connection already)."""
    while True:
        frame = ws.recv_frame()
        if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(frame.data[:2], "big")


# -- Garbage ------------------------------------------------------------------------------------------------

GARBAGE = [
    "this is not json",
    "",
    "[]",
    "null",
    '"pusher:ping"',
    '{"event": 5}',
    '{"data": {"channel": "products"}}',
    '{"event": "pusher:subscribe"}',
    '{"event": "pusher:subscribe", "data": 5}',
    '{"event": "pusher:subscribe", "data": {"channel": 5}}',
    '{"event": "pusher:subscribe", "data": "not json either"}',
    '{"event": "pusher:subscribe", "data": {"channel": ""}}',
    '{"event": "pusher:subscribe", "data": {"channel": "private-x", "auth": 12}}',
    '{"event": "pusher:subscribe", "data": {"channel": "presence-x", "auth": "a:b", "channel_data": {"user_id": 1}}}',
    '{"event": "pusher:unsubscribe", "data": []}',
    '{"event": "pusher:signin", "data": {"auth": 1, "user_data": {}}}',
    '{"event": "pusher:no-such-thing", "data": {}}',
    '{"event": "client-x", "channel": 5, "data": {}}',
    '{"event": "client-' + "x" * 300 + '", "channel": "private-x", "data": {}}',
    '{"event": "client-x", "channel": "private-x", "data": ' + "[" * 10000 + "]" * 10000 + "}",
    "[" * 100000,
    '{"event": "pusher:subscribe", "data": {"channel": "products"}' + " " * 1000 + ",",
    '{"event": "\\ud800", "data": {}}',
]


def read_until_pong(ws):
    """Sends pusher:ping and returns every frame up to its pong: the connection still answers."""
    ws.send(json.dumps({"event": "pusher:ping", "data": {}}))
    frames = []
    while True:
        frame = json.loads(ws.recv())
        if frame["event"] == "pusher:pong":
            return frames
        frames.append(frame)


def test_garbage_on_a_pusher_connection_leaves_every_daemon_up(herald):
    pids = {stage: row["pid"] for stage, row in herald.status().items()}
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/app/{KEY}?protocol=7", timeout=TIMEOUT)
    assert json.loads(ws.recv())["event"] == "pusher:connection_established"

    for message in GARBAGE:
        ws.send(message)
        answers = read_until_pong(ws)
        assert [a["event"] for a in answers] in (["pusher:error"], ["pusher:subscription_error"]), (message[:80], answers)

    # Invalid UTF-8 in a text frame, and binary frames.
    ws.send(b"\xff\xfe{}", opcode=websocket.ABNF.OPCODE_TEXT)
    assert [a["event"] for a in read_until_pong(ws)] == ["pusher:error"]
    ws.send_binary(b"\x00\x01\x02")
    answers = read_until_pong(ws)
    assert [a["event"] for a in answers] == ["pusher:error"] and "binary" in answers[0]["data"]["message"]

    # Still a working connection after all that.
    ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "products"}}))
    assert json.loads(ws.recv())["event"] == "pusher_internal:subscription_succeeded"

    # A message over limits.max_message_bytes ends the connection with 1009 (Message Too Big). The edge refuses it
    # from the frame header and never reads the rest, so the close may reach the client as a reset instead.
    try:
        ws.send(json.dumps({"event": "client-big", "channel": "private-x", "data": "x" * (1024 * 1024 + 16)}))
        assert close_code(ws) == 1009
    except (ConnectionResetError, BrokenPipeError):
        pass
    ws.close()

    # Binary garbage straight after the upgrade, and a connection that vanishes mid-frame.
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/app/{KEY}?protocol=7", timeout=TIMEOUT)
    ws.send_binary(b"\xff" * 70000)
    ws.sock.sendall(b"\x81\xfe\xff")
    ws.sock.close()

    health = requests.get(herald.base + "/health", timeout=10)
    assert health.status_code == 200, health.text
    assert {stage: row["pid"] for stage, row in herald.status().items()} == pids
