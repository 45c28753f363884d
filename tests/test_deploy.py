"""deploy/: the systemd units' own commands start the site, the worker and the backup;
PROXY_FIX trusts exactly the configured number of proxies."""
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import urllib.request

import pytest

from support.app import ON_POSTGRES, ROOT
from support.mail import free_port
from support.servers import wait_until_up

DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/srv/letstalk"


def unit(name):
    """{section: {key: [values]}} of a unit file (keys may repeat; `\\` continues a line)."""
    sections, current = {}, None
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / name).read_text())
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def command(unit_name, key="ExecStart", **replace):
    """A unit's command as argv, run from this checkout instead of /srv/letstalk."""
    service = unit(unit_name)["Service"]
    assert service["WorkingDirectory"] == [INSTALL_DIR]
    [line] = service[key]
    line = line.replace(INSTALL_DIR, str(ROOT)).replace("%%", "%")  # %% is systemd's literal %
    for old, new in replace.items():
        assert old in line, f"{unit_name} no longer mentions {old}"
        line = line.replace(old, new)
    return shlex.split(line)


@pytest.fixture
def unit_env(database_url, tmp_path):
    """What /etc/letstalk/env would provide."""
    return dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="deploy-test-secret", PROXY_FIX="1",
                SITE_URL="https://coach.example", RATELIMIT_ENABLED="0")


def test_web_unit_migrates_then_serves(unit_env, app, tmp_path):
    upgrade = subprocess.run(command("letstalk-web.service", "ExecStartPre"), cwd=ROOT, env=unit_env,
                             capture_output=True, text=True, timeout=60)
    assert upgrade.returncode == 0 and "up to date" in upgrade.stdout, upgrade.stderr

    port = free_port()
    argv = command("letstalk-web.service", **{"127.0.0.1:8000": f"127.0.0.1:{port}"})
    assert argv[0].endswith("/gunicorn") and argv[-1] == "app:create_app()"
    log_path = tmp_path / "web.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=unit_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", proc, log_path)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "nginx-req-0001"})
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.read() == b"ok" and response.headers["X-Request-ID"] == "nginx-req-0001"
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    assert '"request_id": "nginx-req-0001"' in log_path.read_text()


def test_worker_unit_does_a_pass(unit_env, app, smtp_server):
    from mail import OutboxMessage
    OutboxMessage.create(to_addr="robin@example.org", subject="Your call is booked", text_body="See you then.")
    env = dict(unit_env, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_server.port))
    argv = command("letstalk-worker.service") + ["--once"]
    assert argv[-3:] == ["app", "worker", "--once"]
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Your call is booked"


def test_backup_unit_writes_todays_file(unit_env, users, tmp_path):
    argv = command("letstalk-backup.service", **{"/var/backups/letstalk": str(tmp_path)})
    result = subprocess.run(argv, cwd=ROOT, env=unit_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [written] = tmp_path.glob("letstalk-*.backup")
    assert re.fullmatch(r"letstalk-(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.backup", written.name)
    if not ON_POSTGRES:
        emails = {row[0] for row in sqlite3.connect(written).execute('SELECT email FROM "user"')}
        assert "coach@example.com" in emails
    # Run again the same day: the weekday's file is replaced, not refused.
    again = subprocess.run(argv, cwd=ROOT, env=unit_env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    names = ["letstalk-web.service", "letstalk-worker.service", "letstalk-backup.service", "letstalk-backup.timer"]
    for name in names:
        (tmp_path / name).write_text((DEPLOY / name).read_text().replace(INSTALL_DIR, str(ROOT)))
    result = subprocess.run(["systemd-analyze", "verify", *[str(tmp_path / n) for n in names]],
                            capture_output=True, text=True, timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if "letstalk" in line]
    assert result.returncode == 0 and problems == [], result.stderr


def test_nginx_forwards_to_the_web_units_address_over_https():
    conf = (DEPLOY / "nginx.conf").read_text()
    bind = re.search(r"--bind (\S+)", unit("letstalk-web.service")["Service"]["ExecStart"][0]).group(1)
    assert re.search(rf"upstream letstalk \{{\s*server {re.escape(bind)};", conf)
    assert "listen 443 ssl;" in conf and "return 301 https://$host$request_uri;" in conf
    assert re.search(r"client_max_body_size \d+m;", conf)
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-ID"):
        assert f"proxy_set_header {header} " in conf
    assert "PROXY_FIX=1" in (DEPLOY / "env.example").read_text()


# --- PROXY_FIX -----------------------------------------------------------------------------

def proxied_app(make_app, hops, **settings):
    app = make_app(PROXY_FIX=hops, **settings)

    @app.route("/_probe")
    def probe():
        from flask import request
        return f"{request.remote_addr} {request.scheme} {request.host}"

    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "coach.example"}


def test_proxy_fix_believes_one_proxy_hop(make_app):
    client = proxied_app(make_app, 1).test_client()
    assert client.get("/_probe", headers=FORWARDED).get_data(as_text=True) == "203.0.113.9 https coach.example"
    # Two addresses: the visitor's own claim first, then what nginx appended. Only nginx is believed.
    chained = dict(FORWARDED, **{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    assert client.get("/_probe", headers=chained).get_data(as_text=True).startswith("203.0.113.9 ")


def test_without_proxy_fix_forwarded_headers_are_ignored(make_app):
    client = proxied_app(make_app, 0).test_client()
    assert client.get("/_probe", headers=FORWARDED).get_data(as_text=True) == "127.0.0.1 http localhost"


@pytest.mark.parametrize("hops, separate_limits", [(1, True), (0, False)])
def test_rate_limits_follow_the_trusted_address(make_app, users, hops, separate_limits):
    client = proxied_app(make_app, hops, LOGIN_RATE_LIMIT="2 per minute").test_client()
    wrong = {"email": "coach@example.com", "password": "wrong password"}

    def attempt(address):
        return client.post("/login", data=wrong, headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.9") for _ in range(3)][-1] == 429
    # Another visitor behind the proxy has their own allowance; without PROXY_FIX a forged
    # header cannot buy a fresh one.
    assert (attempt("198.51.100.7") != 429) is separate_limits
