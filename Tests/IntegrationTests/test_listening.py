"""The listening sockets keep the backlog they were bound with: NIO listens again on a socket it adopts with a
backlog of 128, which makes a burst of clients connecting at once wait a second for SYN retries; the daemons
restore the backlog `herald run` (or systemd) bound them with."""
import subprocess

import pytest

from herald_harness import Herald


@pytest.fixture
def herald(tmp_path):
    instance = Herald(tmp_path)
    instance.start()
    yield instance
    instance.stop()


def backlog(port):
    """The accept-queue size of the TCP socket listening on `port` (`ss` shows it as Send-Q)."""
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()]
    assert rows, f"nothing listens on {port}"
    return int(rows[0][2])


def test_edge_and_ingress_listen_with_the_full_backlog(herald):
    assert backlog(herald.ws_port) == 4096
    assert backlog(herald.http_port) == 4096
