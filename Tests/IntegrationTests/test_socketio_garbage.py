"""Garbage on /socket.io/ closes that connection with a reason and leaves every daemon up."""
import requests
import websocket


def engine_socket(herald, query="EIO=4&transport=websocket"):
    ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/socket.io/?{query}", timeout=15)
    opened = ws.recv()
    assert opened.startswith('0{"sid":'), opened
    return ws


def closed_with(ws):
    """Reads until the edge closes; returns the close code."""
    try:
        while True:
            opcode, data = ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return int.from_bytes(data[:2], "big") if len(data) >= 2 else None
    except websocket.WebSocketConnectionClosedException:
        return None
    except ConnectionResetError:
        # The edge closed while the client was still sending (an oversize frame it never read).
        return "reset"


def test_bad_packets_close_the_connection_and_every_daemon_survives(herald):
    pids = {stage: row["pid"] for stage, row in herald.status().items()}
    token = herald.token(42)
    for garbage in ["999", "4", "42", '42["ev"', "42[]", "42[1]", '40/admin,"a string"', "4" + "9" * 30, "x"]:
        ws = engine_socket(herald)
        ws.send('40{"token":"%s"}' % token)
        assert ws.recv().startswith('40{"sid":')
        ws.send(garbage)
        assert closed_with(ws) == 1002, garbage
    # A binary packet is answered with an error event, then the close.
    ws = engine_socket(herald)
    ws.send_binary(b"\x04hello")
    assert "binary packets are not supported" in ws.recv()
    assert closed_with(ws) == 1002
    # Over limits.max_message_bytes: 1009, refused from the frame header (the rest is never read, so the
    # close may reach the client as a reset).
    ws = engine_socket(herald)
    try:
        ws.send("4" + "x" * (1024 * 1024 + 10))
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert closed_with(ws) in (1009, "reset")
    # Wrong Engine.IO version, unknown session, garbage polling bodies.
    base = f"http://127.0.0.1:{herald.ws_port}/socket.io/"
    assert requests.get(base, params={"EIO": "3", "transport": "polling"}, timeout=15).status_code == 400
    assert requests.get(base, params={"EIO": "4", "transport": "polling", "sid": "1.2"}, timeout=15).status_code == 400
    opened = requests.get(base, params={"EIO": "4", "transport": "polling"}, timeout=15)
    sid = opened.text.split('"sid":"')[1].split('"')[0]
    answer = requests.post(
        base, params={"EIO": "4", "transport": "polling", "sid": sid}, data=b"\x1e\x1e\x1e", timeout=15)
    assert answer.status_code == 400
    # The session was ended for it: its id is unknown now.
    gone = requests.get(base, params={"EIO": "4", "transport": "polling", "sid": sid}, timeout=15)
    assert gone.status_code == 400 and "Session ID unknown" in gone.text
    assert {stage: row["pid"] for stage, row in herald.status().items()} == pids
    assert requests.get(herald.base + "/health", timeout=15).status_code == 200
