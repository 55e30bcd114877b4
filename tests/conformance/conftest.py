"""Fixtures for the third-party client conformance suite: the `provision emulator` binary
run as a subprocess, and boto3 / aws CLI clients pointed at it."""

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "111122223333"
REGION = "us-east-1"
SECRET = "test"
START_TIMEOUT = 20.0

# No retries: an error must reach the test as the emulator sent it, and throttling must not
# be hidden (total_max_attempts=1 is "the first attempt only"; max_attempts=1 would still retry once).
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})

# Keep the developer's own AWS configuration out of the clients under test.
for _var in [v for v in os.environ if v.startswith("AWS_")]:
    del os.environ[_var]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def binary() -> str:
    path = Path(os.environ.get("PROVISION_BIN", "target/debug/provision"))
    if not path.is_absolute():
        path = ROOT / path
    if not path.exists():
        pytest.exit(f"emulator binary {path} not found: run `cargo build --bins` or set PROVISION_BIN", 2)
    return str(path)


class Emulator:
    """One `provision emulator` process."""

    def __init__(self, *flags: str, log_dir: Path):
        self.flags = flags
        self.log_path = log_dir / f"emulator-{time.monotonic_ns()}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [binary(), "emulator", "--listen", "127.0.0.1:0", *flags],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self.url = self._read_url()

    def _read_url(self) -> str:
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        line = b""
        try:
            while not line.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    self.stop()
                    raise RuntimeError(f"emulator printed no URL within {START_TIMEOUT}s: {self.log()}")
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    self.stop()
                    raise RuntimeError(f"emulator exited before printing its URL: {self.log()}")
                line += chunk
        finally:
            sel.close()
        url = line.decode().strip()
        assert url.startswith("http://127.0.0.1:"), url
        return url

    def log(self) -> str:
        if not self._log.closed:  # closed once the process was stopped
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def admin(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def client(self, service: str, key: str = ACCOUNT, secret: str = SECRET, token=None, config=NO_RETRIES):
        return boto3.session.Session().client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=config,
        )

    def kill(self) -> None:
        """SIGKILL: no chance to flush or shut down cleanly."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self._close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._close()

    def _close(self) -> None:
        if self.proc.stdout and not self.proc.stdout.closed:
            self.proc.stdout.close()
        if not self._log.closed:
            self._log.close()


@pytest.fixture(scope="session")
def _log_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("emulator-logs")


@pytest.fixture
def start_emulator(_log_dir):
    """Factory: start an emulator with extra flags; every one started is stopped at teardown."""
    started = []

    def start(*flags: str) -> Emulator:
        emu = Emulator(*flags, log_dir=_log_dir)
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture(scope="session")
def emulator(_log_dir):
    """A shared emulator with AWS's default quotas; tests use distinct names or accounts."""
    emu = Emulator("--seed", "1", log_dir=_log_dir)
    yield emu
    emu.stop()
    assert emu.proc.returncode == 0, f"emulator exited {emu.proc.returncode} on SIGTERM: {emu.log()}"


def _aws_executable() -> str:
    here = Path(sys.executable).parent / "aws"
    if here.exists():
        return str(here)
    found = shutil.which("aws")
    if not found:
        pytest.exit("the aws CLI is not installed (pip install -r tests/conformance/requirements.txt)", 2)
    return found


class AwsCli:
    """The aws CLI (v1) run as a subprocess against an emulator."""

    def __init__(self, url: str):
        self.url = url
        self.exe = _aws_executable()

    def run(self, *args: str, key: str = ACCOUNT, secret: str = SECRET, token=None, check=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_ACCESS_KEY_ID=key,
            AWS_SECRET_ACCESS_KEY=secret,
            AWS_DEFAULT_REGION=REGION,
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
            AWS_MAX_ATTEMPTS="1",
            AWS_PAGER="",
        )
        if token:
            env["AWS_SESSION_TOKEN"] = token
        proc = subprocess.run(
            [self.exe, "--endpoint-url", self.url, "--output", "json", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check:
            assert proc.returncode == 0, f"aws {' '.join(args)} exited {proc.returncode}: {proc.stderr}"
        return proc

    def json(self, *args: str, **kw):
        out = self.run(*args, **kw).stdout
        return json.loads(out) if out.strip() else {}

    def many(self, *calls):
        """Run independent CLI calls concurrently (each CLI start costs ~0.5 s of CPU).
        Each call is `(args, kwargs)`; returns the CompletedProcess of each, in order."""
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(self.run, *args, **kw) for args, kw in calls]
            return [f.result() for f in futures]


@pytest.fixture(scope="session")
def aws(emulator) -> AwsCli:
    return AwsCli(emulator.url)
