"""Client events over native, Socket.IO and Pusher: allowed ones reach the channel's other subscribers as the
sender (never the sender's own connection), the rules refuse the rest, the per-connection limit holds, and a
read receipt reaches only the same user's other connections."""
import json

import pytest

from client_events_support import events_named, native_marker, sio_connect, unique, wait_event
from herald_harness import Herald
from test_pusher_ws import KEY, SECRET, Client

RULES = (
    "channels:\n"
    "  client_events:\n"
    '    - {channel: "thread.*", events: ["forum.typing.*", "forum.cursor.moved"]}\n'
    '    - {channel: "presence-*", events: ["client-*"]}\n'
    '    - {channel: "private-*", events: ["client-allowed-*"]}\n'
    "apps:\n"
    '  - {id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: ["realtime:publish"]}\n'
    f'  - {{id: "1001", key: "{KEY}", secret: "{SECRET}"}}\n'
)


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    instance = Herald(tmp_path_factory.mktemp("client-events"), extra_config=RULES).start()
    yield instance
    instance.stop()


@pytest.fixture
def opened():
    """Every client a test opens, closed at its end."""
    clients = []
    yield clients
    for client in clients:
        try:
            client.disconnect() if hasattr(client, "disconnect") else client.close()
        except Exception:
            pass


def native(herald, opened, user, *channels):
    client = herald.client(herald.token(user))
    opened.append(client)
    for channel in channels:
        assert client.command("subscribe", channel=channel)["ok"]
    return client


def test_an_allowed_event_reaches_every_other_connection_as_the_sender(herald, opened):
    thread = unique("thread.")
    first, second = native(herald, opened, 1, thread), native(herald, opened, 1, thread)
    other = native(herald, opened, 2, thread)
    sio, got = sio_connect(herald, herald.token(3), ["forum.cursor.moved"])
    opened.append(sio)
    assert sio.call("subscribe", {"channel": thread}, timeout=15) == {"success": True, "channel": thread}

    ack = first.command("publish", channel=thread, event="forum.cursor.moved", data={"x": 1})
    assert ack["ok"] and ack["data"]["id"].startswith("evt_"), ack
    for receiver in (second, other):
        event = wait_event(receiver, "forum.cursor.moved")
        assert event["data"] == {"x": 1} and event["user_id"] == "1" and event["channel"] == thread
    data, meta = got.wait("forum.cursor.moved")[:2]
    assert data == {"x": 1} and meta["user_id"] == "1" and meta["channel"] == thread

    # Socket.IO on "/": emit(<event>, {channel, data}, ack).
    answer = sio.call("forum.cursor.moved", {"channel": thread, "data": {"x": 2}}, timeout=15)
    assert answer["success"] is True and answer["id"].startswith("evt_"), answer
    for receiver in (first, second, other):
        event = wait_event(receiver, "forum.cursor.moved", predicate=lambda e: e["data"] == {"x": 2})
        assert event["user_id"] == "3"

    native_marker(herald, [first, second, other], thread)
    assert [e["data"] for e in events_named(first, "forum.cursor.moved")] == [{"x": 2}]
    assert [args[0] for args in got.all("forum.cursor.moved")] == [{"x": 1}]


def test_the_rules_refuse_other_events_and_unjoined_channels(herald, opened):
    thread = unique("thread.")
    sender = native(herald, opened, 4, thread)
    listener = native(herald, opened, 5, thread)
    refused = sender.command("publish", channel=thread, event="forum.comment.created", data={})
    assert not refused["ok"] and refused["error"]["code"] == "PERMISSION_DENIED", refused
    assert "forum.typing.*" in refused["error"]["message"]
    elsewhere = sender.command("publish", channel="products", event="forum.cursor.moved", data={})
    assert elsewhere["error"]["code"] == "PERMISSION_DENIED"
    not_joined = sender.command("publish", channel=unique("thread."), event="forum.cursor.moved", data={})
    assert not_joined["error"]["code"] == "PERMISSION_DENIED"

    sio, got = sio_connect(herald, herald.token(6), ["error"])
    opened.append(sio)
    sio.call("subscribe", {"channel": thread}, timeout=15)
    answer = sio.call("launch", {"channel": thread, "data": {}}, timeout=15)
    assert answer["success"] is False and answer["error"]["code"] == "PERMISSION_DENIED", answer
    assert got.wait("error")[0]["code"] == "PERMISSION_DENIED"
    shapeless = sio.call("launch", {"x": 1}, timeout=15)
    assert shapeless["error"]["code"] == "PERMISSION_DENIED"

    native_marker(herald, [listener], thread)
    assert not events_named(listener, "forum.comment.created") and not events_named(listener, "launch")


