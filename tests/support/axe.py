"""axe-core in a Playwright page: the accessibility problems a person would hit."""
from pathlib import Path

from support.app import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_problems(page):
    """axe-core's serious and critical violations on the page as it is now. The page's context
    needs bypass_csp=True, only so that the test can add axe-core to it."""
    import pytest
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install` (npm ci) installs axe-core from package-lock.json")
    page.add_script_tag(content=Path(AXE).read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
