"""Recovery that never fails silently: a native subscriber that reconnects with the last offset it received
gets exactly the events it missed, in order, then live ones; a position that cannot be recovered is refused
with its reason, and nothing is replayed."""
import collections

import pytest

from herald_harness import Herald

UNLIMITED = "limits: {channel_events_per_minute: 0, global_events_per_minute: 0}\n"


@pytest.fixture
def herald(tmp_path):
    instance = Herald(tmp_path, extra_config=UNLIMITED + "batcher: {history_events: 1000}\n")
    instance.start()
    yield instance
    instance.stop()


def publish(herald, session, n, channel="thread.1", priority="high"):
    answer = herald.broadcast(
        {"channel": channel, "event": "forum.comment.created", "data": {"n": n}, "priority": priority},
        session=session,
    )
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def test_a_quiet_channel_still_hands_out_a_resume_point(herald):
    client = herald.client(herald.token(1))
    try:
        ack = client.command("subscribe", channel="thread.77")
        assert ack["ok"] is True
        data = ack["data"]
        assert data["channel"] == "thread.77" and data["offset"] == 0 and data["epoch"]
        assert "recovered" not in data
    finally:
        client.close()


def test_a_reconnecting_subscriber_gets_exactly_the_500_events_it_missed_then_live_ones(herald):
    import requests

    session = requests.Session()
    first = herald.client(herald.token(1))
    start = first.command("subscribe", channel="thread.1")["data"]
    for n in range(3):
        publish(herald, session, n)
    assert first.wait_for(lambda events: len(events) == 3)
    last = first.events[-1]
    assert [e["offset"] for e in first.events] == [start["offset"] + 1, start["offset"] + 2, start["offset"] + 3]
    first.close()

    missed = [publish(herald, session, n) for n in range(3, 503)]

    second = herald.client(herald.token(1))
    try:
        ack = second.command("subscribe", channel="thread.1", recover={"epoch": last["epoch"], "offset": last["offset"]})
        assert ack["ok"] is True, ack
        assert ack["data"]["recovered"] is True and ack["data"]["epoch"] == last["epoch"]
        assert second.wait_for(lambda events: len(events) >= 500, timeout=60)
        live = publish(herald, session, 503)
        assert second.wait_for(lambda events: any(e["id"] == live for e in events))
        ids = [e["id"] for e in second.events]
        assert ids == missed + [live], "exactly the missed events, in order, then the live one"
        offsets = [e["offset"] for e in second.events]
        assert offsets == list(range(last["offset"] + 1, last["offset"] + 502)), "gap-free offsets"
        assert [e["data"]["n"] for e in second.events] == list(range(3, 504))
    finally:
        second.close()


def test_a_stale_epoch_is_refused_and_nothing_is_replayed(herald):
    import requests

    session = requests.Session()
    publish(herald, session, 0)
    client = herald.client(herald.token(1))
    try:
        ack = client.command("subscribe", channel="thread.1", recover={"epoch": "gone0000", "offset": 1})
        assert ack["ok"] is True
        assert ack["data"]["recovered"] is False and ack["data"]["reason"] == "epoch_changed"
        live = publish(herald, session, 1)
        assert client.wait_for(lambda events: len(events) >= 1)
        assert [e["id"] for e in client.events] == [live], "only live events after a refused recovery"
    finally:
        client.close()


def test_a_position_beyond_the_channel_is_invalid(herald):
    client = herald.client(herald.token(1))
    try:
        epoch = client.command("subscribe", channel="thread.5")["data"]["epoch"]
        client.command("unsubscribe", channel="thread.5")
        ack = client.command("subscribe", channel="thread.5", recover={"epoch": epoch, "offset": 10_000})
        assert ack["data"]["recovered"] is False and ack["data"]["reason"] == "position_invalid"
    finally:
        client.close()


def test_a_position_that_left_the_history_is_expired(tmp_path):
    import time

    import requests

    herald = Herald(tmp_path, extra_config=UNLIMITED + "batcher: {history_seconds: 1}\n").start()
    try:
        session = requests.Session()
        first = herald.client(herald.token(1))
        first.command("subscribe", channel="thread.1")
        publish(herald, session, 0)
        assert first.wait_for(lambda events: len(events) == 1)
        last = first.events[-1]
        first.close()
        publish(herald, session, 1)
        time.sleep(1.5)  # the condition under test: event 1 ages out of a one-second history
        publish(herald, session, 2)
        second = herald.client(herald.token(1))
        ack = second.command("subscribe", channel="thread.1", recover={"epoch": last["epoch"], "offset": last["offset"]})
        assert ack["data"]["recovered"] is False and ack["data"]["reason"] == "position_expired"
        assert ack["data"]["offset"] == last["offset"] + 2, "the refusal still carries a resume point"
        second.close()
    finally:
        herald.stop()


def test_medium_events_arrive_as_one_batch_frame_after_their_window(herald):
    import requests

    session = requests.Session()
    client = herald.client(herald.token(1))
    try:
        client.command("subscribe", channel="thread.3")
        ids = [publish(herald, session, n, channel="thread.3", priority="medium") for n in range(4)]
        assert client.wait_for(lambda events: len(events) == 4, timeout=15)
        assert [e["id"] for e in client.events] == ids
        assert client.frame_types.count("batch") == 1 and "event" not in client.frame_types
        offsets = [e["offset"] for e in client.events]
        assert offsets == list(range(offsets[0], offsets[0] + 4))
    finally:
        client.close()


def test_a_graceful_stop_flushes_the_windows_to_connected_clients(tmp_path):
    import requests

    herald = Herald(tmp_path, extra_config=UNLIMITED).start()
    client = herald.client(herald.token(1))
    try:
        client.command("subscribe", channel="thread.6")
        held = publish(herald, requests.Session(), 0, channel="thread.6", priority="low")
        assert client.frame_types.count("batch") + client.frame_types.count("event") == 0, "held for 10 s"
    finally:
        status, survivors = herald.stop()
    assert status == 0 and not survivors
    assert client.wait_for(lambda events: [e["id"] for e in events] == [held], timeout=5), (
        "the low window was flushed before the edges closed"
    )
    client.close()
