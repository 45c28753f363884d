"""The layers of ARCHITECTURE.md, checked against the code's imports (lazy ones too)."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_APP_CODE = {"tests", "bench", "migrations", "node_modules", "static", "templates", "instance"}
WEB_LIBRARIES = {"flask", "flask_login", "flask_wtf", "flask_limiter", "htmx_flask", "jinja2", "jinja2_fragments",
                 "markupsafe", "werkzeug", "wtforms", "web"}
FLASK = WEB_LIBRARIES - {"jinja2", "markupsafe"}  # escaping a string is still pure
STORE = {"peewee", "playhouse", "database", "models"}


def app_modules():
    """{dotted module name: path} of our own code."""
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_APP_CODE or parts[0].startswith("."):
            continue
        name = ".".join(parts)[:-3].removesuffix(".__init__")
        if name != "blueprints":  # an empty folder marker, not a package of its own
            modules[name] = path
    return modules


def unit_of(module):
    """The package an import rule speaks of: `blueprints.<feature>`, else the top-level name."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "blueprints" and len(parts) > 1 else parts[0]


def imported_names(path, module):
    """Every module `path` imports, anywhere in the file (absolute names, `from x import y` → x.y too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def dependencies():
    """{module: set of our modules it imports}."""
    modules = app_modules()
    return {module: {name for name in imported_names(path, module) if name in modules} - {module}
            for module, path in modules.items()}


def unit_graph():
    graph = {}
    for module, imports in dependencies().items():
        graph.setdefault(unit_of(module), set()).update(unit_of(name) for name in imports)
    return {unit: targets - {unit} for unit, targets in graph.items()}


def architecture_table():
    """[(units of the row, units it may import or None for "any")], top row first."""
    rows = []
    for line in (ROOT / "ARCHITECTURE.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        allowed = None if cells[2] == "any" else set(re.findall(r"`([\w.]+)`", cells[2]))
        rows.append((re.findall(r"`([\w.]+)`", cells[0]), allowed))
    return rows


def find_cycle(graph):
    """One import cycle as a list of units, or None."""
    state, stack = {}, []

    def visit(unit):
        state[unit] = "open"
        stack.append(unit)
        for target in sorted(graph.get(unit, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[unit] = "done"
        stack.pop()
        return None

    for unit in sorted(graph):
        if unit not in state and (cycle := visit(unit)):
            return cycle
    return None


def test_no_import_cycle_between_packages():
    cycle = find_cycle(unit_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_every_package_is_placed_once_in_the_table():
    placed = [unit for units, _ in architecture_table() for unit in units]
    assert len(placed) == len(set(placed)), "a package stands in two rows"
    assert set(placed) == set(unit_graph()), "ARCHITECTURE.md and the code name different packages"


def test_the_table_only_points_down():
    seen_below = set()
    for units, allowed in reversed(architecture_table()):
        if allowed is not None:
            assert allowed <= seen_below, f"{units} may import {allowed - seen_below}, which is not below it"
        seen_below.update(units)


@pytest.mark.parametrize("units,allowed", architecture_table(), ids=lambda value: str(value))
def test_each_package_imports_only_what_its_row_allows(units, allowed):
    if allowed is None:
        return
    graph = unit_graph()
    for unit in units:
        assert graph[unit] <= allowed, f"{unit} imports {sorted(graph[unit] - allowed)}, not in its row"


def _imports_of(module):
    path = app_modules()[module]
    return {name.split(".")[0] for name in imported_names(path, module)} | imported_names(path, module)


def test_models_import_nothing_of_the_web_layer():
    models = [module for module in app_modules() if module.endswith(".models")]
    assert "scheduling.models" in models and "blueprints.auth.models" in models
    for module in models:
        web_imports = _imports_of(module) & WEB_LIBRARIES
        assert not web_imports, f"{module} imports {sorted(web_imports)}"
        ours = {name for name in dependencies()[module] if not name.endswith(".models")}
        assert ours <= {"database"}, f"{module} imports {sorted(ours)}: models import only models and database"


def test_pure_modules_import_neither_flask_nor_the_database():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    pure = re.findall(r"`([\w.]+)`", text.split("Pure modules", 1)[1].split("import neither", 1)[0])
    assert "scheduling.slots" in pure
    for module in pure:
        found = _imports_of(module) & (FLASK | STORE)
        assert not found, f"{module} is listed as pure but imports {sorted(found)}"


ROUTE_MODULES = {"views.py", "coach_views.py"}  # a feature's routes; the coach's side of a client feature apart


def test_every_feature_follows_the_blueprint_convention():
    """views.py owns `bp`; coach_views.py, where a feature has one, owns a second `bp` of its own;
    __init__.py registers them in init_app and defines no routes; no module adds routes to
    another module's blueprint."""
    for package in sorted(p for p in (ROOT / "blueprints").iterdir() if (p / "__init__.py").exists()):
        init = (package / "__init__.py").read_text()
        assert "Blueprint(" not in init and "@bp." not in init, f"{package.name}/__init__.py has routes"
        for module in sorted(package.glob("*.py")):
            text = module.read_text()
            owns_bp = re.search(r"^bp = Blueprint\(", text, re.M)
            if module.name in ROUTE_MODULES:
                assert owns_bp, f"{module} does not own its bp"
                assert "def init_app(app)" in init, f"{package.name}/__init__.py has no init_app"
                assert re.search(rf"\b{module.stem}\b", init), f"{package.name}/__init__.py does not register {module.name}"
            else:
                assert not owns_bp and not re.search(r"@\w+\.route", text), f"{module} has routes"
            if module.name != "__init__.py":
                assert not re.search(r"import .*\bbp\b", text), f"{module} borrows another module's bp"
        routes = any(re.search(r"@bp\.route", module.read_text()) for module in package.glob("*.py"))
        if routes:
            assert (package / "views.py").exists(), f"{package.name} has routes but no views.py"
