"""Nothing ingress acknowledged is missed across a ws-edge `kill -9`: native clients reconnect through
`herald run`'s restart and resubscribe with the last offset they received; Socket.IO clients recover through
Socket.IO's own connection-state recovery (`pid` and offsets), served from the batcher's history.

The Socket.IO side speaks the packets socket.io-client (4.6 and later) sends: the CONNECT carries
`{"pid":…,"offset":…}` merged before its `auth`, and the client keeps the last string argument of every event
as the offset to send back."""
import collections
import json
import threading
import time

import pytest
import requests
import websocket

from herald_harness import Herald

CONFIG = "limits: {channel_events_per_minute: 0, global_events_per_minute: 0}\nbatcher: {history_events: 1000}\n"


@pytest.fixture
def herald(tmp_path):
    instance = Herald(tmp_path, extra_config=CONFIG)
    instance.start()
    yield instance
    instance.stop()


class Publisher:
    """Publishes numbered high-priority events on one channel until stopped; remembers what ingress accepted."""

    def __init__(self, herald, channel, count):
        self.herald, self.channel, self.count = herald, channel, count
        self.accepted = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        session = requests.Session()
        for n in range(self.count):
            try:
                answer = self.herald.broadcast(
                    {"channel": self.channel, "event": "forum.comment.created", "data": {"n": n}, "priority": "high"},
                    session=session, timeout=10,
                )
                if answer.status_code == 202:
                    self.accepted.append(answer.json()["id"])
            except requests.RequestException:
                session = requests.Session()
            time.sleep(0.005)  # pacing: the kill lands mid-stream
        self.done.set()


def reconnect(connect, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return connect()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_native_clients_miss_nothing_across_an_edge_kill(herald):
    token = herald.token(3)
    client = herald.client(token)
    client.command("subscribe", channel="thread.8")
    publisher = Publisher(herald, "thread.8", 600)
    publisher.thread.start()
    assert client.wait_for(lambda events: len(events) >= 100, timeout=60)
    _, mark = herald.kill9("ws-edge")
    with client._cond:
        assert client._cond.wait_for(lambda: client._closed, 30), "the killed edge's connection ended"
    received = list(client.events)
    last = received[-1]
    herald.wait_for_line(r"herald-ws-edge is ready", after=mark, timeout=60)

    second = reconnect(lambda: herald.client(token))
    try:
        ack = second.command("subscribe", channel="thread.8", recover={"epoch": last["epoch"], "offset": last["offset"]})
        assert ack["data"]["recovered"] is True, ack
        assert publisher.done.wait(120)
        expected = set(publisher.accepted)
        assert second.wait_for(lambda events: expected <= {e["id"] for e in received + events}, timeout=60), (
            f"missing {len(expected - {e['id'] for e in received + second.events})} accepted events"
        )
        ids = [e["id"] for e in received + second.events]
        duplicates = [i for i, count in collections.Counter(ids).items() if count > 1]
        assert not duplicates, f"{len(duplicates)} events arrived twice"
        offsets = [e["offset"] for e in received + second.events]
        assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    finally:
        second.close()


class SocketIOWire:
    """A raw Engine.IO 4 / Socket.IO 5 client over WebSocket, speaking what socket.io-client sends."""

    def __init__(self, herald):
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{herald.ws_port}/socket.io/?EIO=4&transport=websocket", timeout=15
        )
        opening = self.ws.recv()
        assert opening.startswith("0{"), opening
        self.events = []
        self.last_offset = None

    def connect(self, token, pid=None, offset=None):
        """`40{…}` as socket.io-client writes it: pid and offset first, then the auth object's members."""
        payload = {}
        if pid is not None:
            payload["pid"] = pid
            if offset is not None:
                payload["offset"] = offset
        payload["token"] = token
        self.ws.send("40" + json.dumps(payload, separators=(",", ":")))
        while True:
            packet = self.next_packet()
            if packet.startswith("40"):
                return json.loads(packet[2:])
            if packet.startswith("44"):
                raise AssertionError(f"connect_error: {packet}")
            self._take(packet)

    def next_packet(self):
        while True:
            packet = self.ws.recv()
            if packet == "2":
                self.ws.send("3")
                continue
            return packet

    def _take(self, packet):
        if packet.startswith("42["):
            args = json.loads(packet[2:])
            self.events.append(args)
            if isinstance(args[-1], str):
                self.last_offset = args[-1]

    def emit(self, *args):
        self.ws.send("42" + json.dumps(list(args), separators=(",", ":")))

    def wait_event(self, name, timeout=30):
        deadline = time.monotonic() + timeout
        self.ws.settimeout(timeout)
        while time.monotonic() < deadline:
            packet = self.next_packet()
            self._take(packet)
            if packet.startswith("42[") and json.loads(packet[2:])[0] == name:
                return json.loads(packet[2:])
        raise AssertionError(f"no {name} within {timeout}s")

    def wait_deliveries(self, count, name="forum.comment.created", timeout=30):
        """Reads until `count` deliveries of `name` arrived in all (those read before included)."""
        deadline = time.monotonic() + timeout
        while len(self.deliveries(name)) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{len(self.deliveries(name))} of {count} {name} within {timeout}s"
            self.ws.settimeout(remaining)
            self._take(self.next_packet())
        return self.deliveries(name)

    def deliveries(self, name="forum.comment.created"):
        return [args for args in self.events if args[0] == name]

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


