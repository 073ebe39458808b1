"""Every page is declared (impact.pages) and every URL answers each role as DESIGN.md §4
says (tests/security/section4.py, written independently of the declarations): allowed →
the page (200, or a redirect that is not the sign-in page, or 405 for a POST-only URL
asked with GET); not allowed → 403, or the sign-in page for an anonymous visitor. Path
parameters are filled with an object in the role's own scope, so an allowed role never
gets 404 (two listed exceptions)."""

from __future__ import annotations

import logging
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from impact.models import Program
from impact.pages import DEFERRED_NAMESPACES, PolicyMiddleware, is_deferred, pages
from tests.security.section4 import CHW, EXPECTED, MANAGER, PUBLIC
from tests.security.world import PK_KIND, REDACT_ARGS, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
# The persona who plays each role (program P, team A).
PLAYERS = {ANONYMOUS: None, CHW: "a1", MANAGER: "ma", "leader": "leader", "admin": "admin"}
# Pages a role may open whose objects are never in that role's own scope: the manager's
# page about a CHW and its training form answer a CHW 404 (their own page is
# supervision:me), as for anything outside their scope.
NO_OWN_OBJECT = {("supervision:chw", CHW), ("supervision:training_new", CHW)}
# Pages a role may open whose view then refuses it (403): two-factor setup is not offered
# to a CHW who cannot open the Django admin.
VIEW_REFUSES = {("two_factor_setup", CHW)}
# Query strings a page needs for a role ("which CHW" for a manager's time-off form).
QUERIES = {("supervision:time_off_new", MANAGER): "?chw={chw}"}


def walk(resolver: URLResolver | None = None, namespaces: tuple = (), prefix: str = ""):
    """Every URL pattern of the URLconf: (namespaced name or None, route, parameters)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            regex = pattern.pattern.regex
            # Unnamed groups (simple-history's "<object>/history/<version>/") by position.
            params = list(regex.groupindex) or [f"#{i}" for i in range(regex.groups)]
            yield name, route, params, namespaces


def app_urls() -> dict[str, list[str]]:
    """The application's named URLs (the admin's aside) and their path parameters."""
    return {name: params for name, _route, params, _ns in walk() if name and not is_deferred(name)}


# -- (a) every URL has an entry, every entry a URL ------------------------------------------


def test_every_url_is_declared_and_in_section_4s_table():
    named = {name for name, *_ in walk() if name}
    undeclared = sorted(name for name, declared in pages().items() if declared is None)
    not_in_table = sorted(n for n in named if not is_deferred(n) and n not in EXPECTED)
    stale = sorted(set(EXPECTED) - named)
    unnamed = sorted(
        route
        for name, route, _p, ns in walk()
        if name is None and not (ns and ns[0] in DEFERRED_NAMESPACES)
    )
    assert not undeclared, f"Views without a page declaration (impact.pages.page): {undeclared}"
    assert not not_in_table, f"Pages missing from tests/security/section4.py: {not_in_table}"
    assert not stale, f"section4.py names URLs that do not exist: {stale}"
    assert not unnamed, f"URLs without a name (nothing can declare them): {unnamed}"


def test_every_url_with_a_primary_key_is_in_the_scope_test():
    with_pk = sorted(n for n, params in app_urls().items() if {"pk", "patient_pk"} & set(params))
    assert sorted(n for n in with_pk if n not in PK_KIND) == []
    assert sorted(set(PK_KIND) - set(with_pk)) == []


def test_the_token_api_passes_the_policy_and_answers_401_itself(client, org, login):
    url = reverse("reports:api_summary")
    assert client.get(url).status_code == 401
    # A session never authenticates the API, whoever holds it.
    assert login(org.leader).get(url).status_code == 401


def test_a_view_without_a_declaration_is_refused_and_logged(rf, org, caplog):
    def undeclared(request):
        raise AssertionError("never reached")

    middleware = PolicyMiddleware(lambda request: HttpResponse())
    request = rf.get(reverse("caseloads:mine"))
    request.resolver_match = get_resolver().resolve(request.path)
    request.user = org.a1
    with caplog.at_level(logging.ERROR, logger="impact.pages"), pytest.raises(PermissionDenied):
        middleware.process_view(request, undeclared, (), {})
    assert "caseloads:mine" in caplog.text


# -- (b) every URL as every role --------------------------------------------------------------


def own(w, user, kind: str):
    """An object of `kind` in the user's own scope (P's and team A's for the others)."""
    org = w.org
    chw = {org.ma.pk: org.a1, org.mb.pk: org.b1, w.mc.pk: w.c1}.get(
        getattr(user, "pk", None), user if getattr(user, "role", None) == CHW else org.a1
    )
    program = getattr(user, "program", None) or org.program
    holder = user.pk if user is not None and user.pk in w.token else org.leader.pk
    if kind == "chw":
        return chw
    if kind == "patient":
        return w.enrollment[chw.pk].patient
    if kind in ("enrollment", "goal", "step", "alert", "session", "follow_up"):
        return getattr(w, kind)[chw.pk]
    if kind == "partner":
        return w.partners[program.pk][0]
    if kind == "program":
        return program
    if kind in ("review", "cost", "funding"):
        return getattr(w, kind)[program.pk]
    return getattr(w, kind)[holder]


