"""Socket.IO v4 with the real python-socketio client, over WebSocket, long-polling and the upgrade between them."""
import base64
import hashlib
import hmac
import json
import re
import threading
import time

import pytest
import socketio

SOCKET_ID = re.compile(r"^\d+\.\d+$")
TRANSPORTS = [["websocket"], ["polling"], ["polling", "websocket"]]


class Collector:
    """Events a client received, by name, with a condition to wait on."""

    def __init__(self):
        self.events = []
        self.cond = threading.Condition()

    def add(self, name, *args):
        with self.cond:
            self.events.append((name, args))
            self.cond.notify_all()

    def wait(self, name, predicate=lambda args: True, timeout=15):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event, args in self.events:
                    if event == name and predicate(args):
                        return args
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no {name} within {timeout}s; got {[e for e, _ in self.events]}"
                self.cond.wait(remaining)

    def names(self):
        with self.cond:
            return [name for name, _ in self.events]


def connect(herald, token, transports=("websocket",), namespaces=None, events=(), collector=None, **kwargs):
    collector = collector or Collector()
    client = socketio.Client(reconnection=kwargs.pop("reconnection", False), **kwargs)
    for namespace in namespaces or ["/"]:
        for name in events:
            client.on(name, lambda *args, name=name: collector.add(name, *args), namespace=namespace)
        client.on("connect_error", lambda data: collector.add("connect_error", data), namespace=namespace)
    client.connect(
        f"http://127.0.0.1:{herald.ws_port}", auth={"token": token}, transports=list(transports),
        namespaces=namespaces or ["/"], wait_timeout=15,
    )
    return client, collector


def jwt(secret, claims):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    head = part({"alg": "HS256", "typ": "JWT"}) + "." + part(claims)
    signature = hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest()
    return head + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


@pytest.mark.parametrize("transports", TRANSPORTS, ids=["websocket", "polling", "upgrade"])
def test_subscribes_and_receives_deliveries_with_meta(herald, transports):
    client, got = connect(herald, herald.token(42), transports, events=["forum.comment.created", "subscribed"])
    try:
        assert SOCKET_ID.match(client.get_sid()), client.get_sid()
        ack = client.call("subscribe", {"channel": "thread.456"}, timeout=15)
        assert ack == {"success": True, "channel": "thread.456"}
        assert got.wait("subscribed")[0] == {"channel": "thread.456", "status": "success"}
        answer = herald.broadcast(
            {"channel": "thread.456", "event": "forum.comment.created", "data": {"comment": {"id": 789}}})
        assert answer.status_code == 202, answer.text
        data, meta, cursor = got.wait("forum.comment.created")
        assert data == {"comment": {"id": 789}}
        epoch, sequence = cursor.rsplit(":", 1)
        assert epoch and int(sequence) >= 1, "the recovery offset socket.io-client keeps comes last"
        assert meta["id"] == answer.json()["id"]
        assert meta["channel"] == "thread.456"
        assert meta["priority"] == "medium"
        assert isinstance(meta["offset"], int) and meta["offset"] >= 1
        assert client.transport() == transports[-1]
    finally:
        client.disconnect()


@pytest.mark.parametrize("transports", [["websocket"], ["polling"]], ids=["websocket", "polling"])
def test_bad_and_expired_tokens_get_connect_error(herald, transports):
    expired = jwt("integration-secret", {"sub": "42", "exp": int(time.time()) - 3600})
    for token, message in [
        ("not-a-token", "Authentication failed: Invalid token"),
        (jwt("wrong-secret", {"sub": "42", "exp": int(time.time()) + 3600}), "Authentication failed: Invalid token"),
        (expired, "Authentication failed: Token expired"),
    ]:
        got = Collector()
        with pytest.raises(socketio.exceptions.ConnectionError):
            connect(herald, token, transports, collector=got)
        assert got.wait("connect_error")[0]["message"] == message


def test_acknowledgements_errors_and_the_vocabulary(herald):
    client, got = connect(
        herald, herald.token(42), events=["subscription_error", "error", "pong", "unsubscribed", "room:subscribed"])
    try:
        assert client.call("join_channel", "products", timeout=15) == {"success": True}
        refused = client.call("subscribe", {"channel": "admin.notifications"}, timeout=15)
        assert refused["success"] is False and refused["error"]["code"] == "PERMISSION_DENIED"
        assert got.wait("subscription_error")[0] == {"channel": "admin.notifications", "error": "Unauthorized"}
        assert client.call("unsubscribe", {"channel": "products"}, timeout=15)["success"] is True
        assert got.wait("unsubscribed")[0] == {"channel": "products"}
        assert client.call("ping", timeout=15) == {"success": True}
        got.wait("pong")
        online = client.call("presence:get_online", {"roomId": "r1"}, timeout=15)
        assert online == {"roomId": "r1", "users": [], "count": 0}
        unknown = client.call("launch_rockets", {}, timeout=15)
        assert unknown["success"] is False and unknown["error"]["code"] == "PERMISSION_DENIED"
        error = got.wait("error")[0]
        assert error["code"] == "PERMISSION_DENIED" and "details" in error
        bad = client.call("subscribe", {"nope": 1}, timeout=15)
        assert bad["error"]["code"] == "INVALID_PAYLOAD"
    finally:
        client.disconnect()


