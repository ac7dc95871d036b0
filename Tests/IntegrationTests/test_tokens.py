"""Tokens on live connections: revocation with `heraldctl revoke` (kept across an authorizer restart),
expiry (`token_expiring`, then `TOKEN_EXPIRED` and close 4001) and the native `refresh` command."""
import base64
import json
import threading
import time

import pytest
import websocket


def jti_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]


def mint(herald, sub, ttl="1h"):
    out = herald.ctl("token", "--sub", str(sub), "--role", "member", "--ttl", ttl, "--config", herald.config)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


class Watcher:
    """A native connection that records every frame and the close code it ends with."""

    def __init__(self, herald, token):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{herald.ws_port}/ws?token={token}", timeout=30)
        self.frames = []
        self.close_code = None
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                opcode, data = self.ws.recv_data(control_frame=True)
                with self._cond:
                    if opcode == websocket.ABNF.OPCODE_CLOSE:
                        self.close_code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
                        self._cond.notify_all()
                        return
                    if opcode == websocket.ABNF.OPCODE_TEXT:
                        self.frames.append(json.loads(data))
                        self._cond.notify_all()
        except Exception:
            with self._cond:
                self.close_code = self.close_code or -1
                self._cond.notify_all()

    def wait(self, predicate, timeout=20):
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    def has(self, type_):
        return any(frame.get("type") == type_ for frame in self.frames)

    def error_code(self):
        return next((f["error"]["code"] for f in self.frames if f.get("type") == "error"), None)

    def send(self, **command):
        self.ws.send(json.dumps(command))

    def ack(self, command_id):
        return next((f for f in self.frames if f.get("type") == "ack" and f.get("id") == command_id), None)


def test_revoke_closes_the_live_connection_and_survives_an_authorizer_restart(herald):
    revoked_token, kept_token = mint(herald, 7), mint(herald, 7)
    revoked, kept = Watcher(herald, revoked_token), Watcher(herald, kept_token)
    assert revoked.wait(lambda w: w.has("connected")) and kept.wait(lambda w: w.has("connected"))

    out = herald.ctl("revoke", jti_of(revoked_token), "--runtime-dir", herald.runtime)
    assert out.returncode == 0, out.stderr + out.stdout

    assert revoked.wait(lambda w: w.close_code is not None)
    assert revoked.close_code == 4001
    assert revoked.error_code() == "AUTHENTICATION_FAILED"
    kept.send(type="ping", id=1)
    assert kept.wait(lambda w: w.ack(1) is not None) and kept.close_code is None

    pid, mark = herald.kill9("authorizer")
    herald.wait_for_line(rf"herald-authorizer is ready \(pid (?!{pid}\))\d+\)", timeout=60, after=mark)
    # A token in the URL is checked at the upgrade, so the restarted authorizer's refusal is a 401 there.
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        Watcher(herald, revoked_token)
    assert refused.value.status_code == 401 and b"AUTHENTICATION_FAILED" in refused.value.resp_body
    fresh = Watcher(herald, kept_token)
    assert fresh.wait(lambda w: w.has("connected"))


def test_a_short_token_hears_token_expiring_then_token_expired(herald):
    watcher = Watcher(herald, mint(herald, 8, ttl="4s"))
    assert watcher.wait(lambda w: w.has("connected"))
    assert watcher.wait(lambda w: w.has("token_expiring"), timeout=10)
    notice = next(f for f in watcher.frames if f.get("type") == "token_expiring")
    assert isinstance(notice["expires_at"], int)
    assert watcher.wait(lambda w: w.close_code is not None, timeout=10)
    assert watcher.close_code == 4001 and watcher.error_code() == "TOKEN_EXPIRED"


def test_refresh_keeps_the_connection_alive(herald):
    watcher = Watcher(herald, mint(herald, 9, ttl="4s"))
    assert watcher.wait(lambda w: w.has("token_expiring"), timeout=10)
    watcher.send(type="refresh", id=1, token=mint(herald, 9))
    assert watcher.wait(lambda w: w.ack(1) is not None)
    assert watcher.ack(1)["ok"] is True and watcher.ack(1)["data"]["expires_at"] > time.time() + 3000
    watcher.send(type="refresh", id=2, token=mint(herald, 10))
    assert watcher.wait(lambda w: w.ack(2) is not None)
    assert watcher.ack(2)["ok"] is False
    time.sleep(5)
    watcher.send(type="ping", id=3)
    assert watcher.wait(lambda w: w.ack(3) is not None) and watcher.close_code is None
