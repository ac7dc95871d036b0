"""Pusher-format webhooks from herald-batcher, received by a local HTTP server configured in the app's
`webhooks` and checked with the official `pusher` server library: channel_occupied when a channel's first
subscriber arrives, channel_vacated when its last leaves, in order, signed; a failed POST is sent again with
the same body; a receiver that never answers does not hold up deliveries to clients."""
import http.server
import json
import select
import socket
import threading
import time
import uuid

import pusher
import pytest

from herald_harness import Herald

# The `pusher` library takes only all-digit app ids.
APP_ID, KEY, SECRET = "1001", "webhook-test-key", "webhook-test-secret"
TIMEOUT = 30


class Receiver:
    """A webhook receiver on a free loopback port. `behaviour` answers each POST by its number (1 first):
    an HTTP status, or "hang" to hold the connection open without answering until the client gives up."""

    def __init__(self, behaviour=lambda number: 200):
        self.behaviour = behaviour
        self.posts = []  # (headers, body bytes, status answered or "hang")
        self.hanging = 0  # connections held open right now
        self.cond = threading.Condition()
        self.stopping = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.cond:
                    number = len(receiver.posts) + 1
                    answer = receiver.behaviour(number)
                    receiver.posts.append((dict(self.headers), body, answer))
                    if answer == "hang":
                        receiver.hanging += 1
                    receiver.cond.notify_all()
                if answer == "hang":
                    self._hold()
                    return
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _hold(self):
                """Until Herald closes the connection (its timeout) or the test ends."""
                try:
                    while not receiver.stopping.is_set():
                        readable, _, _ = select.select([self.connection], [], [], 0.1)
                        if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                            break
                finally:
                    with receiver.cond:
                        receiver.hanging -= 1
                        receiver.cond.notify_all()
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/pusher/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, predicate, timeout=TIMEOUT):
        with self.cond:
            assert self.cond.wait_for(lambda: predicate(self), timeout), f"webhooks received: {self.bodies()}"

    def bodies(self):
        return [json.loads(body) for _, body, _ in self.posts]

    def events(self, channels):
        """Every event received for `channels`, in arrival order, as (name, channel); retries count once."""
        seen = []
        delivered = [body for _, body, answer in self.posts if answer != "hang" and 200 <= answer < 300]
        for body in delivered:
            for event in json.loads(body)["events"]:
                if event["channel"] in channels:
                    seen.append((event["name"], event["channel"]))
        return seen


def start_herald(tmp_path, receiver, edge_config=""):
    config = (
        "apps:\n"
        f'  - {{id: "{APP_ID}", key: "{KEY}", secret: "{SECRET}", webhooks: ["{receiver.url}"]}}\n'
    )
    return Herald(tmp_path, extra_config=config, edge_config=edge_config).start()


@pytest.fixture
def receiver():
    made = []

    def make(behaviour=lambda number: 200):
        made.append(Receiver(behaviour))
        return made[-1]

    yield make
    for instance in made:
        instance.stop()


def channel_name():
    return f"public.{uuid.uuid4().hex[:10]}"


def test_occupied_and_vacated_arrive_signed_and_in_order(tmp_path, receiver):
    hooks = receiver()
    herald = start_herald(tmp_path, hooks)
    try:
        client = herald.client(herald.token(41))
        first, second = channel_name(), channel_name()
        assert client.command("subscribe", channel=first)["ok"]
        assert client.command("subscribe", channel=second)["ok"]
        hooks.wait_for(lambda r: len(r.events({first, second})) == 2)
        assert client.command("unsubscribe", channel=first)["ok"]
        client.close()
        hooks.wait_for(lambda r: len(r.events({first, second})) == 4)
        assert hooks.events({first, second}) == [
            ("channel_occupied", first), ("channel_occupied", second),
            ("channel_vacated", first), ("channel_vacated", second),
        ]

        server = pusher.Pusher(app_id=APP_ID, key=KEY, secret=SECRET)
        for headers, body, _ in hooks.posts:
            assert headers["Content-Type"] == "application/json"
            validated = server.validate_webhook(
                key=headers["X-Pusher-Key"], signature=headers["X-Pusher-Signature"], body=body.decode())
            assert validated is not None, body
            assert abs(validated["time_ms"] - time.time() * 1000) < 60_000
            for event in validated["events"]:
                if event["name"].startswith("channel_"):
                    assert set(event) == {"name", "channel"}
        forged = pusher.Pusher(app_id=APP_ID, key=KEY, secret="another-secret")
        headers, body, _ = hooks.posts[0]
        assert forged.validate_webhook(
            key=headers["X-Pusher-Key"], signature=headers["X-Pusher-Signature"], body=body.decode()) is None
    finally:
        herald.stop()


def test_a_failed_post_is_sent_again_with_the_same_body(tmp_path, receiver):
    hooks = receiver(lambda number: 500 if number == 1 else 200)
    herald = start_herald(tmp_path, hooks)
    try:
        client = herald.client(herald.token(42))
        channel = channel_name()
        assert client.command("subscribe", channel=channel)["ok"]
        hooks.wait_for(lambda r: ("channel_occupied", channel) in r.events({channel}))
        (headers1, body1, answer1), (headers2, body2, answer2) = hooks.posts[:2]
        assert (answer1, answer2) == (500, 200)
        assert body2 == body1, "the same bytes: the same time_ms and signature"
        assert headers2["X-Pusher-Signature"] == headers1["X-Pusher-Signature"]

        # A later batch arrives after the delivered one, and the delivered one is not sent again.
        later = channel_name()
        assert client.command("subscribe", channel=later)["ok"]
        hooks.wait_for(lambda r: ("channel_occupied", later) in r.events({later}))
        assert [body for _, body, _ in hooks.posts].count(body1) == 2
        assert hooks.posts[-1][1] != body1
        client.close()
    finally:
        herald.stop()


