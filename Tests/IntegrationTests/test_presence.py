"""Presence across protocols and edges: members keyed by user, joins at once, leaves after the grace (once), and
right again after the edge is killed and its clients come back."""
import hashlib
import hmac
import json
import threading

import pytest
import websocket

from herald_harness import Herald
from test_socketio import Collector, connect

GRACE_MS = 1500
APP_KEY = "lottery-key"
APP_SECRET = "lottery-secret"


@pytest.fixture
def herald(tmp_path):
    instance = Herald(tmp_path, edge_config=f"presence_grace_ms: {GRACE_MS}").start()
    yield instance
    instance.stop()


def token(herald, sub, name=None, channels=(), info=None):
    args = ["token", "--sub", str(sub), "--role", "member", "--config", herald.config]
    if name:
        args += ["--name", name]
    if info:
        args += ["--info", json.dumps(info)]
    for channel in channels:
        args += ["--channel", channel]
    out = herald.ctl(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


class PusherClient:
    """A Pusher protocol 7 client on websocket-client, signing its own presence subscriptions."""

    def __init__(self, herald):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/app/{APP_KEY}?protocol=7", timeout=30)
        established = json.loads(self.ws.recv())
        assert established["event"] == "pusher:connection_established"
        self.socket_id = json.loads(established["data"])["socket_id"]
        self.frames = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                frame = json.loads(self.ws.recv())
                with self.cond:
                    self.frames.append(frame)
                    self.cond.notify_all()
        except Exception:
            pass

    def subscribe_presence(self, channel, user_id, info):
        channel_data = json.dumps({"user_id": user_id, "user_info": info})
        signature = hmac.new(
            APP_SECRET.encode(), f"{self.socket_id}:{channel}:{channel_data}".encode(), hashlib.sha256
        ).hexdigest()
        self.ws.send(json.dumps({
            "event": "pusher:subscribe",
            "data": {"channel": channel, "auth": f"{APP_KEY}:{signature}", "channel_data": channel_data},
        }))
        frame = self.wait(lambda f: f["event"] == "pusher_internal:subscription_succeeded")
        return json.loads(frame["data"])["presence"]

    def wait(self, predicate, timeout=15):
        with self.cond:
            found = []
            ok = self.cond.wait_for(lambda: found.extend(f for f in self.frames if predicate(f)) or found, timeout)
            assert ok, f"no matching frame within {timeout}s; got {[f['event'] for f in self.frames]}"
            return found[0]

    def events(self, name):
        with self.cond:
            return [json.loads(f["data"]) for f in self.frames if f["event"] == name]

    def close(self):
        self.ws.close()


def joins(frames, user):
    return [f for f in frames if f["action"] == "join" and f["user"]["id"] == user]


def leaves(frames, user):
    return [f for f in frames if f["action"] == "leave" and f["user"]["id"] == user]


def test_members_are_users_across_all_three_protocols(herald):
    channel = "presence-thread.7"
    observer = herald.client(token(herald, 9, name="Olga"))
    assert observer.command("subscribe", channel=channel)["ok"] is True

    # User 1 on the native protocol and on Socket.IO: one member, one join.
    ada_native = herald.client(token(herald, 1, name="Ada"))
    assert ada_native.command("subscribe", channel=channel)["ok"] is True
    assert observer.wait_for_presence(lambda frames: joins(frames, "1"))
    ada_socket, ada_events = connect(herald, token(herald, 1, name="Ada"), events=["subscribed"])
    ada_socket.emit("subscribe", {"channel": channel})
    ada_events.wait("subscribed")

    # User 2 on Pusher: sees everyone already there, with their info.
    bob = PusherClient(herald)
    presence = bob.subscribe_presence(channel, "2", {"name": "Bob"})
    assert sorted(presence["ids"]) == ["1", "2", "9"] and presence["count"] == 3
    assert presence["hash"]["1"] == {"name": "Ada"}
    assert observer.wait_for_presence(lambda frames: joins(frames, "2"))
    assert joins(observer.presence, "2")[0]["user"]["info"] == {"name": "Bob"}

    # The native list: three members, in order of arrival, each with its info and when it came.
    listed = observer.command("presence", channel=channel)["data"]
    assert [m["id"] for m in listed["members"]] == ["9", "1", "2"] and listed["count"] == 3
    assert listed["members"][1]["info"] == {"name": "Ada"} and listed["members"][1]["since"] > 0

    # Ada's native tab closes: she is still there through Socket.IO. Bob leaves and comes back within the
    # grace: neither a leave nor a second join.
    ada_native.close()
    bob.close()
    bob = PusherClient(herald)
    bob.subscribe_presence(channel, "2", {"name": "Bob"})

    # Ada's last connection closes: she leaves once, after the grace. Any departure of Bob's would have been due
    # before hers, so by now it would have arrived.
    ada_socket.disconnect()
    assert observer.wait_for_presence(lambda frames: leaves(frames, "1"), timeout=GRACE_MS / 1000 + 15)
    removed = bob.wait(lambda f: f["event"] == "pusher_internal:member_removed")
    assert json.loads(removed["data"]) == {"user_id": "1"}
    assert len(joins(observer.presence, "1")) == 1 and len(leaves(observer.presence, "1")) == 1
    assert leaves(observer.presence, "2") == [] and len(joins(observer.presence, "2")) == 1
    assert [m["id"] for m in observer.command("presence", channel=channel)["data"]["members"]] == ["9", "2"]
    observer.close()
    bob.close()


def test_socketio_room_presence_events_and_online_list(herald):
    grant = ["room.*"]
    events = ["presence:user_online", "presence:user_offline"]
    first, first_events = connect(
        herald, token(herald, "usr_a", name="Ann", channels=grant), namespaces=["/rooms/r1"], events=events)
    ben = token(herald, "usr_b", name="Ben", channels=grant, info={"avatar": "https://a/ben.png"})
    second, _ = connect(herald, ben, namespaces=["/rooms/r1"], events=events)
    online = first_events.wait("presence:user_online", lambda args: args[0]["userId"] == "usr_b")[0]
    assert online["roomId"] == "r1" and online["user"] == {"id": "usr_b", "name": "Ben", "avatar": "https://a/ben.png"}
    assert online["timestamp"].endswith("Z")

    # The same user on `/` with room:subscribe counts once; the list names both users.
    again, again_events = connect(herald, ben)
    assert again.call("room:subscribe", {"roomId": "r1"}, timeout=15)["success"] is True
    answer = first.call("presence:get_online", {"roomId": "r1"}, namespace="/rooms/r1", timeout=15)
    assert answer["roomId"] == "r1" and answer["count"] == 2
    assert [u["id"] for u in answer["users"]] == ["usr_a", "usr_b"]
    assert answer["users"][0]["name"] == "Ann" and answer["users"][0]["connectedAt"].endswith("Z")

    second.disconnect()
    again.disconnect()
    offline = first_events.wait("presence:user_offline", timeout=GRACE_MS / 1000 + 15)[0]
    assert offline["roomId"] == "r1" and offline["userId"] == "usr_b"
    assert [args[0]["userId"] for name, args in first_events.events if name == "presence:user_online"] == ["usr_b"]
    first.disconnect()


def test_presence_is_right_again_after_the_edge_is_killed(tmp_path):
    """kill -9 the edge: users that come back within the grace never left; one that does not leaves once."""
    herald = Herald(tmp_path, edge_config="presence_grace_ms: 8000").start()
    try:
        channel = "presence-thread.3"
        observer = herald.client(token(herald, 9))
        staying = herald.client(token(herald, 1, name="Stays"))
        going, _ = connect(herald, token(herald, 2, name="Goes"), events=["subscribed"])
        assert observer.command("subscribe", channel=channel)["ok"] is True
        assert staying.command("subscribe", channel=channel)["ok"] is True
        going.emit("subscribe", {"channel": channel})
        assert observer.wait_for_presence(lambda frames: joins(frames, "1") and joins(frames, "2"))

        pid, line = herald.kill9("ws-edge")
        herald.wait_for_line(rf"herald-ws-edge is ready \(pid (?!{pid}\))\d+\)", timeout=60, after=line)
        going.disconnect()
        observer = herald.client(token(herald, 9))
        assert observer.command("subscribe", channel=channel)["ok"] is True
        staying = herald.client(token(herald, 1, name="Stays"))
        assert staying.command("subscribe", channel=channel)["ok"] is True

        # Only the user who did not come back leaves, once, and the list is right.
        assert observer.wait_for_presence(lambda frames: leaves(frames, "2"), timeout=30)
        listed = observer.command("presence", channel=channel)["data"]
        assert sorted(m["id"] for m in listed["members"]) == ["1", "9"]
        assert observer.presence == leaves(observer.presence, "2") and len(observer.presence) == 1
        observer.close()
        staying.close()
    finally:
        herald.stop()


class HookServer:
    """The backend authorization hook: allows every room, describing each user by its id."""

    def __init__(self):
        import http.server

        questions = self.questions = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                questions.append(body)
                answer = json.dumps({"allow": True, "info": {"name": f"User {body['user']}", "avatar": "https://a/1.png"}})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/auth"

    def close(self):
        self.server.shutdown()


def test_member_info_comes_from_the_authorization_hook(tmp_path):
    hook = HookServer()
    herald = Herald(tmp_path, auth_config=f'hook: {{url: "{hook.url}"}}').start()
    try:
        events = ["presence:user_online"]
        first, first_events = connect(herald, token(herald, "u1", name="From token"), namespaces=["/rooms/r9"], events=events)
        second, _ = connect(herald, token(herald, "u2"), namespaces=["/rooms/r9"], events=events)
        online = first_events.wait("presence:user_online", lambda args: args[0]["userId"] == "u2")[0]
        assert online["user"] == {"id": "u2", "name": "User u2", "avatar": "https://a/1.png"}
        answer = second.call("presence:get_online", {"roomId": "r9"}, namespace="/rooms/r9", timeout=15)
        assert [(u["id"], u["name"]) for u in answer["users"]] == [("u1", "User u1"), ("u2", "User u2")]
        assert {q["channel"] for q in hook.questions} == {"room.r9"}
        first.disconnect()
        second.disconnect()
    finally:
        herald.stop()
        hook.close()


def test_customers_coming_online_and_going_offline_are_published(herald):
    """events.online_events: the seed's customer:online / customer:offline on `customers`, once per coming and
    going across all connections, with the grace in between."""
    admin = herald.client(herald.token(1, role="admin"))
    assert admin.command("subscribe", channel="customers")["ok"] is True
    customer = herald.token(77, role="customer")
    first = herald.client(customer)
    assert admin.wait_for(lambda events: [e for e in events if e["event"] == "customer:online"])
    online = [e for e in admin.events if e["event"] == "customer:online"][0]
    assert online["data"]["customerId"] == "77" and online["data"]["isOnline"] is True
    assert online["data"]["lastSeen"] > 0 and online["priority"] == "high"

    # A second connection, and the first one closing, are neither; a member is not announced at all.
    second, _ = connect(herald, customer)
    first.close()
    member = herald.client(herald.token(78, role="member"))
    member.close()
    second.disconnect()
    assert admin.wait_for(
        lambda events: [e for e in events if e["event"] == "customer:offline"], timeout=GRACE_MS / 1000 + 15)
    names = [(e["event"], e["data"].get("customerId")) for e in admin.events]
    assert names == [("customer:online", "77"), ("customer:offline", "77")]
    admin.close()


def test_presence_spans_two_edges_and_survives_one_of_them_dying(tmp_path):
    """A second herald-ws-edge beside the one `herald run` starts: members on either edge are one list, a user
    with a connection on each is one member, and when one edge is killed its users leave once after the grace —
    except those still connected through the other edge."""
    import os
    import signal
    import subprocess
    import time

    from herald_harness import BIN_DIR, NativeClient, free_port

    herald = Herald(tmp_path, edge_config="presence_grace_ms: 1000").start()
    port = free_port()
    second = subprocess.Popen(
        [os.path.join(BIN_DIR, "herald-ws-edge"), "--config", herald.config, "--runtime-dir", herald.runtime,
         "--listen", f"websocket=127.0.0.1:{port}", "--listen", f"admin={tmp_path}/edge-2-admin.sock",
         "--instance", "ws-edge-2", "--no-config-warnings"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        def on_second(user):
            url = f"ws://127.0.0.1:{port}/ws?token={token(herald, user)}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    return NativeClient(url)
                except (ConnectionRefusedError, OSError):
                    assert time.monotonic() < deadline, "the second edge never accepted a connection"
                    time.sleep(0.1)

        channel = "presence-thread.5"
        observer = herald.client(token(herald, 9))
        ada_first = herald.client(token(herald, 1))
        ada_second, bob = on_second(1), on_second(2)
        for client in (observer, ada_first, ada_second, bob):
            assert client.command("subscribe", channel=channel)["ok"] is True
        assert observer.wait_for_presence(lambda frames: joins(frames, "1") and joins(frames, "2"))
        listed = bob.command("presence", channel=channel)["data"]
        assert sorted(m["id"] for m in listed["members"]) == ["1", "2", "9"]

        # The second edge dies: Bob leaves after the grace, Ada stays (her first edge still holds her).
        os.kill(second.pid, signal.SIGKILL)
        second.wait(10)
        assert observer.wait_for_presence(lambda frames: leaves(frames, "2"), timeout=30)
        ada_first.close()
        assert observer.wait_for_presence(lambda frames: leaves(frames, "1"), timeout=30)
        assert [(f["action"], f["user"]["id"]) for f in observer.presence] == [
            ("join", "1"), ("join", "2"), ("leave", "2"), ("leave", "1")]
        observer.close()
    finally:
        if second.poll() is None:
            second.kill()
        herald.stop()
