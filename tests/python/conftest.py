"""Shared set-up for the Python tests of Tandem's bindings.

The tests import the generated module from build/bindings/python (`scripts/bindings python`
puts it there, with the library beside it) and use real store files in pytest's tmp_path.
The sync tests start a real `tandem-server` from the cargo target directory.
"""

import datetime
import os
import subprocess
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[2]
BINDINGS = REPO / "build" / "bindings" / "python"
sys.path.insert(0, str(BINDINGS))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # export_csv

if not (BINDINGS / "tandem_ffi.py").exists():
    raise RuntimeError(f"{BINDINGS}/tandem_ffi.py is missing: run scripts/bindings python first")

import tandem_ffi as tandem  # noqa: E402


# The tests' stores schedule in London time; "today" is London's.
TIME_ZONE = "Europe/London"


def days_ago(n: int) -> str:
    """The date n days before today in London, as Tandem takes dates (YYYY-MM-DD)."""
    london_today = datetime.datetime.now(ZoneInfo(TIME_ZONE)).date()
    return (london_today - datetime.timedelta(days=n)).isoformat()


def today() -> str:
    return days_ago(0)


@pytest.fixture
def open_store(tmp_path):
    """Opens (or reopens) a store file by name under tmp_path, in London time."""

    def open_(name: str = "me", time_zone: str = TIME_ZONE) -> tandem.TandemStore:
        return tandem.TandemStore(str(tmp_path / f"{name}.db"), time_zone)

    return open_


@pytest.fixture
def store(open_store) -> tandem.TandemStore:
    return open_store()


def cargo_target_dir() -> Path:
    configured = os.environ.get("CARGO_TARGET_DIR")
    return Path(configured) if configured else REPO / "target"


class Server:
    """A `tandem-server` process on 127.0.0.1 with its own data directory."""

    def __init__(self, data_dir: Path):
        self.binary = cargo_target_dir() / "debug" / "tandem-server"
        if not self.binary.exists():
            raise RuntimeError(f"{self.binary} is missing: build it with `cargo build -p tandem-server`")
        self.data_dir = data_dir
        self.process = subprocess.Popen(
            [str(self.binary), "--bind", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.url = None
        for line in self.process.stdout:
            if line.strip().startswith("listening on "):
                self.url = line.strip().removeprefix("listening on ").rstrip("/")
                break
        if self.url is None:
            self.stop()
            raise RuntimeError("tandem-server exited before listening")
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()

    def enrol_code(self, role: str) -> str:
        """A one-time code from the operator's `tandem-server enrol --role ROLE`."""
        out = subprocess.run(
            [str(self.binary), "enrol", "--role", role, "--data-dir", str(self.data_dir)],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.split()[-1]

    def stop(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def server(tmp_path, request) -> Server:
    running = Server(tmp_path / "server-data")
    request.addfinalizer(running.stop)
    return running


class Recorder:
    """An observer that remembers what it heard and lets a test wait for it."""

    def __init__(self):
        self.heard = []
        self._changed = threading.Condition()

    def record(self, item):
        with self._changed:
            self.heard.append(item)
            self._changed.notify_all()

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: predicate(list(self.heard)), timeout)


class ChangeRecorder(tandem.ChangeObserver, Recorder):
    def __init__(self):
        Recorder.__init__(self)

    def on_change(self, local: bool) -> None:
        self.record(local)


class StatusRecorder(tandem.SyncStatusObserver, Recorder):
    def __init__(self):
        Recorder.__init__(self)

    def on_status(self, status) -> None:
        self.record(status)
