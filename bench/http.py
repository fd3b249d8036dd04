"""gunicorn servers and wrk runs against 127.0.0.1, each bounded in time."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WRK = shutil.which("wrk")


class Server:
    """A gunicorn master serving `app` on 127.0.0.1:port with one worker per core, configured
    as `make serve` is (careerportal/gunicorn.py: workers forked from a preloaded master)."""

    def __init__(self, app: str, port: int, env: dict, workers: int | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "-c",  # the settings `make serve` deploys with, for the app and the ceiling alike
                "python:careerportal.gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers or os.cpu_count() or 1),
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, path: str = "/healthz", timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + path, timeout=2).read()
                return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn on port {self.port} exited") from None
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn on port {self.port} did not answer {path}")

    def worker_memory_kib(self) -> list[dict[str, int]]:
        """Each worker's (the master's children's) memory in KiB: resident (Rss), its share of
        pages it shares with the master and the other workers (Pss), and its own (Private)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        workers = []
        for pid in children.read_text().split():
            fields = {}
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
                name, value = line.split(":", 1)
                fields[name] = int(value.split()[0])
            workers.append(
                {
                    "rss": fields["Rss"],
                    "pss": fields["Pss"],
                    "private": fields["Private_Clean"] + fields["Private_Dirty"],
                }
            )
        return workers

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    threads: int = 2,
    script: str | None = None,
    timeout_s: int = 10,
) -> dict:
    """One wrk run; requests per second, latency percentiles and every error it counted."""
    if WRK is None:
        raise RuntimeError("wrk is not installed")
    args = [
        WRK,
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout_s}s",
        "--latency",
    ]
    if script:
        args += ["-s", script]
    out = subprocess.run(
        [*args, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
        "raw": out,
    }
    for pct in ("50", "75", "90", "99"):
        found = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        result[f"p{pct}_ms"] = _ms(found.group(1)) if found else float("nan")
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if found:
        result["non_2xx_3xx"] = int(found.group(1))
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if found:
        result["socket_errors"] = sum(int(n) for n in found.groups())
    return result
