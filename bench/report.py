"""Numbers → verdicts against the issue's targets, a console table and a Markdown snippet."""
import os

TARGET_RATIO = 0.75         # /book req/s ÷ hello req/s, at least (issue 15)
TARGET_RSS = 100 * 10**6    # bytes resident per worker, under (MB = 10^6 bytes: the stricter reading)
TARGET_WEIGHT = 35 * 10**3  # bytes gzipped, HTML + CSS + JS, at most (KB = 10^3 bytes, likewise)


def _mb(value):
    return f"{value / 10**6:.1f} MB" if value is not None else "?"


def _kb(value):
    return f"{value / 10**3:.1f} KB"


def _workers(memory):
    return [{"pid": pid, "rss": rss, "peak_rss": peak} for pid, (rss, peak) in sorted(memory.items())]


def summarise(page, day, bookings, probe, runs, memory, weight, checks, settings, stale=None):
    best = {name: max(results, key=lambda r: r["rps"]) for name, results in runs.items()}
    ratio = best["book"]["rps"] / best["hello"]["rps"] if best["hello"]["rps"] else 0.0
    app_workers = _workers(memory["app"])
    rss_max = max((w["rss"] or 0 for w in app_workers), default=0)
    cpu = {name: min((r["cpu_ms_per_request"] for r in results if "cpu_ms_per_request" in r), default=None)
           for name, results in runs.items()}
    cpu_ratio = cpu["hello"] / cpu["book"] if cpu["hello"] and cpu["book"] else None
    errors = {name: best[name]["errors"] for name in best if best[name]["errors"]}
    verdicts = {
        "ratio": ratio >= TARGET_RATIO,
        "rss": bool(app_workers) and rss_max < TARGET_RSS,
        "weight": weight["totals"]["gzip9"] <= TARGET_WEIGHT,
        "checks": all(result["ok"] for result in checks.values()),
        "clean_load": not errors and probe["status"] == 200 and not probe["notes"],
    }
    return {
        "page": page, "day": day.isoformat(), "bookings_stored": bookings, "probe": probe,
        "gunicorn": settings, "runs": runs, "best": best, "ratio": round(ratio, 3),
        "cpu_ms_per_request": cpu, "cpu_ratio": round(cpu_ratio, 3) if cpu_ratio else None,
        "memory": {"app_workers": app_workers, "hello_workers": _workers(memory["hello"]), "app_rss_max": rss_max},
        "weight": weight, "checks": checks, "staleness": stale, "load_errors": errors, "verdicts": verdicts,
        "targets": {"ratio_min": TARGET_RATIO, "rss_max_bytes": TARGET_RSS, "weight_max_bytes": TARGET_WEIGHT},
    }


def all_passed(results):
    return all(all(b["verdicts"].values()) for b in results["backends"].values())


def _mark(ok):
    return "✅" if ok else "❌"


def _parts(weight):
    return " + ".join(f"{'HTML' if p['kind'] == 'html' else os.path.basename(p['url'].split('?')[0])} "
                      f"{_kb(p['gzip9'])}" for p in weight["parts"])


def _latency(run):
    lat = run["latency_ms"]
    return f"{lat.get('p50', '?')} / {lat.get('p99', '?')} ms"


def _cpu(b):
    cpu = b["cpu_ms_per_request"]
    if not cpu["hello"] or not cpu["book"]:
        return "?"
    return f"{cpu['hello']:.2f} / {cpu['book']:.2f} ms (hello ÷ /book = {b['cpu_ratio']:.2f}×)"


def _stale(stale):
    if not stale or not stale["bookings"]:
        return "not measured"
    return (f"max {stale['max_ms']} ms, median {stale['median_ms']} ms over {stale['bookings']} bookings "
            f"({stale['stale_reads']} of {stale['reads_after']} later reads stale)")


def _rows(name, b):
    hello, book, v = b["best"]["hello"], b["best"]["book"], b["verdicts"]
    weight = b["weight"]["totals"]
    checks = ", ".join(f"{key.replace('_', ' ')}: {'PASS' if r['ok'] else 'FAIL'}" for key, r in b["checks"].items())
    hello_rss = max((w["rss"] or 0 for w in b["memory"]["hello_workers"]), default=0)
    return [
        ("hello app, requests/s", f"{hello['rps']:.0f}", "", ""),
        (f"GET {b['page']}, requests/s", f"{book['rps']:.0f}", "", ""),
        ("ratio /book ÷ hello", f"{b['ratio']:.2f}×", f"≥ {TARGET_RATIO}×", _mark(v["ratio"])),
        ("stale page after a booking, under load", _stale(b.get("staleness")), "", ""),
        ("latency p50 / p99: hello, /book", f"{_latency(hello)}; {_latency(book)}", "", ""),
        ("worker CPU per request: hello, /book", _cpu(b), "", ""),
        ("worker RSS after load, max (hello app)", f"{_mb(b['memory']['app_rss_max'])} ({_mb(hello_rss)})",
         "< 100 MB", _mark(v["rss"])),
        ("page weight, gzip -9 (HTML + CSS + JS)", _kb(weight["gzip9"]), "≤ 35 KB", _mark(v["weight"])),
        ("  parts", _parts(b["weight"]), "", ""),
        ("  as sent by gunicorn (no compression)", _kb(weight["sent"]), "", ""),
        ("never serve a taken slot", checks, "PASS", _mark(v["checks"])),
        ("load without errors", "yes" if v["clean_load"] else f"NO: {b['load_errors']} {b['probe']['notes']}",
         "", _mark(v["clean_load"])),
    ]


def table(results):
    lines = ["", f"Let's talk benchmark — {results['date']}, commit {results['commit']}, "
                 f"{results['machine']['nproc']} CPU(s), {_setup(results)}"]
    for name, b in results["backends"].items():
        rows = _rows(name, b)
        width = max(len(r[0]) for r in rows)
        lines += ["", f"— database: {name} —"]
        lines += [f"{label:<{width}}  {value}  {target}  {mark}".rstrip() for label, value, target, mark in rows]
    return "\n".join(lines)


def _setup(results):
    load = results["load"]
    return (f"gunicorn {results['gunicorn']}, wrk -t{load['threads']} -c{load['connections']} "
            f"-d{load['duration_s']}s after {load['warmup_s']}s warm-up, best of {load['rounds']}")


def markdown(results):
    out = [f"### Performance (`make bench`, {results['date'][:10]}, commit {results['commit']}, "
           f"{results['machine']['nproc']} CPUs)", "",
           f"Both apps on loopback under {_setup(results)}; database seeded with `seed-demo` plus bookings.", ""]
    for name, b in results["backends"].items():
        out += [f"**Database: {name}**", "", "| measure | result | target | |", "|---|---|---|---|"]
        out += [f"| {label.strip()} | {value} | {target} | {mark} |" for label, value, target, mark in _rows(name, b)]
        out.append("")
    out += ["KB = 1000 bytes, MB = 10⁶ bytes. Requests/s: best of the rounds; CPU per request: workers' "
            "user + system time (from /proc) ÷ requests, steadier than requests/s on a busy machine. "
            "Page weight: gzip -9 of the HTML and of every stylesheet and script it loads (what a "
            "compressing proxy sends); gunicorn itself does not compress.", ""]
    return "\n".join(out)
