"""Limits the authorizer keeps, seen from a publisher: refusals travel back to ingress as 429, not 503."""

import pytest

from herald_harness import Herald


@pytest.fixture
def limited(tmp_path):
    instance = Herald(
        tmp_path, extra_config="limits: {channel_events_per_minute: 3}\n"
    ).start()
    yield instance
    instance.stop()


def test_publishing_past_the_channel_limit_gets_429_with_retry_after(limited):
    body = {"channel": "public.limits", "event": "forum.comment.created", "data": {"n": 1}}
    for _ in range(3):
        assert limited.broadcast(body).status_code == 202
    refused = limited.broadcast(body)
    assert refused.status_code == 429, refused.text
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    error = refused.json()["error"]
    assert error["code"] == "RATE_LIMIT_EXCEEDED"
    assert "limits.channel_events_per_minute" in error["message"]
    # Another channel still has room.
    assert limited.broadcast(dict(body, channel="public.other")).status_code == 202
