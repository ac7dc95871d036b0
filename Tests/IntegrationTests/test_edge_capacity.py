"""A full edge refuses each protocol's clients in that protocol's own words."""
import json

import pytest
import requests
import socketio
import websocket

from herald_harness import Herald


@pytest.fixture
def full_edge(tmp_path):
    instance = Herald(tmp_path, extra_config="limits: {connections_per_edge: 1}\n").start()
    yield instance
    instance.stop()


def test_a_full_edge_refuses_every_protocol_its_own_way(full_edge):
    herald = full_edge
    holder = herald.client(herald.token(1))
    try:
        # Native: the upgrade is refused with 429 and a JSON body.
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/ws?token={herald.token(2)}", timeout=15)
        assert refused.value.status_code == 429
        # Socket.IO: a connect_error whose message starts with CONNECTION_LIMIT.
        errors = []
        client = socketio.Client(reconnection=False)
        client.on("connect_error", lambda data: errors.append(data))
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(
                f"http://127.0.0.1:{herald.ws_port}", auth={"token": herald.token(3)}, transports=["websocket"],
                wait_timeout=15)
        assert errors and errors[0]["message"].startswith("CONNECTION_LIMIT")
        # Pusher: pusher:error 4004 (over connection quota), then the close with that code.
        ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/app/lottery-key?protocol=7", timeout=15)
        error = json.loads(ws.recv())
        assert error["event"] == "pusher:error" and error["data"]["code"] == 4004
        opcode, data = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(data[:2], "big") == 4004
        # The connection that holds the place is still served.
        holder.command("subscribe", channel="products")
        answer = herald.broadcast({"channel": "products", "event": "product:updated", "data": {"n": 1}})
        assert answer.status_code == 202
        assert holder.wait_for(lambda events: any(e.get("event") == "product:updated" for e in events))
    finally:
        holder.close()
    assert requests.get(herald.base + "/health", timeout=15).status_code == 200
