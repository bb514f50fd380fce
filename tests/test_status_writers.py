"""Nothing but a state machine's ``move`` writes a status field (``sop_portal.states``).

The test reads the source tree (not the tests) and lists every place that assigns a ``status``
attribute, passes ``status=`` to a write (``create``, ``update``, ``update_or_create``,
``get_or_create``, a model's constructor) or names ``"status"`` among ``update_fields`` /
``bulk_update`` fields. Only the state-machine modules may: ``sop_portal/states.py`` (the
writer) and each app's ``states.py`` or ``states/`` package (its tables)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("sop_portal", "accounts", "agencies", "workflows", "permits", "feedback", "monitoring")
#: The models that have a status; ``Model(status=...)`` constructs one in a chosen state.
STATEFUL = {
    "Application",
    "ApplicationDocument",
    "Task",
    "SopVersion",
    "Decree",
    "RenderedDocument",
    "Complaint",
}
WRITES = {"create", "update", "update_or_create", "get_or_create", "bulk_create"}


def allowed(relative: str) -> bool:
    return relative.endswith("/states.py") or "/states/" in relative


def _is_status_target(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "status"
    if isinstance(node, ast.Tuple | ast.List):
        return any(_is_status_target(e) for e in node.elts)
    return False


def _names_status(node: ast.AST) -> bool:
    return isinstance(node, ast.List | ast.Tuple | ast.Set) and any(
        isinstance(e, ast.Constant) and e.value == "status" for e in node.elts
    )


def status_writes(source: str) -> list[int]:
    """Line numbers of the status writes in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_status_target(t) for t in targets):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if "status" in keywords and (name in WRITES or name in STATEFUL):
                lines.append(node.lineno)
            elif "defaults" in keywords and isinstance(keywords["defaults"], ast.Dict):
                if any(
                    isinstance(k, ast.Constant) and k.value == "status"
                    for k in keywords["defaults"].keys
                ):
                    lines.append(node.lineno)
            elif (
                "update_fields" in keywords
                and _names_status(keywords["update_fields"])
                or name == "bulk_update"
                and any(_names_status(a) for a in node.args[1:])
            ):
                lines.append(node.lineno)
            elif name == "setattr" and len(node.args) >= 2:
                key = node.args[1]
                if isinstance(key, ast.Constant) and key.value == "status":
                    lines.append(node.lineno)
    return sorted(lines)


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_no_code_outside_the_state_machines_writes_a_status():
    stray = [
        f"{name}:{line}"
        for name, source in _sources()
        if not allowed(name)
        for line in status_writes(source)
    ]
    assert stray == [], "status written outside a state machine: " + ", ".join(stray)


@pytest.mark.parametrize(
    "source",
    [
        "application.status = 'issued'",
        "task.status, task.outcome = Task.Status.DONE, 'yes'",
        "Task.objects.filter(pk=1).update(status='done')",
        "Application.objects.create(service=s, status='submitted')",
        "Complaint(status='answered')",
        "obj.save(update_fields=['status'])",
        "Task.objects.bulk_update(tasks, ['status'])",
        "Decree.objects.update_or_create(pk=1, defaults={'status': 'final'})",
        "setattr(version, 'status', 'published')",
    ],
)
def test_the_scanner_finds_a_stray_write(source):
    assert status_writes(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "Task.objects.filter(status='open')",
        "return Response(body, status=400)",
        "render(request, 'x.html', {}, status=status)",
        "if application.status == 'draft': pass",
    ],
)
def test_the_scanner_leaves_reads_and_http_statuses_alone(source):
    assert status_writes(source) == []
