"""A server process for benchmarks and tests: started on a free port of 127.0.0.1, healthy once
GET /health/ answers 200, stopped on leaving the ``with`` block whatever happened, its log kept."""

import http.client
import socket
import subprocess
import tempfile
import time

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class ServedProcess:
    """Subclasses say how to start (``_popen``) and may say how to stop (``_terminate``)."""

    name = "the server"
    start_timeout_s = 60.0
    stop_timeout_s = 30.0

    def __init__(self):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(mode="w+", prefix="newsroom-server-", suffix=".log")
        self.final_log = ""  # the log's tail, kept when the process stops
        self.process: subprocess.Popen | None = None

    def _popen(self) -> subprocess.Popen:
        raise NotImplementedError

    def _on_healthy(self) -> None:
        """Called once the server answers; e.g. to read what it logged at start."""

    def __enter__(self):
        self.process = self._popen()
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if self._healthy():
                self._on_healthy()
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} was not healthy after {self.start_timeout_s:g} s:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
        try:
            connection.request("GET", "/health/")
            return connection.getresponse().status == 200
        except OSError:
            return False  # not listening yet
        finally:
            connection.close()

    def _terminate(self) -> None:
        """SIGTERM (a server finishes its requests), SIGKILL if it takes longer than stop_timeout_s."""
        self.process.terminate()
        try:
            self.process.wait(timeout=self.stop_timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self._terminate()
        if not self.log.closed:
            self.final_log = self.log_tail()
            self.log.close()

    def log_tail(self, size: int = 3000) -> str:
        self.log.flush()
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-size:]
