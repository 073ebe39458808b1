"""The Content Security Policy: only this site's scripts and styles, no inline script;
the templates keep to it (a new inline script or onclick fails here, not in production)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_every_page_carries_a_policy_without_inline_script(client, org, login):
    for response in (client.get(reverse("login")), login(org.a1).get(reverse("caseloads:mine"))):
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src-elem"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_template_has_inline_script_or_event_handlers():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_htmx_is_told_not_to_inject_styles_or_eval(client):
    page = client.get(reverse("login")).content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page
