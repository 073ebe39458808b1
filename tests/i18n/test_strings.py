"""Every string a user reads is marked for translation and has a Spanish translation (issue 10).

Each detector fails naming what to fix (the file and line, the form field or the msgid):

- templates: visible text (and the placeholder, title, aria-label and alt attributes) outside
  `{% translate %}` / `{% blocktranslate %}`;
- Python: literal messages of ValidationError, add_error and django messages, form and model
  labels (label, help_text, verbose_name, verbose_name_plural, empty_label, choices, a
  ModelForm's Meta.labels/help_texts) and the labels of TextChoices/IntegerChoices that are not
  wrapped in a gettext call, and chart titles and axis labels;
- forms as Python builds them: every label, help text and choice label of the apps' forms and
  filter sets is lazily translated (an f-string label is English whatever the language);
- the catalog: locale/es/LC_MESSAGES/django.po is what `make messages` extracts from the
  sources today, and every entry has a non-fuzzy translation with the same placeholders and
  HTML tags as its English; `manage.py compile_translations` (the build, with polib) turns it
  into a catalog Django reads.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import DebugLexer, TokenType
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
PO_NAME = "locale/es/LC_MESSAGES/django.po"
PO_FILE = ROOT / PO_NAME
APPS = ["actionplans", "caseloads", "demo", "fidelity", "impact", "reports", "supervision"]

# Phrases a template may show untranslated. Keep this tiny: prefer translating.
TEMPLATE_ALLOWLIST = [
    "IMPaCT ops",  # the product's name (a brand, the same in Spanish)
]
# Elements whose content is machine text (code, file formats), shown as written.
MACHINE_TEXT = ("script", "style", "code", "pre", "kbd", "samp")

# Attributes whose values a user reads (or hears from a screen reader).
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


def _blank(text: str) -> str:
    """The same text with every character but newlines replaced by a space (keeps lines)."""
    return re.sub(r"[^\n]", " ", text)


def _visible_text(source: str) -> str:
    """What the browser shows (and reads aloud) from a template, with template code blanked.

    Template tags and variables become an inert character; text inside translate blocks,
    `{% comment %}` and `{% verbatim %}` is blanked; then HTML comments, MACHINE_TEXT
    element contents, the allowlisted phrases, tags (except the values of READ_ATTRIBUTES)
    and entities are removed. Positions and newlines are kept, so a match still points at
    its line in the source.
    """
    chars = list(source)
    hidden_until = None  # the end tag of the block whose text is not shown as written
    for token in DebugLexer(source).tokenize():
        assert token.position is not None  # the debug lexer records every token's place
        start, end = token.position
        contents = token.contents.split()
        name = contents[0] if contents and token.token_type == TokenType.BLOCK else ""
        if hidden_until:
            if name == hidden_until:
                hidden_until = None
            chars[start:end] = _blank(source[start:end])
            continue
        if token.token_type != TokenType.TEXT:
            chars[start:end] = ["\x1a" if c != "\n" else c for c in source[start:end]]
        if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
            hidden_until = "end" + name
    text = "".join(chars)

    def blank(match):
        return _blank(match.group(0))

    text = re.sub(r"<!--.*?-->", blank, text, flags=re.S)
    machine = r"<(" + "|".join(MACHINE_TEXT) + r")\b[^>]*>.*?</\1\s*>"
    text = re.sub(machine, blank, text, flags=re.S | re.I)
    for phrase in TEMPLATE_ALLOWLIST:
        text = text.replace(phrase, _blank(phrase))

    def tag(match):
        kept = _blank(match.group(0))
        pattern = r"\b(?:" + "|".join(READ_ATTRIBUTES) + r""")\s*=\s*(["'])(.*?)\1"""
        for attribute in re.finditer(pattern, match.group(0), flags=re.S):
            a, b = attribute.span(2)
            kept = kept[:a] + attribute.group(2) + kept[b:]
        return kept

    text = re.sub(r"<[^>]*>", tag, text, flags=re.S)
    return re.sub(r"&#?\w+;", blank, text)


def _unmarked_template_text() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        text = _visible_text(source)
        for match in WORD.finditer(text):
            line = source.count("\n", 0, match.start()) + 1
            snippet = source.splitlines()[line - 1].strip()
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)!r} in {snippet[:100]}")
    return found


def test_every_template_text_is_marked_for_translation():
    found = _unmarked_template_text()
    assert not found, (
        "Text a user reads is not inside {% translate %} or {% blocktranslate %} "
        "(wrap it, with {% load i18n %}, then run `make messages` and translate it in "
        f"{PO_NAME}):\n" + "\n".join(found)
    )


