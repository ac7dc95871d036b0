"""Pusher's HTTP API on herald-ingress, driven by the official `pusher` server library from PyPI, with events
checked on a native WebSocket subscriber through all four real daemons."""
import json

import pusher
import pytest
import requests
from pusher.errors import PusherBadAuth
from pusher.http import POST, Request

from herald_harness import Herald

# The `pusher` library refuses app ids that are not all digits (its own check, before any request), so this
# test configures an app with a numeric id next to the development `lottery` app.
APP_ID, KEY, SECRET = "1001", "pusher-test-key", "pusher-test-secret"
APPS = (
    "apps:\n"
    '  - {id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: ["realtime:publish"]}\n'
    f'  - {{id: "{APP_ID}", key: "{KEY}", secret: "{SECRET}"}}\n'
)


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    instance = Herald(tmp_path_factory.mktemp("pusher"), extra_config=APPS).start()
    yield instance
    instance.stop()


def client_for(herald, secret=SECRET, app_id=APP_ID):
    return pusher.Pusher(app_id=app_id, key=KEY, secret=secret, host="127.0.0.1", port=herald.http_port, ssl=False)


def subscriber(herald, user, *channels):
    client = herald.client(herald.token(user))
    for channel in channels:
        ack = client.command("subscribe", channel=channel)
        assert ack["ok"] is True, ack
    return client


def received(client, name, channel, timeout=30):
    assert client.wait_for(lambda events: any(e["event"] == name and e["channel"] == channel for e in events), timeout), (
        f"{name} on {channel} never arrived; got {[(e['event'], e['channel']) for e in client.events]}"
    )
    return next(e for e in client.events if e["event"] == name and e["channel"] == channel)


def test_trigger_reaches_a_native_subscriber_with_json_data(herald):
    client = subscriber(herald, 41, "public.orders")
    answer = client_for(herald).trigger("public.orders", "App\\Events\\OrderShipped", {"order": {"id": 9, "total": 12.5}})
    assert answer == {}
    event = received(client, "App\\Events\\OrderShipped", "public.orders")
    assert event["data"] == {"order": {"id": 9, "total": 12.5}}
    assert event["id"].startswith("evt_") and event["offset"] >= 1
    client.close()


def test_trigger_on_several_channels_with_string_data(herald):
    client = subscriber(herald, 42, "public.news", "products")
    assert client_for(herald).trigger(["public.news", "products"], "my-event", "just text") == {}
    for channel in ("public.news", "products"):
        assert received(client, "my-event", channel)["data"] == "just text"
    client.close()


def test_trigger_with_socket_id_leaves_that_connection_out(herald):
    me = subscriber(herald, 43, "public.chat")
    other = subscriber(herald, 44, "public.chat")
    api = client_for(herald)
    # The library takes only Pusher-form ids (1234.5678); none of these connections has that id.
    assert api.trigger("public.chat", "client-typing", {"n": 0}, socket_id="1234.5678") == {}
    # Native connection ids are not of Pusher's form, which the library refuses before sending, so this request
    # is signed by the library and sent as it would send it.
    signed = Request(
        api._pusher_client, POST, f"/apps/{APP_ID}/events",
        {"name": "client-message", "channel": "public.chat", "data": json.dumps({"text": "hi"}),
         "socket_id": me.welcome["connection_id"]},
    )
    answer = requests.post(signed.url, data=signed.body, headers=signed.headers, timeout=10)
    assert answer.status_code == 200 and answer.json() == {}
    assert api.trigger("public.chat", "after-message", {"n": 2}) == {}
    assert received(other, "client-message", "public.chat")["data"] == {"text": "hi"}
    # Events on one channel arrive in order: once the later one is in, the excluded one is never coming.
    received(me, "after-message", "public.chat")
    assert any(e["event"] == "client-typing" for e in me.events)
    assert not any(e["event"] == "client-message" for e in me.events)
    me.close()
    other.close()


def test_trigger_batch(herald):
    client = subscriber(herald, 45, "public.batch", "thread.77")
    answer = client_for(herald).trigger_batch(
        [
            {"channel": "public.batch", "name": "order:created", "data": {"id": 1}},
            {"channel": "thread.77", "name": "forum.comment.created", "data": json.dumps([1, 2, 3])},
        ]
    )
    assert answer == {}
    assert received(client, "order:created", "public.batch")["data"] == {"id": 1}
    assert received(client, "forum.comment.created", "thread.77")["data"] == [1, 2, 3]
    client.close()


def test_wrong_secret_and_unknown_app_are_refused(herald):
    with pytest.raises(PusherBadAuth) as refused:
        client_for(herald, secret="not-the-secret").trigger("public.orders", "my-event", {})
    assert json.loads(str(refused.value))["error"]["code"] == "AUTHENTICATION_FAILED"
    with pytest.raises(PusherBadAuth):
        client_for(herald, app_id="9999").trigger("public.orders", "my-event", {})


def test_tampered_body_is_refused(herald):
    api = client_for(herald)
    signed = Request(api._pusher_client, POST, f"/apps/{APP_ID}/events", {"name": "my-event", "channels": ["public.orders"], "data": "{}"})
    tampered = signed.body.replace(b"public.orders", b"public.secret")
    answer = requests.post(signed.url, data=tampered, headers=signed.headers, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "AUTHENTICATION_FAILED"
    assert "body_md5" in answer.json()["error"]["message"]
    genuine = requests.post(signed.url, data=signed.body, headers=signed.headers, timeout=10)
    assert genuine.status_code == 200 and genuine.json() == {}


def test_bad_bodies(herald):
    api = client_for(herald)

    def send(body, path=f"/apps/{APP_ID}/events"):
        signed = Request(api._pusher_client, POST, path, body)
        return requests.post(signed.url, data=signed.body, headers=signed.headers, timeout=10)

    too_many = send({"name": "my-event", "channels": [f"public.c{i}" for i in range(101)], "data": "{}"})
    assert too_many.status_code == 400 and too_many.json()["error"]["code"] == "INVALID_PAYLOAD"
    not_a_string = send({"name": "my-event", "channel": "public.orders", "data": {"id": 1}})
    assert not_a_string.status_code == 400 and not_a_string.json()["error"]["message"].startswith("data: must be a string")
    batch = [{"channel": "public.orders", "name": "my-event", "data": "{}"}] * 11
    too_long = send({"batch": batch}, path=f"/apps/{APP_ID}/batch_events")
    assert too_long.status_code == 400 and "at most 10" in too_long.json()["error"]["message"]
