"""The connection limits and the origin check, each refused in its protocol's own way."""
import json
import time

import pytest
import requests
import socketio
import websocket

from herald_harness import Herald


def ws_url(herald, path):
    return f"ws://127.0.0.1:{herald.ws_port}{path}"


def socketio_client(herald, token, errors):
    client = socketio.Client(reconnection=False)
    client.on("connect_error", lambda data: errors.append(data))
    client.connect(
        f"http://127.0.0.1:{herald.ws_port}", auth={"token": token}, transports=["websocket"], wait_timeout=15)
    return client


def refused_socketio(herald, token):
    errors = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", lambda data: errors.append(data))
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            f"http://127.0.0.1:{herald.ws_port}", auth={"token": token}, transports=["websocket"], wait_timeout=15)
    return errors


@pytest.fixture
def two_per_user(tmp_path):
    instance = Herald(tmp_path, extra_config="limits: {connections_per_user: 2}\n").start()
    yield instance
    instance.stop()


def test_a_third_native_connection_of_a_user_is_refused_until_one_closes(two_per_user):
    herald = two_per_user
    token = herald.token(7)
    first, second = herald.client(token), herald.client(token)
    try:
        # Token in the URL: the upgrade itself is refused, 429 CONNECTION_LIMIT with Retry-After.
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url(herald, f"/ws?token={token}"), timeout=15)
        assert refused.value.status_code == 429
        assert refused.value.resp_headers.get("retry-after")
        assert json.loads(refused.value.resp_body)["error"]["code"] == "CONNECTION_LIMIT"
        # Token in the first message: an error frame, then the close.
        ws = websocket.create_connection(ws_url(herald, "/ws"), timeout=15)
        ws.send(json.dumps({"type": "auth", "token": token}))
        error = json.loads(ws.recv())
        assert error["type"] == "error" and error["error"]["code"] == "CONNECTION_LIMIT"
        opcode, _ = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        ws.close()
        # Another user is not affected.
        other = herald.client(herald.token(8))
        other.close()
        # Closing one lets the next in.
        first.close()
        third = _retry(lambda: _try_native(herald, token))
        third.close()
    finally:
        second.close()


def test_a_third_socketio_connection_of_a_user_gets_connect_error(two_per_user):
    herald = two_per_user
    token = herald.token(9)
    errors = []
    first, second = socketio_client(herald, token, errors), socketio_client(herald, token, errors)
    try:
        refusal = refused_socketio(herald, token)
        assert refusal and refusal[0]["message"].startswith("CONNECTION_LIMIT"), refusal
        other = socketio_client(herald, herald.token(10), errors)
        other.disconnect()
        first.disconnect()
        third = _retry(lambda: socketio_client(herald, token, []))
        third.disconnect()
    finally:
        second.disconnect()


def _try_native(herald, token):
    ws = websocket.create_connection(ws_url(herald, f"/ws?token={token}"), timeout=15)
    assert json.loads(ws.recv())["type"] == "connected"
    return ws


def _retry(attempt, tries=50):
    """The edge tells the authorizer about a close asynchronously: the next connection may need a moment."""
    for _ in range(tries - 1):
        try:
            return attempt()
        except Exception:
            time.sleep(0.1)
    return attempt()


def test_connection_attempts_per_ip_are_limited_with_retry_after(tmp_path):
    herald = Herald(tmp_path, extra_config="limits: {connection_attempts_per_ip_per_minute: 3}\n").start()
    try:
        token = herald.token(11)
        for _ in range(3):
            _try_native(herald, token).close()
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url(herald, f"/ws?token={token}"), timeout=15)
        assert refused.value.status_code == 429
        assert int(refused.value.resp_headers["retry-after"]) >= 1
        assert json.loads(refused.value.resp_body)["error"]["code"] == "RATE_LIMIT_EXCEEDED"
        # A Socket.IO polling handshake is an attempt too.
        answer = requests.get(
            f"http://127.0.0.1:{herald.ws_port}/socket.io/?EIO=4&transport=polling", timeout=15)
        assert answer.status_code == 429 and int(answer.headers["Retry-After"]) >= 1
    finally:
        herald.stop()


def test_an_origin_outside_allowed_origins_is_refused(tmp_path):
    herald = Herald(tmp_path)
    with open(herald.config) as f:
        config = f.read().replace('allowed_origins: ["*"]', 'allowed_origins: ["https://app.example"]')
    with open(herald.config, "w") as f:
        f.write(config)
    herald.start()
    try:
        token = herald.token(12)
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(
                ws_url(herald, f"/ws?token={token}"), origin="https://evil.example", timeout=15)
        assert refused.value.status_code == 403
        answer = requests.get(
            f"http://127.0.0.1:{herald.ws_port}/socket.io/?EIO=4&transport=polling",
            headers={"Origin": "https://evil.example"}, timeout=15)
        assert answer.status_code == 403
        # The allowed origin still gets in.
        ws = websocket.create_connection(
            ws_url(herald, f"/ws?token={token}"), origin="https://app.example", timeout=15)
        assert json.loads(ws.recv())["type"] == "connected"
        ws.close()
    finally:
        herald.stop()


def test_a_restarted_authorizer_hears_the_open_connections_again(two_per_user):
    herald = two_per_user
    token = herald.token(13)
    first, second = herald.client(token), herald.client(token)
    try:
        pid, mark = herald.kill9("authorizer")
        herald.wait_for_line(r"an edge restated its connections", timeout=60, after=mark)
        # The new authorizer counts the two open connections: a third is still refused.
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url(herald, f"/ws?token={token}"), timeout=15)
        assert refused.value.status_code == 429
        first.close()
        _retry(lambda: _try_native(herald, token)).close()
    finally:
        second.close()
