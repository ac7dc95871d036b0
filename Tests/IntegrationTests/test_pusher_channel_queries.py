"""Pusher's channel-state endpoints and terminate_connections on herald-ingress, driven by the official `pusher`
server library from PyPI and answered from the edges' state through all four real daemons: native WebSocket
clients subscribe, the library asks what is occupied and closes one user's connections."""
import json
import time

import pusher
import pytest
import requests
import websocket
from pusher.errors import PusherBadAuth, PusherBadRequest
from pusher.http import GET, POST, Request

from herald_harness import Herald

APP_ID, KEY, SECRET = "1001", "pusher-test-key", "pusher-test-secret"
APPS = f'apps:\n  - {{id: "{APP_ID}", key: "{KEY}", secret: "{SECRET}"}}\n'


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    instance = Herald(tmp_path_factory.mktemp("pusher-queries"), extra_config=APPS).start()
    yield instance
    instance.stop()


def api(herald, secret=SECRET):
    return pusher.Pusher(app_id=APP_ID, key=KEY, secret=secret, host="127.0.0.1", port=herald.http_port, ssl=False)


def subscriber(herald, user, *channels):
    client = herald.client(herald.token(user))
    for channel in channels:
        assert client.command("subscribe", channel=channel)["ok"] is True
    return client


def raw_subscriber(herald, user, channel):
    """A connection read by the test itself, so it can see the close frame and its code."""
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/ws?token={herald.token(user)}", timeout=15)
    assert json.loads(ws.recv())["type"] == "connected"
    ws.send(json.dumps({"type": "subscribe", "id": 1, "channel": channel}))
    assert json.loads(ws.recv())["ok"] is True
    return ws


def close_code(ws):
    """The code of the close frame the edge sends next, skipping pings and events."""
    while True:
        opcode, frame = ws.recv_data_frame(True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(frame.data[:2], "big")


def test_channels_lists_occupied_channels_with_their_subscription_counts(herald):
    first = subscriber(herald, 61, "public.lobby", "public.quiet")
    second = subscriber(herald, 62, "public.lobby")
    third = subscriber(herald, 63, "public.lobby")
    client = api(herald)

    channels = client.channels_info()["channels"]
    assert channels["public.lobby"] == {} and channels["public.quiet"] == {}
    # Every native connection also follows its personal channels.
    assert "user.61" in channels and "private-user.62" in channels
    assert client.channels_info(prefix_filter="public.") == {"channels": {"public.lobby": {}, "public.quiet": {}}}

    assert client.channel_info("public.lobby", ["subscription_count"]) == {"occupied": True, "subscription_count": 3}
    assert client.channel_info("public.quiet") == {"occupied": True}
    assert client.channel_info("public.empty", ["subscription_count"]) == {"occupied": False}

    for client_ in (first, second, third):
        client_.close()


def test_presence_only_attributes_are_refused_elsewhere(herald):
    client = api(herald)
    with pytest.raises(PusherBadRequest) as listed:
        client.channels_info(attributes=["user_count"])
    assert "filter_by_prefix=presence-" in json.loads(str(listed.value))["error"]["message"]
    with pytest.raises(PusherBadRequest):
        client.channel_info("public.lobby", ["user_count"])
    with pytest.raises(PusherBadRequest):
        client.users_info("public.lobby")
    assert client.channels_info(prefix_filter="presence-", attributes=["user_count"]) == {"channels": {}}
    assert client.users_info("presence-nobody") == {"users": []}
    with pytest.raises(PusherBadAuth):
        api(herald, secret="not-the-secret").channels_info()


def test_terminate_user_connections_closes_that_user_only(herald):
    doomed = raw_subscriber(herald, 71, "public.terminate")
    also_doomed = subscriber(herald, 71, "public.terminate")
    survivor = subscriber(herald, 72, "public.terminate")
    client = api(herald)
    assert client.channel_info("public.terminate", ["subscription_count"])["subscription_count"] == 3

    # pusher 3.3 posts to /users/{id}/terminate_connections, signed with the app's key and secret.
    assert client.terminate_user_connections("71") == {}
    assert close_code(doomed) == 4003
    with also_doomed._cond:
        assert also_doomed._cond.wait_for(lambda: also_doomed._closed, 15), "user 71's second connection stayed open"
    assert survivor.command("subscribe", channel="public.after")["ok"] is True

    # The path Pusher documents, with the app id, works the same.
    again = subscriber(herald, 71, "public.terminate")
    signed = Request(client._pusher_client, POST, f"/apps/{APP_ID}/users/71/terminate_connections", {})
    answer = requests.post(signed.url, data=signed.body, headers=signed.headers, timeout=10)
    assert answer.status_code == 200 and answer.json() == {}
    with again._cond:
        assert again._cond.wait_for(lambda: again._closed, 15)
    # The edge counts a closed connection out once it has left its channels, just after the close.
    deadline = time.monotonic() + 10
    while client.channel_info("public.terminate", ["subscription_count"])["subscription_count"] != 1:
        assert time.monotonic() < deadline, "user 71's subscriptions were never released"
        time.sleep(0.05)
    survivor.close()


def test_a_get_with_a_body_that_was_not_signed_is_refused(herald):
    signed = Request(api(herald)._pusher_client, GET, f"/apps/{APP_ID}/channels", {})
    answer = requests.get(signed.url, data=b"{}", headers=signed.headers, timeout=10)
    assert answer.status_code == 401


def test_a_trigger_asking_for_info_is_answered_with_the_channels_attributes(herald):
    first = subscriber(herald, 81, "public.info")
    second = subscriber(herald, 82, "public.info")
    client = api(herald)
    body = {"name": "info-event", "channels": ["public.info", "public.nobody"], "data": "{}",
            "info": "subscription_count"}
    signed = Request(client._pusher_client, POST, f"/apps/{APP_ID}/events", body)
    answer = requests.post(signed.url, data=signed.body, headers=signed.headers, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"channels": {"public.info": {"subscription_count": 2},
                                          "public.nobody": {"subscription_count": 0}}}
    # The events were published all the same.
    for client_ in (first, second):
        assert client_.wait_for(lambda events: any(e.get("event") == "info-event" for e in events))
    batch = client.trigger_batch([
        {"channel": "public.info", "name": "b1", "data": "{}", "info": "subscription_count"},
        {"channel": "public.info", "name": "b2", "data": "{}"},
    ])
    assert batch == {"batch": [{"subscription_count": 2}, {}]}
    first.close()
    second.close()