def test_rooms_by_namespace_and_by_room_subscribe(herald):
    out = herald.ctl("token", "--sub", "7", "--role", "member", "--channel", "room.*", "--config", herald.config)
    token = out.stdout.strip()
    client, got = connect(
        herald, token, namespaces=["/", "/rooms/r1"], events=["lottery:draw", "room:subscribed", "room:unsubscribed"])
    try:
        assert client.call("room:subscribe", {"roomId": "r2"}, timeout=15) == {"success": True, "room": {"id": "r2"}}
        assert got.wait("room:subscribed")[0] == {"roomId": "r2"}
        for room in ["r1", "r2"]:
            answer = herald.broadcast({"channel": f"room.{room}", "event": "lottery:draw", "data": {"room": room}})
            assert answer.status_code == 202
        data, meta, _ = got.wait("lottery:draw", lambda args: args[1]["channel"] == "room.r1")
        assert data == {"room": "r1"}
        got.wait("lottery:draw", lambda args: args[1]["channel"] == "room.r2")
    finally:
        client.disconnect()
    # Without a grant for the room, its namespace refuses the connection.
    stranger = Collector()
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(herald, herald.token(8), namespaces=["/rooms/r1"], collector=stranger)
    assert stranger.wait("connect_error")[0]["message"] == "Unauthorized"


def test_read_receipts_reach_the_users_other_connections_only(herald):
    reader, _ = connect(herald, herald.token(42), events=["notification_read"])
    other_device, other = connect(herald, herald.token(42), ["polling"], events=["notification_read"])
    stranger, strange = connect(herald, herald.token(43), events=["notification_read", "marker"])
    try:
        assert reader.call("notification:mark_read", {"notificationId": "n1"}, timeout=15) == {"success": True}
        assert other.wait("notification_read")[0] == {"notificationId": "n1"}
        stranger.call("subscribe", {"channel": "products"}, timeout=15)
        herald.broadcast({"channel": "products", "event": "marker", "data": {}})
        strange.wait("marker")
        assert "notification_read" not in strange.names()
    finally:
        for client in (reader, other_device, stranger):
            client.disconnect()


def test_socket_id_excludes_that_connection(herald):
    sender, sent = connect(herald, herald.token(1), events=["product:updated"])
    watcher, watched = connect(herald, herald.token(2), events=["product:updated"])
    try:
        for client in (sender, watcher):
            client.call("subscribe", {"channel": "products"}, timeout=15)
        herald.broadcast(
            {"channel": "products", "event": "product:updated", "data": {"n": 1}, "socket_id": sender.get_sid()})
        herald.broadcast({"channel": "products", "event": "product:updated", "data": {"n": 2}})
        watched.wait("product:updated", lambda args: args[0] == {"n": 2})
        sent.wait("product:updated", lambda args: args[0] == {"n": 2})
        assert [args[0] for name, args in sent.events if name == "product:updated"] == [{"n": 2}]
        assert {"n": 1} in [args[0] for name, args in watched.events if name == "product:updated"]
    finally:
        sender.disconnect()
        watcher.disconnect()


def test_reconnects_after_the_edge_is_killed(herald):
    connected = Collector()
    client = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
    got = Collector()

    @client.event
    def connect():
        connected.add("connect")
        client.emit("subscribe", {"channel": "thread.9"})

    client.on("forum.post.created", lambda *args: got.add("forum.post.created", *args))
    client.on("subscribed", lambda *args: got.add("subscribed", *args))
    client.connect(f"http://127.0.0.1:{herald.ws_port}", auth={"token": herald.token(5)}, transports=["websocket"])
    try:
        got.wait("subscribed")
        _, mark = herald.kill9("ws-edge")
        herald.wait_for_line(r"herald-ws-edge is ready", after=mark)
        deadline = time.monotonic() + 30
        while connected.names().count("connect") < 2:
            assert time.monotonic() < deadline, "the client did not reconnect"
            with connected.cond:
                connected.cond.wait(1)
        got.wait("subscribed", lambda args: True)
        with got.cond:
            subscribed_before = got.names().count("subscribed")
        # Subscribed again on the new connection: events flow.
        deadline = time.monotonic() + 30
        while got.names().count("subscribed") < 2 and time.monotonic() < deadline:
            with got.cond:
                got.cond.wait(1)
        assert got.names().count("subscribed") >= 2, subscribed_before
        answer = herald.broadcast({"channel": "thread.9", "event": "forum.post.created", "data": {"after": "restart"}})
        assert answer.status_code == 202
        assert got.wait("forum.post.created")[0] == {"after": "restart"}
    finally:
        client.disconnect()


def test_a_subscription_token_grants_its_channel(herald):
    client, got = connect(herald, herald.token(42), events=["subscription_error"])
    try:
        refused = client.call("subscribe", {"channel": "conversation.5"}, timeout=15)
        assert refused["success"] is False and refused["error"]["code"] == "PERMISSION_DENIED"
        grant = jwt("integration-secret", {"sub": "42", "channel": "conversation.5", "exp": int(time.time()) + 600})
        allowed = client.call("subscribe", {"channel": "conversation.5", "token": grant}, timeout=15)
        assert allowed == {"success": True, "channel": "conversation.5"}
        other = jwt("integration-secret", {"sub": "42", "channel": "conversation.6", "exp": int(time.time()) + 600})
        wrong = client.call("subscribe", {"channel": "conversation.7", "token": other}, timeout=15)
        assert wrong["success"] is False
    finally:
        client.disconnect()
