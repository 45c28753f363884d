"""Gunicorn on a free loopback port, identical settings for every app, always stopped.

Each server runs in its own process group so stopping it takes its workers along, and
nothing else on the machine is touched.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_args(workers, worker_class):
    """The settings both apps share; only the app spec and the port differ."""
    return ["-w", str(workers), "-k", worker_class, "--log-level", "warning", "--graceful-timeout", "5"]


class Server:
    """One gunicorn master (`self.pid`) and its workers, serving `spec` on 127.0.0.1:`port`."""

    def __init__(self, name, spec, env, workers, worker_class):
        self.name, self.spec, self.env = name, spec, env
        self.settings = gunicorn_args(workers, worker_class)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = tempfile.TemporaryFile(mode="w+")

    @property
    def pid(self):
        return self.process.pid

    @property
    def command(self):
        return [sys.executable, "-m", "gunicorn", *self.settings, "-b", f"127.0.0.1:{self.port}", self.spec]

    def start(self, ready_path, timeout=30):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited with {self.process.returncode}\n{self.output()}")
            if self._answers(ready_path) and len(self.worker_pids()) >= int(self.settings[1]):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}: no answer on {self.url}{ready_path} after {timeout}s\n{self.output()}")

    def _answers(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def output(self):
        self.log.seek(0)
        return self.log.read()[-4000:]

    def worker_pids(self):
        return child_pids(self.pid)

    def worker_memory(self):
        """{pid: (VmRSS, VmHWM)} in bytes for every worker: resident now, and its peak."""
        return {pid: (proc_status_bytes(pid, "VmRSS"), proc_status_bytes(pid, "VmHWM"))
                for pid in self.worker_pids()}

    def cpu_seconds(self):
        """CPU time (user + system) the workers have used so far."""
        return sum(proc_cpu_seconds(pid) for pid in self.worker_pids())

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # Our own process group only: the master we started and the workers it forked.
        try:
            os.killpg(self.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        finally:
            self.log.close()


def child_pids(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if path.exists():
        return [int(p) for p in path.read_text().split()]
    children = []  # kernels without CONFIG_PROC_CHILDREN: scan every process's parent
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def proc_status_bytes(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024  # the kernel reports kB
    except OSError:
        pass
    return None


def proc_cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
