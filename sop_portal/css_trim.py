"""Ship only the Bootstrap CSS the portal uses: a build step, run by hand after a template
change (``manage.py trim_bootstrap``), whose output is committed, so run time needs no node.

The full ``bootstrap.min.css`` is 232 KB, of which the templates use about a tenth. The trimmed
file keeps every rule whose selectors name only classes found in the portal's sources:

* every word of ``templates/`` (not only ``class="..."``: an ``{% include %}`` may pass classes
  as a string, and ``text-bg-{{ x }}`` keeps every class starting with ``text-bg-``);
* every word of the portal's Python (template tags and forms return class names) and of its own
  CSS and JavaScript under ``static/`` (outside ``static/vendor``);
* the classes Bootstrap's JavaScript sets on its own (``show``, ``collapsing``, ...).

Rules without any class (``:root``, ``body``, ``h1``, ``[hidden]``) are always kept, as are the
``@keyframes`` that a kept rule animates. Selectors are matched class by class with tinycss2 (a
WeasyPrint dependency), so nothing is guessed from the text. ``tests/test_trimmed_css.py``
fails when a template uses a Bootstrap class that the committed file lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2
from django.conf import settings

VENDOR = Path("vendor") / "bootstrap"
SOURCE_NAME = "bootstrap.min.css"
TRIMMED_NAME = "bootstrap.trimmed.min.css"
#: Classes that bootstrap.bundle.js adds and removes itself (the collapse, dropdown and alert
#: plugins, form validation), never written in a template. The portal uses no tooltip, popover,
#: toast, modal or offcanvas (no ``data-bs-toggle`` for them): add theirs here when it does.
SCRIPT_CLASSES = frozenset(
    {"show", "showing", "hiding", "fade", "collapse", "collapsing", "collapse-horizontal",
     "active", "disabled", "dropdown-menu-end", "dropup", "dropend", "dropstart",
     "was-validated", "is-invalid", "is-valid"}
)  # fmt: skip
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: ``prefix-{{`` or ``prefix-{%``: a class finished by the template at run time.
PREFIX = re.compile(r"([A-Za-z][A-Za-z0-9_-]*-)\{[{%]")
#: The code directories scanned for class names returned by Python.
APPS = ("sop_portal", "accounts", "agencies", "workflows", "permits", "signing", "feedback",
        "monitoring")  # fmt: skip


def base_dir() -> Path:
    return Path(settings.BASE_DIR)


def source_path() -> Path:
    return base_dir() / "static" / VENDOR / SOURCE_NAME


def trimmed_path() -> Path:
    return base_dir() / "static" / VENDOR / TRIMMED_NAME


def _sources() -> Iterable[Path]:
    root = base_dir()
    yield from sorted((root / "templates").rglob("*.html"))
    for app in APPS:
        for path in sorted((root / app).rglob("*")):
            if path.suffix in {".py", ".html", ".txt"} and "/migrations/" not in path.as_posix():
                yield path
    for path in sorted((root / "static").rglob("*")):
        if path.suffix in {".css", ".js"} and VENDOR.parts[0] not in path.parts:
            yield path


def used_words() -> tuple[set[str], set[str]]:
    """The words of the portal's sources and the prefixes of classes finished at run time."""
    words: set[str] = set(SCRIPT_CLASSES)
    prefixes: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        words.update(WORD.findall(text))
        prefixes.update(PREFIX.findall(text))
    return words, prefixes


def selector_classes(tokens: list) -> list[str]:
    """The class names one selector requires (its ``.name`` parts). Those inside a function
    (``:not(.dropdown-toggle)``) are not required: the rule applies without them."""
    names = []
    previous = None
    for token in tokens:
        if (
            token.type == "ident"
            and previous is not None
            and previous.type == "literal"
            and previous.value == "."
        ):
            names.append(token.value)
        previous = token
    return names


def _split_selectors(prelude: list) -> list[list]:
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


class Trimmer:
    def __init__(self, words: set[str], prefixes: set[str]) -> None:
        self.words = words
        self.prefixes = tuple(sorted(prefixes))

    def used(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)

    def rules(self, rules: list) -> list[str]:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                kept = [
                    tinycss2.serialize(selector).strip()
                    for selector in _split_selectors(rule.prelude)
                    if all(self.used(name) for name in selector_classes(selector))
                ]
                if kept:
                    out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
            elif rule.type == "at-rule":
                out.extend(self.at_rule(rule))
        return out

    def at_rule(self, rule) -> list[str]:
        head = "@" + rule.at_keyword + tinycss2.serialize(rule.prelude)
        if rule.content is None:  # @charset, @import
            return [head + ";"]
        if rule.lower_at_keyword in {"media", "supports", "container", "layer"}:
            inner = self.rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True))
            return [head + "{" + "".join(inner) + "}"] if inner else []
        # @keyframes and the like: decided once the rest is known (see trim()).
        return [head + "{" + tinycss2.serialize(rule.content) + "}"]


def trim(css: str, words: set[str], prefixes: set[str]) -> str:
    """``css`` with only the rules whose classes are all in ``words`` (or start with a prefix)."""
    sheet = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    licence = next((node for node in sheet if node.type == "comment"), None)
    body = Trimmer(words, prefixes).rules([node for node in sheet if node.type != "comment"])
    keyframes = [part for part in body if part.startswith("@keyframes")]
    rest = [part for part in body if not part.startswith("@keyframes")]
    joined = "".join(rest)
    animated = [
        frames
        for frames in keyframes
        if re.search(r"\b" + re.escape(frames[len("@keyframes") :].split("{")[0].strip()), joined)
    ]
    charset = [part for part in rest if part.startswith("@charset")]
    joined = "".join(part for part in rest if not part.startswith("@charset"))
    head = "".join(charset) + (f"/*{licence.value}*/" if licence is not None else "")
    # No sourceMappingURL: the map describes the full file, not this one.
    return head + joined + "".join(animated) + "\n"


def build() -> str:
    """The trimmed CSS for the sources as they are now."""
    words, prefixes = used_words()
    return trim(source_path().read_text(encoding="utf-8"), words, prefixes)


def full_classes(css: str) -> set[str]:
    """Every class a stylesheet's selectors name (for the test's comparison)."""
    names: set[str] = set()

    def walk(rules: list) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                names.update(selector_classes(rule.prelude))
            elif (
                rule.type == "at-rule"
                and rule.content is not None
                and (rule.lower_at_keyword in {"media", "supports", "container", "layer"})
            ):
                walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True))
    return names