def test_a_receiver_that_never_answers_does_not_delay_deliveries(tmp_path, receiver):
    hooks = receiver(lambda number: "hang")
    herald = start_herald(tmp_path, hooks)
    try:
        client = herald.client(herald.token(43))
        channel = channel_name()
        assert client.command("subscribe", channel=channel)["ok"]
        # Herald's POST announcing the channel is now held open, unanswered.
        hooks.wait_for(lambda r: r.hanging == 1)
        started = len(hooks.posts)
        assert started == 1

        response = herald.broadcast(
            {"channel": channel, "event": "public.news.posted", "data": {"n": 1}, "priority": "high"})
        assert response.status_code == 202, response.text
        assert client.wait_for(lambda events: any(e["channel"] == channel for e in events), timeout=TIMEOUT)
        with hooks.cond:
            # Delivered while that POST still hangs: Herald waits up to 5 s for it before trying again.
            assert hooks.hanging == 1 and len(hooks.posts) == started, "the webhook POST was still unanswered"

        # More webhook events queue behind the hanging one, and deliveries still flow.
        other = channel_name()
        assert client.command("subscribe", channel=other)["ok"]
        response = herald.broadcast(
            {"channel": other, "event": "public.news.posted", "data": {"n": 2}, "priority": "high"})
        assert response.status_code == 202, response.text
        assert client.wait_for(lambda events: any(e["channel"] == other for e in events), timeout=TIMEOUT)
        with hooks.cond:
            first = hooks.posts[0][1]
            assert all(body == first for _, body, _ in hooks.posts), "the next batch waits for the first"

        # Herald gives up on the hung POST after its timeout and sends the same body again.
        hooks.wait_for(lambda r: len(r.posts) >= 2, timeout=TIMEOUT)
        assert hooks.posts[1][1] == hooks.posts[0][1]
        client.close()
    finally:
        herald.stop()


def test_members_and_users_are_told_once_per_arrival_and_departure(tmp_path, receiver):
    """member_added / member_removed on a presence channel and user_online / user_offline, each once per user
    however many connections it has, the departures after the grace."""
    hooks = receiver()
    herald = start_herald(tmp_path, hooks, edge_config="presence_grace_ms: 500")
    try:
        channel = f"presence-thread.{uuid.uuid4().hex[:6]}"
        tabs = [herald.client(herald.token(51)) for _ in range(2)]
        for tab in tabs:
            assert tab.command("subscribe", channel=channel)["ok"]
        hooks.wait_for(lambda r: ("member_added", channel) in r.events({channel}))
        for tab in tabs:
            tab.close()
        hooks.wait_for(lambda r: ("member_removed", channel) in r.events({channel}))
        hooks.wait_for(lambda r: ("user_offline", "user.51") in r.events({"user.51"}))

        assert hooks.events({channel}) == [
            ("channel_occupied", channel), ("member_added", channel),
            ("channel_vacated", channel), ("member_removed", channel),
        ]
        users = [name for name, _ in hooks.events({"user.51"}) if name.startswith("user_")]
        assert users == ["user_online", "user_offline"]
        server = pusher.Pusher(app_id=APP_ID, key=KEY, secret=SECRET)
        named = [
            event
            for headers, body, _ in hooks.posts
            for event in server.validate_webhook(
                key=headers["X-Pusher-Key"], signature=headers["X-Pusher-Signature"], body=body.decode())["events"]
            if event["name"] in ("member_added", "member_removed", "user_online", "user_offline")
        ]
        assert all(event["user_id"] == "51" for event in named) and len(named) == 4
    finally:
        herald.stop()


def test_client_events_and_read_receipts_are_reported_once(tmp_path, receiver):
    """A client event is a client_event webhook (event, data as a JSON string, user_id, socket_id), and so is a
    Socket.IO read receipt: the backend hears of `notification:mark_read`."""
    from test_socketio import connect

    hooks = receiver()
    herald = start_herald(tmp_path, hooks)
    try:
        typist = herald.client(herald.token(61))
        reader = herald.client(herald.token(60))
        for client in (typist, reader):
            assert client.command("subscribe", channel="thread.7")["ok"]
        assert typist.command("publish", channel="thread.7", event="forum.typing.started", data={"thread_id": 7})["ok"]
        reading, _ = connect(herald, herald.token(62))
        assert reading.call("notification:mark_read", {"notificationId": 5}, timeout=15)["success"] is True

        def client_events(r):
            return [
                event for body in r.bodies() for event in body["events"] if event["name"] == "client_event"
            ]

        hooks.wait_for(lambda r: len(client_events(r)) >= 2)
        typing, read = client_events(hooks)
        assert typing["channel"] == "thread.7" and typing["event"] == "forum.typing.started"
        assert typing["user_id"] == "61" and typing["socket_id"] == typist.welcome["connection_id"]
        assert json.loads(typing["data"])["thread_id"] == 7
        assert read["channel"] == "user.62" and read["event"] == "notification_read" and read["user_id"] == "62"
        assert json.loads(read["data"]) == {"notificationId": 5}
        reading.disconnect()
        typist.close()
        reader.close()
    finally:
        herald.stop()
