import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from herald_harness import Herald  # noqa: E402


@pytest.fixture
def herald(tmp_path):
    instance = Herald(tmp_path).start()
    yield instance
    instance.stop()