def publish(herald, n, channel="thread.4"):
    answer = herald.broadcast({"channel": channel, "event": "forum.comment.created", "data": {"n": n}, "priority": "high"})
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def test_socketio_hands_out_a_pid_and_an_offset_with_every_delivery(herald):
    client = SocketIOWire(herald)
    try:
        connected = client.connect(herald.token(4))
        assert set(connected) == {"sid", "pid"} and len(connected["pid"]) == 32
        client.emit("subscribe", {"channel": "thread.4"})
        client.wait_event("subscribed")
        event_id = publish(herald, 0)
        args = client.wait_event("forum.comment.created")
        assert args[1] == {"n": 0} and args[2]["id"] == event_id
        assert isinstance(args[3], str) and ":" in args[3], "the recovery offset is the last argument"
    finally:
        client.close()


def recover_after(herald, disconnect):
    """Connects, subscribes, receives one event, disconnects with `disconnect`, misses five events, then
    reconnects with pid and offset; returns (pid, connect answer, client, the ids of the missed events)."""
    token = herald.token(4)
    first = SocketIOWire(herald)
    pid = first.connect(token)["pid"]
    first.emit("subscribe", {"channel": "thread.4"})
    first.wait_event("subscribed")
    publish(herald, 0)
    first.wait_event("forum.comment.created")
    offset = first.last_offset
    disconnect(first)
    missed = [publish(herald, n) for n in range(1, 6)]
    second = reconnect(lambda: SocketIOWire(herald))
    answer = second.connect(token, pid=pid, offset=offset)
    return pid, answer, second, missed


def test_socketio_recovers_after_a_network_drop(herald):
    pid, answer, client, missed = recover_after(herald, lambda first: first.close())
    try:
        assert answer["pid"] == pid, "the same pid: socket.recovered is true"
        assert client.events == [], "the CONNECT answer comes before the replay"
        live = publish(herald, 6)
        ids = [args[2]["id"] for args in client.wait_deliveries(6)]
        assert ids == missed + [live]
    finally:
        client.close()


def test_socketio_recovers_after_the_edge_is_killed(herald):
    def kill_edge(first):
        _, mark = herald.kill9("ws-edge")
        first.close()
        herald.wait_for_line(r"herald-ws-edge is ready", after=mark, timeout=60)

    pid, answer, client, missed = recover_after(herald, kill_edge)
    try:
        assert answer["pid"] == pid, "recovered across an edge restart"
        assert [args[2]["id"] for args in client.wait_deliveries(5)] == missed
        client.emit("unsubscribe", {"channel": "thread.4"})
        client.wait_event("unsubscribed")
    finally:
        client.close()


def test_socketio_recovers_a_session_that_received_nothing_yet(herald):
    token = herald.token(4)
    first = SocketIOWire(herald)
    pid = first.connect(token)["pid"]
    first.emit("subscribe", {"channel": "thread.4"})
    first.wait_event("subscribed")
    first.close()
    missed = [publish(herald, n) for n in range(3)]
    second = SocketIOWire(herald)
    try:
        answer = second.connect(token, pid=pid)
        assert answer["pid"] == pid
        assert [args[2]["id"] for args in second.wait_deliveries(3)] == missed
    finally:
        second.close()


def test_an_unknown_or_foreign_pid_starts_a_new_session(herald):
    token = herald.token(4)
    first = SocketIOWire(herald)
    pid = first.connect(token)["pid"]
    first.close()
    stranger = SocketIOWire(herald)
    try:
        answer = stranger.connect(herald.token(5), pid=pid)
        assert answer["pid"] != pid, "another user's session is not handed over"
    finally:
        stranger.close()
    unknown = SocketIOWire(herald)
    try:
        answer = unknown.connect(token, pid="0" * 32, offset="nope:1")
        assert answer["pid"] != "0" * 32
        unknown.emit("ping")
        assert unknown.wait_event("pong")[1] == {}
    finally:
        unknown.close()
