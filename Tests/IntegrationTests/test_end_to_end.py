"""An event published over HTTP reaches a native WebSocket subscriber, through all four real daemons."""
import requests


def test_broadcast_reaches_a_subscriber(herald):
    client = herald.client(herald.token(42))
    assert client.welcome["type"] == "connected"
    assert client.welcome["user_id"] == "42"
    assert set(client.welcome["channels"]) == {"user.42", "private-user.42"}
    ack = client.command("subscribe", channel="thread.456")
    assert ack["ok"] is True

    answer = herald.broadcast(
        {"channel": "thread.456", "event": "forum.comment.created", "data": {"comment": {"id": 789, "content": "Great explanation! ✓"}}}
    )
    assert answer.status_code == 202, answer.text
    event_id = answer.json()["id"]
    assert event_id.startswith("evt_")

    assert client.wait_for(lambda events: any(e["id"] == event_id for e in events))
    event = next(e for e in client.events if e["id"] == event_id)
    assert event["event"] == "forum.comment.created"
    assert event["channel"] == "thread.456"
    assert event["data"] == {"comment": {"id": 789, "content": "Great explanation! ✓"}}
    assert event["offset"] >= 1 and event["epoch"]
    client.close()


def test_personal_channel_is_joined_automatically(herald):
    client = herald.client(herald.token(7))
    answer = herald.broadcast({"channel": "user.7", "event": "notification.sent", "data": {"n": 1}})
    assert answer.status_code == 202
    assert client.wait_for(lambda events: any(e["id"] == answer.json()["id"] for e in events))
    client.close()


def test_someone_elses_channel_is_refused(herald):
    client = herald.client(herald.token(7))
    ack = client.command("subscribe", channel="user.8")
    assert ack["ok"] is False
    assert ack["error"]["code"] == "PERMISSION_DENIED"
    client.close()


def test_bad_token_refuses_the_upgrade(herald):
    answer = requests.get(
        f"http://127.0.0.1:{herald.ws_port}/ws?token=not-a-token",
        headers={"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "AUTHENTICATION_FAILED"


def test_publish_errors_have_codes(herald):
    no_key = requests.post(herald.base + "/api/broadcast", json={"channel": "a", "event": "b"}, timeout=10)
    assert no_key.status_code == 401
    assert no_key.json() == {"ok": False, "error": {"code": "AUTHENTICATION_FAILED", "message": no_key.json()["error"]["message"]}}
    bad = herald.broadcast({"event": "x.y"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "INVALID_PAYLOAD"
    too_big = herald.broadcast({"channel": "a", "event": "b", "data": "x" * (1024 * 1024 + 10)})
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "MESSAGE_TOO_LARGE"
    unknown = requests.get(herald.base + "/nope", timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "NOT_FOUND"


def test_health_and_status_report_every_stage(herald):
    health = requests.get(herald.base + "/health", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "stages": {"ingress": "up", "authorizer": "up", "batcher": "up", "ws-edge": "up"}}
    status = herald.status()
    assert set(status) == {"ingress", "authorizer", "batcher", "ws-edge"}
    assert all(row["state"] == "running" and row["pid"] > 0 for row in status.values())


def test_sigterm_stops_every_stage_gracefully(tmp_path):
    from herald_harness import Herald

    herald = Herald(tmp_path).start()
    pids = [row["pid"] for row in herald.status().values()]
    assert len(pids) == 4
    status, survivors = herald.stop(timeout=20)
    assert status == 0
    assert survivors == [], f"stages still running after herald run stopped: {survivors}"
    for stage in ("ingress", "ws-edge", "authorizer", "batcher"):
        herald.wait_for_line(rf"herald-{stage} stopped$", timeout=1)