def url_for(w, name: str, params: list[str], user, role: str) -> str:
    kwargs = {}
    for param in params:
        if param in ("pk", "patient_pk"):
            kwargs[param] = own(w, user, PK_KIND[name]).pk
        elif param == "code":
            kwargs[param] = "contact_cadence"
        elif param in REDACT_ARGS:
            kwargs[param] = REDACT_ARGS[param]
        else:
            raise AssertionError(f"{name}: no value for the path parameter {param!r}")
    url = reverse(name, kwargs=kwargs)
    query = QUERIES.get((name, role))
    return url + query.format(chw=w.org.a1.pk) if query else url


def is_sign_in(response, login_path: str) -> bool:
    return response.status_code == 302 and urlparse(response.url).path == login_path


def check(name: str, role: str, response, login_path: str) -> str | None:
    """What is wrong with the answer, by §4's table, or None."""
    roles = EXPECTED[name][0]
    status = response.status_code
    if status >= 500:
        return f"{status}"
    allowed = PUBLIC in roles or role in roles
    if allowed:
        if (name, role) in NO_OWN_OBJECT:
            return None if status == 404 else f"{status}, expected 404"
        if (name, role) in VIEW_REFUSES:
            return None if status == 403 else f"{status}, expected 403"
        if status in (403, 404) or is_sign_in(response, login_path):
            return f"{status} {response.get('Location', '')}".strip()
        return None
    if role == ANONYMOUS:
        return None if is_sign_in(response, login_path) else f"{status}, expected sign-in"
    return None if status == 403 else f"{status}, expected 403"


def test_every_url_answers_every_role_as_the_table_says(client, login, world):  # noqa: F811
    login_path = resolve_url(settings.LOGIN_URL)
    urls = app_urls()
    users = {role: world.org.__dict__.get(username) for role, username in PLAYERS.items()}
    failures, cells = [], 0
    for role, user in users.items():
        client.logout()
        if user is not None:
            login(user)
        for name, params in sorted(urls.items()):
            response = client.get(url_for(world, name, params, user, role))
            cells += 1
            problem = check(name, role, response, login_path)
            if problem:
                failures.append(f"{name} as {role}: {problem}")
    print(f"\nURL x role cells checked: {cells} ({len(urls)} URLs x {len(users)} roles)")
    assert not failures, "\n".join(failures)
    assert cells == len(urls) * 5 and len(urls) == len(EXPECTED)


# -- the Django admin: its own staff check ------------------------------------------------------


def admin_urls() -> dict[str, list[str]]:
    return {name: params for name, _r, params, _ns in walk() if name and is_deferred(name)}