def test_the_template_detector_finds_text_attributes_and_skips_code():
    source = (
        '{% load i18n %}<p title="{{ x }} days">Hello {{ name }}</p>\n'
        '<input placeholder="{% translate "Search" %}" aria-label="Find">'
        "<script>let a = 'b';</script><!-- note -->&nbsp;{# comment #}\n"
        "{% blocktranslate %}Fine {{ n }}{% endblocktranslate %}{% comment %}x y{% endcomment %}"
    )
    assert WORD.findall(_visible_text(source)) == ["days", "Hello", "Find"]


# --- Python -------------------------------------------------------------------------------

GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}
LABEL_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error"}
# Chart text (matplotlib): the first argument of these, the third of ax.text(x, y, s).
CHART_TEXT = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "annotate"}
META_LABELS = {"labels", "help_texts", "error_messages", "verbose_name", "verbose_name_plural"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _bare_strings(node: ast.AST | None) -> list[ast.AST]:
    """The literals in an expression a user would read that are not wrapped in gettext."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        is_text = isinstance(node.value, str) and WORD.search(node.value)
        return [node] if is_text else []
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.Call):
        if _name(node.func) in GETTEXT_CALLS:
            return []
        if _name(node.func) == "format" and isinstance(node.func, ast.Attribute):
            return _bare_strings(node.func.value)  # "...".format(...)
        return []
    if isinstance(node, ast.BinOp):  # "..." % x, "..." + x
        return _bare_strings(node.left) + _bare_strings(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_strings(node.body) + _bare_strings(node.orelse)
    if isinstance(node, ast.Dict):
        return [s for value in node.values for s in _bare_strings(value)]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [s for element in node.elts for s in _bare_strings(element)]
    return []


def _choice_labels(node: ast.AST) -> list[ast.AST]:
    """The labels of a literal `choices=[(value, label), ...]`."""
    if not isinstance(node, ast.List | ast.Tuple):
        return []
    found = []
    for element in node.elts:
        if isinstance(element, ast.Tuple) and len(element.elts) == 2:
            label = element.elts[1]
            found += _choice_labels(label) if isinstance(label, ast.List | ast.Tuple) else []
            found += [] if isinstance(label, ast.List | ast.Tuple) else _bare_strings(label)
    return found


class _Scanner(ast.NodeVisitor):
    def __init__(self):
        self.found: list[tuple[int, str]] = []

    def report(self, nodes, what):
        for node in nodes:
            self.found.append((node.lineno, what))

    def visit_Call(self, node):
        name = _name(node.func)
        if name == "ValidationError" and node.args:
            self.report(_bare_strings(node.args[0]), "ValidationError message")
        elif name == "add_error" and len(node.args) >= 2:
            self.report(_bare_strings(node.args[1]), "add_error message")
        elif (
            name in MESSAGE_FUNCTIONS
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "messages"
            and len(node.args) >= 2
        ):
            self.report(_bare_strings(node.args[1]), f"messages.{name} text")
        elif name in CHART_TEXT and node.args:
            self.report(_bare_strings(node.args[0]), f"chart text ({name})")
        elif name == "text" and isinstance(node.func, ast.Attribute) and len(node.args) >= 3:
            self.report(_bare_strings(node.args[2]), "chart text (text)")
        for keyword in node.keywords:
            if keyword.arg in LABEL_KEYWORDS:
                self.report(_bare_strings(keyword.value), f"{keyword.arg}=")
            elif keyword.arg == "choices":
                self.report(_choice_labels(keyword.value), "choices label")
            elif keyword.arg == "error_messages":
                self.report(_bare_strings(keyword.value), "error_messages=")
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        if {_name(base) for base in node.bases} & CHOICES_BASES:
            for statement in node.body:
                if not isinstance(statement, ast.Assign) or not isinstance(
                    statement.targets[0], ast.Name
                ):
                    continue
                if statement.targets[0].id.startswith("_"):
                    continue
                value = statement.value
                if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
                    self.report(_bare_strings(value.elts[-1]), f"{node.name} choice label")
                else:
                    self.found.append(
                        (statement.lineno, f"{node.name} choice without a gettext label")
                    )
        if node.name == "Meta":
            for statement in node.body:
                if isinstance(statement, ast.Assign) and _name(statement.targets[0]) in (
                    META_LABELS
                ):
                    self.report(
                        _bare_strings(statement.value), f"Meta.{_name(statement.targets[0])}"
                    )
        self.generic_visit(node)


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "management" in parts:
                continue  # migrations restate old labels; command output stays English
            yield path


def _unmarked_python_strings() -> list[str]:
    found = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        scanner = _Scanner()
        scanner.visit(ast.parse(source, filename=str(path)))
        lines = source.splitlines()
        for lineno, what in sorted(scanner.found):
            snippet = lines[lineno - 1].strip()[:90]
            found.append(f"{path.relative_to(ROOT)}:{lineno}: {what}: {snippet}")
    return found


def test_every_python_string_shown_to_users_is_marked_for_translation():
    found = _unmarked_python_strings()
    assert not found, (
        "A string a user reads is not wrapped in gettext (use `_()` from "
        "django.utils.translation: gettext_lazy at module and class level, gettext in "
        "functions, named placeholders `%(name)s`; then run `make messages` and translate it):\n"
        + "\n".join(found)
    )


def test_the_python_detector_finds_bare_strings():
    source = (
        "class Kind(TextChoices):\n"
        "    A = 'a', _('A')\n"
        "    B = 'b', 'Bee'\n"
        "    C = 'c'\n"
        "raise ValidationError(f'bad {x}')\n"
        "messages.success(request, _('Saved.'))\n"
        "messages.error(request, 'Nope.')\n"
        "forms.CharField(label='Name', help_text=_('Fine'), choices=[('x', 'Ex')])\n"
        "ax.set_ylabel('Share met')\n"
        "ax.text(0.5, 0.4, no_cost_note(), ha='center')\n"
    )
    scanner = _Scanner()
    scanner.visit(ast.parse(source))
    assert [line for line, _what in sorted(scanner.found)] == [3, 4, 5, 7, 8, 8, 9]


# --- The Spanish catalog -----------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr%]")
HTML_TAG = re.compile(r"</?[a-zA-Z][\w-]*")


def _catalog() -> polib.POFile:
    assert PO_FILE.exists(), f"{PO_NAME} is missing: run `make messages`."
    return polib.pofile(str(PO_FILE), wrapwidth=0)


def _entry_name(entry: polib.POEntry) -> str:
    context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
    return f"msgid {entry.msgid!r}{context}"


def test_every_message_has_a_spanish_translation():
    catalog = _catalog()
    problems = []
    if catalog.metadata_is_fuzzy:
        problems.append("the header is marked fuzzy: remove `#, fuzzy` above the first msgid")
    if catalog.metadata.get("Plural-Forms") != "nplurals=2; plural=(n != 1);":
        problems.append('the header needs "Plural-Forms: nplurals=2; plural=(n != 1);"')
    for entry in catalog:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(
                f"fuzzy (check the Spanish, then remove the flag): {_entry_name(entry)}"
            )
        elif entry.msgid_plural:
            if sorted(entry.msgstr_plural) != [0, 1] or not all(entry.msgstr_plural.values()):
                problems.append(f"no Spanish for both plural forms: {_entry_name(entry)}")
        elif not entry.msgstr:
            problems.append(f"no Spanish: {_entry_name(entry)}")
    assert not problems, f"In {PO_NAME}:\n" + "\n".join(problems)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _tags(text: str) -> list[str]:
    return sorted(HTML_TAG.findall(text))


def test_translations_keep_the_placeholders_and_html_of_the_english():
    problems = []
    for entry in _catalog().translated_entries():
        if entry.msgid_plural:
            one, other = entry.msgstr_plural[0], entry.msgstr_plural[1]
            english_one, english_other = entry.msgid, entry.msgid_plural
            # The singular may leave the count out ("See the alert"), in either language.
            either = _placeholders(english_one) | _placeholders(english_other)
            placeholders_ok = _placeholders(one) <= either
            placeholders_ok &= _placeholders(other) == _placeholders(english_other)
            tags_ok = _tags(one) == _tags(english_one) and _tags(other) == _tags(english_other)
        else:
            placeholders_ok = _placeholders(entry.msgstr) == _placeholders(entry.msgid)
            tags_ok = _tags(entry.msgstr) == _tags(entry.msgid)
        if not placeholders_ok:
            problems.append(f"placeholders (%(name)s, %%) differ: {_entry_name(entry)}")
        if not tags_ok:
            problems.append(f"HTML tags differ from the English: {_entry_name(entry)}")
    assert not problems, f"In {PO_NAME}:\n" + "\n".join(problems)


def _makemessages_command() -> list[str]:
    """The makemessages arguments of the Makefile's `messages` target (one source of truth)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for line in makefile.splitlines():
        if "manage.py makemessages" in line:
            return shlex.split(line.split("manage.py", 1)[1])
    pytest.fail("The Makefile has no `manage.py makemessages` line in its `messages` target.")


def _extract(tmp_path: Path) -> polib.POFile:
    """Run the Makefile's makemessages on a copy of the sources, into the copy's locale/."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is needed to check the catalog: sudo apt-get install -y gettext")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "locale",
            "staticfiles",
            "node_modules",
            "__pycache__",
            "data",
            "backups",
            "db.sqlite3*",
            ".*cache",
            "test-results",
            ".secret_key",
            ".env",
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "impact.settings_test"}
    command = [sys.executable, "manage.py", *_makemessages_command()]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"makemessages failed on a copy of the sources:\n{done.stderr}")
    return polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))


def test_the_catalog_is_up_to_date_with_the_sources(tmp_path):
    def keys(catalog):
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog if not e.obsolete}

    extracted, catalog = keys(_extract(tmp_path)), keys(_catalog())
    missing = sorted(extracted - catalog, key=str)
    stale = sorted(catalog - extracted, key=str)
    assert not missing and not stale, (
        f"{PO_NAME} is out of date with the sources: run `make messages`, "
        "then translate the new entries.\n"
        + "".join(f"new in the sources: {msgid!r}\n" for _c, msgid, _p in missing)
        + "".join(f"no longer in the sources: {msgid!r}\n" for _c, msgid, _p in stale)
    )


# --- Compiled catalog --------------------------------------------------------------------


def test_compile_translations_writes_a_catalog_django_reads(tmp_path, settings):
    po = tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    shutil.copy(PO_FILE, po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    call_command("compile_translations", verbosity=0)

    with (po.parent / "django.mo").open("rb") as mo:
        spanish = gnu_gettext.GNUTranslations(mo)
    assert spanish.gettext("My caseload") == "Mis casos"
    assert spanish.ngettext("%(n)s day ago", "%(n)s days ago", 3) == "hace %(n)s días"


def test_the_interface_speaks_spanish_with_the_compiled_catalog():
    """The build compiles locale/*/LC_MESSAGES/django.mo (`make test` does it first)."""
    with translation.override("es"):
        assert translation.gettext("My caseload") == "Mis casos", (
            "No Spanish catalog is loaded: run `make translations` "
            "(python manage.py compile_translations)."
        )


# --- Forms, as Python builds them ----------------------------------------------------------


def _form_classes():
    """Every form and filter set the apps define (importing each module of the apps)."""
    import importlib
    import inspect

    import django_filters
    from django import forms

    found = {}
    for path in _python_files():
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__.split(".")[0] not in APPS:
                continue
            if issubclass(cls, forms.BaseForm | django_filters.FilterSet):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def _unmarked_form_text() -> list[str]:
    """Labels, help texts and choice labels that are plain str (not lazy): a label built at
    import time with an f-string or .format() stays English whatever the language."""
    from django import forms
    from django.utils.functional import Promise

    def plain(text) -> bool:
        return isinstance(text, str) and not isinstance(text, Promise) and bool(WORD.search(text))

    found = []
    for name, cls in sorted(_form_classes().items()):
        fields = getattr(cls, "base_fields", None)
        if fields is None:  # a FilterSet: its form's fields
            fields = {n: f.field for n, f in cls.base_filters.items()}
        for field_name, field in fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            if field.label is None or plain(field.label):
                found.append(f"{name}.{field_name}: label {field.label!r}")
            if plain(field.help_text):
                found.append(f"{name}.{field_name}: help_text {field.help_text!r}")
            if isinstance(field, forms.ModelChoiceField) or not hasattr(field, "choices"):
                continue
            for value, label in field.choices:
                labels = label if isinstance(label, list | tuple) else [(value, label)]
                for value_, label_ in labels:
                    if plain(label_) and str(label_) != str(value_):  # time zones are data
                        found.append(f"{name}.{field_name}: choice {label_!r}")
    return found


def test_every_form_label_and_choice_is_translated_when_shown():
    found = _unmarked_form_text()
    assert not found, (
        "A form shows text that is not lazily translated (wrap it in gettext_lazy; build "
        "composite labels with django.utils.text.format_lazy, not f-strings):\n" + "\n".join(found)
    )