def test_pusher_client_events_follow_the_rules(herald, opened):
    channel = unique("private-game.")
    sender = Client(herald)
    listener = Client(herald)
    opened.extend([sender, listener])
    for client in (sender, listener):
        client.subscribe(channel)
    sender.send("client-allowed-move", {"n": 1}, channel=channel)
    assert listener.event("client-allowed-move", channel)["data"] is not None
    sender.send("client-other", {"n": 2}, channel=channel)
    error = sender.wait_for(
        lambda frame: frame.get("event") == "pusher:error" and "PERMISSION_DENIED" in str(frame.get("data")),
        "a PERMISSION_DENIED pusher:error")
    assert error
    sender.send("client-allowed-move", {"n": 3}, channel=channel)
    listener.wait_for(lambda frame: frame.get("event") == "client-allowed-move" and data(frame) == {"n": 3},
                      "the third event")
    assert not listener.has("client-other")
    assert not sender.has("client-allowed-move")


def data(frame):
    value = frame.get("data")
    return json.loads(value) if isinstance(value, str) else value


def test_read_receipts_reach_only_the_same_users_other_connections(herald, opened):
    reader, reader_got = sio_connect(herald, herald.token(7), ["notification_read"])
    twin, twin_got = sio_connect(herald, herald.token(7), ["notification_read"])
    opened.extend([reader, twin])
    native_twin = native(herald, opened, 7)
    stranger = native(herald, opened, 8)
    assert reader.call("notification:mark_read", {"notificationId": "n-1"}, timeout=15) == {"success": True}
    assert twin_got.wait("notification_read")[0] == {"notificationId": "n-1"}
    event = wait_event(native_twin, "notification_read")
    assert event["data"] == {"notificationId": "n-1"} and event["user_id"] == "7"
    native_marker(herald, [native_twin], "user.7")
    assert reader_got.all("notification_read") == []
    assert not events_named(stranger, "notification_read")


def test_the_per_connection_limit_refuses_what_is_over(tmp_path):
    instance = Herald(tmp_path, extra_config="limits: {client_events_per_minute: 3}\n").start()
    try:
        thread = unique("thread.")
        client = instance.client(instance.token(9))
        other = instance.client(instance.token(10))
        try:
            assert client.command("subscribe", channel=thread)["ok"]
            assert other.command("subscribe", channel=thread)["ok"]
            answers = [
                client.command("publish", channel=thread, event="forum.typing.stopped", data={"n": n})
                for n in range(4)
            ]
            assert [a["ok"] for a in answers] == [True, True, True, False], answers
            assert answers[3]["error"]["code"] == "RATE_LIMIT_EXCEEDED"
            assert "limits.client_events_per_minute" in answers[3]["error"]["message"]
            native_marker(instance, [other], thread)
            assert [e["data"]["n"] for e in events_named(other, "forum.typing.stopped")] == [0, 1, 2]

            sio, got = sio_connect(instance, instance.token(11), ["error"])
            try:
                results = [sio.call("ping", timeout=15) for _ in range(3)]
                assert all(r == {"success": True} for r in results)
                over = sio.call("ping", timeout=15)
                assert over["success"] is False and over["error"]["code"] == "RATE_LIMIT_EXCEEDED", over
            finally:
                sio.disconnect()
        finally:
            client.close()
            other.close()
    finally:
        instance.stop()


def test_the_per_user_limit_across_connections_is_told_to_the_sender(tmp_path):
    """The authorizer counts a user's client events over all its connections: the connection that goes over gets
    RATE_LIMIT_EXCEEDED in its ack (native) and its acknowledgement and `error` event (Socket.IO), though its own
    per-connection count is under the limit."""
    instance = Herald(tmp_path, extra_config="limits: {client_events_per_minute: 3}\n").start()
    try:
        thread = unique("thread.")
        first = instance.client(instance.token(12))
        second = instance.client(instance.token(12))
        reader = instance.client(instance.token(13))
        sio, got = sio_connect(instance, instance.token(12), ["error"])
        try:
            for client in (first, second, reader):
                assert client.command("subscribe", channel=thread)["ok"]
            assert sio.call("subscribe", {"channel": thread}, timeout=15)["success"] is True
            answers = [
                client.command("publish", channel=thread, event="forum.typing.stopped", data={"n": n})
                for n, client in enumerate((first, first, second, second))
            ]
            assert [a["ok"] for a in answers] == [True, True, True, False], answers
            assert answers[3]["error"]["code"] == "RATE_LIMIT_EXCEEDED"
            over = sio.call("forum.typing.stopped", {"channel": thread, "data": {"n": 4}}, timeout=15)
            assert over["success"] is False and over["error"]["code"] == "RATE_LIMIT_EXCEEDED", over
            assert got.wait("error")[0]["code"] == "RATE_LIMIT_EXCEEDED"
            native_marker(instance, [reader], thread)
            assert [e["data"]["n"] for e in events_named(reader, "forum.typing.stopped")] == [0, 1, 2]
        finally:
            sio.disconnect()
            for client in (first, second, reader):
                client.close()
    finally:
        instance.stop()
