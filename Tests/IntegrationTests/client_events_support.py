"""Helpers shared by the client event, typing and RPC tests: Socket.IO clients that collect what they receive,
and a marker that proves what has not arrived by now never will."""
import threading
import time
import uuid

import socketio


class Collector:
    """Socket.IO events a client received, by name, with a condition to wait on."""

    def __init__(self):
        self.events = []
        self.cond = threading.Condition()

    def add(self, name, *args):
        with self.cond:
            self.events.append((name, args, time.time()))
            self.cond.notify_all()

    def wait(self, name, predicate=lambda args: True, timeout=15):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event, args, _ in self.events:
                    if event == name and predicate(args):
                        return args
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no {name} within {timeout}s; got {[e for e, _, _ in self.events]}"
                self.cond.wait(remaining)

    def all(self, name):
        with self.cond:
            return [args for event, args, _ in self.events if event == name]


def sio_connect(herald, token, events, namespaces=("/",)):
    collector = Collector()
    client = socketio.Client(reconnection=False)
    for namespace in namespaces:
        for name in events:
            client.on(name, lambda *args, name=name: collector.add(name, *args), namespace=namespace)
    client.connect(
        f"http://127.0.0.1:{herald.ws_port}", auth={"token": token}, transports=["websocket"],
        namespaces=list(namespaces), wait_timeout=15,
    )
    return client, collector


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def native_marker(herald, clients, channel):
    """Broadcasts a marker on `channel` and waits until every native client has it: events on one channel reach
    a connection in publication order, so whatever was published earlier and is missing never comes."""
    name = unique("test.marker.")
    answer = herald.broadcast({"channel": channel, "event": name, "data": {}})
    assert answer.status_code == 202, answer.text
    for client in clients:
        assert client.wait_for(lambda events: any(e["event"] == name for e in events), 20), f"no marker {name}"
    return name


def events_named(client, name):
    with client._cond:
        return [e for e in client.events if e["event"] == name]


def wait_event(client, name, timeout=20, predicate=lambda event: True):
    assert client.wait_for(lambda events: any(e["event"] == name and predicate(e) for e in events), timeout), (
        f"no {name} within {timeout}s; got {[e['event'] for e in client.events]}")
    return [e for e in events_named(client, name) if predicate(e)][0]
