"""wrk against one URL: a warm-up, then a timed run whose output is parsed into numbers."""
import re
import shutil
import subprocess

INSTALL_HINT = "wrk is not installed. On Debian/Ubuntu: sudo apt-get install wrk (then run `make bench` again)."
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk_path():
    return shutil.which("wrk")


def run_wrk(url, duration, threads, connections, timeout_s=5):
    command = [wrk_path(), "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", f"{timeout_s}s", "--latency", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    result = parse_wrk(done.stdout)
    result["url"] = url
    return result


def measure(url, duration, warmup, threads, connections, cpu_seconds=None):
    """Warm the workers (imports, templates, caches, connections), then measure.

    `cpu_seconds()` (the server workers' CPU time) also gives CPU milliseconds per request:
    unlike requests/s it hardly moves when something else on the machine wants the cores.
    """
    if warmup > 0:
        run_wrk(url, warmup, threads, connections)
    cpu_before = cpu_seconds() if cpu_seconds else None
    result = run_wrk(url, duration, threads, connections)
    if cpu_before is not None and result["requests"]:
        result["cpu_ms_per_request"] = round((cpu_seconds() - cpu_before) * 1000 / result["requests"], 3)
    return result


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 3)


def parse_wrk(output):
    """Requests/sec, latency (mean and percentiles, ms), request count and every kind of error."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise RuntimeError(f"could not read wrk output:\n{output}")
    result = {"rps": float(rps.group(1)), "latency_ms": {}, "requests": 0, "errors": {}}
    mean = re.search(r"Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)", output)
    if mean:
        result["latency_ms"].update(mean=_ms(mean.group(1)), stdev=_ms(mean.group(2)), max=_ms(mean.group(3)))
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)\s*$", output, re.M):
        result["latency_ms"][f"p{pct}"] = _ms(value)
    total = re.search(r"(\d+) requests in", output)
    result["requests"] = int(total.group(1)) if total else 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non2xx:
        result["errors"]["non_2xx_3xx"] = int(non2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        counts = dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups())))
        result["errors"].update({k: v for k, v in counts.items() if v})
    return result