def admin_object(name: str):
    """The first object of the model an admin URL name is about (None: none, or no model)."""
    models = {f"admin:{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    model = next((m for prefix, m in models.items() if name.startswith(prefix + "_")), None)
    return model._default_manager.order_by("pk").first() if model is not None else None


def admin_url(name: str, params: list[str], w) -> str:
    """The admin URL with a real object where one exists."""
    obj = admin_object(name)
    if params == ["#0", "#1"]:  # the object and one of its historical versions
        latest = obj.history.order_by("-pk").first() if obj is not None else None
        return reverse(name, args=[obj.pk if obj else 0, latest.pk if latest else 0])
    kwargs = {}
    for param in params:
        if param in ("object_id", "pk"):
            kwargs[param] = obj.pk if obj is not None else Program.objects.order_by("pk")[0].pk
        elif param == "id":
            kwargs[param] = w.org.admin.pk
        elif param == "app_label":
            kwargs[param] = "caseloads"
        elif param == "content_type_id":
            kwargs[param] = ContentType.objects.get_for_model(Program).pk
        elif param == "version_id":  # django-simple-history's view of one version
            history = getattr(obj, "history", None)
            latest = history.order_by("-pk").first() if history is not None else None
            kwargs[param] = latest.pk if latest else 0
        else:
            raise AssertionError(f"{name}: no value for the path parameter {param!r}")
    return reverse(name, kwargs=kwargs)


# The admin answers its staff these even when allowed: an object with no page on the site
# (no model has get_absolute_url), and an autocomplete request without its parameters.
ADMIN_STAFF_EXPECTED = {"admin:view_on_site": 404, "admin:autocomplete": 403}


def read_only_adds(rf, user) -> set[str]:
    """The admin's add and delete pages its own model permissions close (logs, task
    results, the access log): 403 for the staff too."""
    request = rf.get("/")
    request.user = user
    closed = set()
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if not model_admin.has_add_permission(request):
            closed.add(f"{prefix}_add")
        if not model_admin.has_delete_permission(request):
            closed.add(f"{prefix}_delete")
    return closed


def test_the_admin_urls_keep_the_admins_own_staff_check(client, rf, login, world):  # noqa: F811
    admin_login = reverse("admin:login")
    urls = admin_urls()
    users = {role: world.org.__dict__.get(username) for role, username in PLAYERS.items()}
    login(world.org.admin)
    # With two-factor required for the admin, a session without a verified device is sent
    # to the admin's sign-in like everyone else: the policy must not change that either.
    staff_enters = not is_sign_in(client.get(reverse("admin:index")), admin_login)
    read_only = read_only_adds(rf, world.org.admin)
    failures, cells = [], 0
    for role, user in users.items():
        client.logout()
        if user is not None:
            login(user)
        enters = user is not None and user.is_staff and staff_enters
        for name, params in sorted(urls.items()):
            response = client.get(admin_url(name, params, world))
            cells += 1
            status = response.status_code
            if name in ("admin:login", "admin:logout"):  # the admin's own sign-in and -out
                ok = status in (200, 302, 405)
            elif enters:
                expected = ADMIN_STAFF_EXPECTED.get(name) or (403 if name in read_only else None)
                about_an_object = {"object_id", "pk", "#0"} & set(params)
                if about_an_object and admin_object(name) is None:
                    # No row of that model in the world: the admin says so (a redirect to
                    # its index, or simple-history's 404), never its sign-in page.
                    ok = status in (302, 404) and not is_sign_in(response, admin_login)
                elif expected:
                    ok = status == expected
                else:
                    ok = (status < 400 or status == 405) and not is_sign_in(response, admin_login)
            else:
                ok = is_sign_in(response, admin_login)
            if not ok:
                failures.append(f"{name} as {role}: {status} {response.get('Location', '')}")
    print(f"\nAdmin URL x role cells checked: {cells} ({len(urls)} URLs x {len(users)} roles)")
    assert not failures, "\n".join(failures)
