"""Typing indicators: a `.typing.started` is delivered with the edge's `expires_at` and the typist's `user`, and
unless renewed or stopped the edge sends `.typing.stopped {user}` to the same recipients when it expires — also
after the typist has gone. The tests ask for a short expiry through the client's own `expires_at`, and wait on
the events themselves."""
import time

import pytest

from client_events_support import events_named, native_marker, sio_connect, unique, wait_event
from herald_harness import Herald


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    instance = Herald(tmp_path_factory.mktemp("typing")).start()
    yield instance
    instance.stop()


def named_token(herald, sub, name):
    out = herald.ctl("token", "--sub", str(sub), "--role", "member", "--name", name, "--config", herald.config)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def now_ms():
    return int(time.time() * 1000)


@pytest.fixture
def opened():
    clients = []
    yield clients
    for client in clients:
        try:
            client.disconnect() if hasattr(client, "disconnect") else client.close()
        except Exception:
            pass


def subscribed(herald, opened, token, channel):
    client = herald.client(token)
    opened.append(client)
    assert client.command("subscribe", channel=channel)["ok"]
    return client


def test_started_carries_expiry_and_user_then_stops_by_itself(herald, opened):
    thread = unique("thread.")
    typist = subscribed(herald, opened, named_token(herald, 20, "Ann"), thread)
    watcher = subscribed(herald, opened, herald.token(21), thread)
    sio, got = sio_connect(herald, herald.token(22), ["forum.typing.started", "forum.typing.stopped"])
    opened.append(sio)
    sio.call("subscribe", {"channel": thread}, timeout=15)

    expires = now_ms() + 1000
    ack = typist.command("publish", channel=thread, event="forum.typing.started", data={"thread": 1, "expires_at": expires})
    assert ack["ok"], ack
    started = wait_event(watcher, "forum.typing.started")
    assert started["data"] == {"thread": 1, "expires_at": expires, "user": {"id": "20", "name": "Ann"}}
    assert started["user_id"] == "20"
    stopped = wait_event(watcher, "forum.typing.stopped", timeout=10)
    assert stopped["data"] == {"user": {"id": "20", "name": "Ann"}} and stopped["channel"] == thread
    assert now_ms() >= expires
    data, meta = got.wait("forum.typing.stopped", timeout=10)[:2]
    assert data == {"user": {"id": "20", "name": "Ann"}} and meta["user_id"] == "20"
    assert got.wait("forum.typing.started")[0]["expires_at"] == expires

    native_marker(herald, [typist, watcher], thread)
    assert not events_named(typist, "forum.typing.started") and not events_named(typist, "forum.typing.stopped")
    assert len(events_named(watcher, "forum.typing.stopped")) == 1


def test_an_expiry_later_than_five_seconds_is_cut_to_five(herald, opened):
    thread = unique("thread.")
    typist = subscribed(herald, opened, herald.token(23), thread)
    watcher = subscribed(herald, opened, herald.token(24), thread)
    before = now_ms()
    typist.command("publish", channel=thread, event="forum.typing.started", data={"expires_at": before + 60_000})
    expires = wait_event(watcher, "forum.typing.started")["data"]["expires_at"]
    assert before + 5000 <= expires <= now_ms() + 5000


def test_a_renewal_moves_the_stop_and_a_clients_own_stop_cancels_it(herald, opened):
    thread = unique("thread.")
    typist = subscribed(herald, opened, herald.token(25), thread)
    quitter = subscribed(herald, opened, herald.token(26), thread)
    watcher = subscribed(herald, opened, herald.token(27), thread)

    first = now_ms() + 600
    renewed = now_ms() + 1500
    typist.command("publish", channel=thread, event="forum.typing.started", data={"expires_at": first})
    typist.command("publish", channel=thread, event="forum.typing.started", data={"expires_at": renewed})
    # The quitter starts and stops at once: its own stop goes out, the automatic one never does.
    quitter.command("publish", channel=thread, event="forum.typing.started", data={"expires_at": now_ms() + 500})
    quitter.command("publish", channel=thread, event="forum.typing.stopped", data={"done": True})

    stop = wait_event(watcher, "forum.typing.stopped", predicate=lambda e: e["user_id"] == "25", timeout=10)
    assert now_ms() >= renewed, "the renewal did not move the stop"
    assert stop["data"] == {"user": {"id": "25", "name": None}}
    # Timers fire in deadline order: the quitter's earlier one would have come before the typist's.
    native_marker(herald, [watcher], thread)
    quitter_stops = [e["data"] for e in events_named(watcher, "forum.typing.stopped") if e["user_id"] == "26"]
    assert quitter_stops == [{"done": True}]
    assert len([e for e in events_named(watcher, "forum.typing.stopped") if e["user_id"] == "25"]) == 1


def test_the_stop_comes_after_the_typist_disconnected(herald, opened):
    thread = unique("thread.")
    typist = herald.client(herald.token(28))
    watcher = subscribed(herald, opened, herald.token(29), thread)
    assert typist.command("subscribe", channel=thread)["ok"]
    expires = now_ms() + 800
    assert typist.command("publish", channel=thread, event="forum.typing.started", data={"expires_at": expires})["ok"]
    wait_event(watcher, "forum.typing.started")
    typist.close()
    stop = wait_event(watcher, "forum.typing.stopped", timeout=10)
    assert stop["data"]["user"]["id"] == "28"


def test_socketio_typing_in_a_conversation(herald, opened):
    # conversation.{id} needs a subscription grant; the token's channels claim gives it.
    conversation = unique("conversation.")
    tokens = []
    for sub in (30, 31):
        out = herald.ctl("token", "--sub", str(sub), "--role", "member", "--channel", conversation, "--config",
                         herald.config)
        assert out.returncode == 0, out.stderr
        tokens.append(out.stdout.strip())
    typist, _ = sio_connect(herald, tokens[0], [])
    watcher, got = sio_connect(herald, tokens[1], ["messaging.typing.started", "messaging.typing.stopped"])
    opened.extend([typist, watcher])
    for client in (typist, watcher):
        assert client.call("subscribe", {"channel": conversation}, timeout=15)["success"]
    answer = typist.call(
        "messaging.typing.started", {"channel": conversation, "data": {"expires_at": now_ms() + 700}}, timeout=15)
    assert answer["success"] is True, answer
    assert got.wait("messaging.typing.started")[0]["user"]["id"] == "30"
    data, meta = got.wait("messaging.typing.stopped", timeout=10)[:2]
    assert data == {"user": {"id": "30", "name": None}} and meta["user_id"] == "30"
