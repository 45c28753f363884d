"""Real processes: gunicorn with two workers on this test's database, and Debian's chromium."""
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from support.app import ROOT
from support.booking import iso
from support.mail import free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require_system_tool(present, what, ci_install):
    """A tool from the system's packages: missing in CI is a failure (.ci/run installs it),
    missing on a developer's machine a skip that says how to get it."""
    if present:
        return
    import pytest
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/run installs {ci_install}")
    pytest.skip(f"{what} not installed (apt-get install {ci_install})")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def running_gunicorn(database_url, tmp_path):
    """A generator (the `live_server` fixture's body): the server's base URL while it runs."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="live-test-secret",
               SITE_URL=f"http://127.0.0.1:{port}", RATELIMIT_ENABLED="0", WTF_CSRF_SSL_STRICT="0")
    log = open(tmp_path / "gunicorn.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, proc, tmp_path / "gunicorn.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def wait_until_up(url, proc, log_path, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + Path(log_path).read_text())
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start:\n" + Path(log_path).read_text())


def launched_chromium():
    """A generator (the `browser` fixture's body); skips, or fails on CI, without chromium."""
    import pytest
    require_system_tool(Path(CHROMIUM).exists(), CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_problems(page):
    """axe-core's serious and critical violations on the page as it is now (the page's context
    needs bypass_csp=True, only so the test can add axe-core to it)."""
    if not AXE.exists():
        import pytest
        pytest.fail(f"{AXE} is missing: `make install` (npm ci) installs axe-core from package-lock.json")
    # A toast fading in is half transparent for a quarter second: judge the page as it settles.
    page.evaluate("""() => document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} })""")
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def page_maker(browser):
    """A generator (the `page_factory` fixture's body): new isolated pages, closed afterwards."""
    contexts = []

    def new_page(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10000)
        return page

    yield new_page
    for context in contexts:
        context.close()


# --- a visitor over real HTTP (concurrency, logs, backup drills) ---------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report the 303 itself


def http_visitor():
    """A cookie-keeping HTTP client that reports redirects instead of following them."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect())


def form_page(opener, base, start):
    url = f"{base}/book/slot?" + urllib.parse.urlencode({"start": iso(start), "tz": "Europe/London"})
    with opener.open(url, timeout=20) as response:
        html = response.read().decode()
    return csrf_of(html)


def csrf_of(html):
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)


def post_booking(opener, base, data):
    request = urllib.request.Request(f"{base}/book", data=urllib.parse.urlencode(data).encode())
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def all_at_once(tasks, timeout=60):
    """Run each task in a thread of its own; a task gets `ready`, to call just before the moment
    that matters (all of them then go at once). Returns the tasks' results, in order."""
    import threading
    barrier = threading.Barrier(len(tasks))
    results = [None] * len(tasks)

    def run(index, task):
        results[index] = task(lambda: barrier.wait(timeout=30))

    threads = [threading.Thread(target=run, args=(i, task)) for i, task in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def workers_at_once(apps, job):
    """Run `job(app)` for each app in a thread of its own, all at once, as worker processes would
    (each thread closes its own connection). Returns the results in order and the errors raised."""
    errors = []

    def task_for(app):
        def task(ready):
            from database import db
            try:
                ready()
                return job(app)
            except Exception as exc:  # noqa: BLE001 - the caller asserts there were none
                errors.append(exc)
            finally:
                if not db.is_closed():
                    db.close()
        return task

    return all_at_once([task_for(app) for app in apps]), errors
