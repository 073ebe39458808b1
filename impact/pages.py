"""Pages as declarations (DESIGN.md §2 and §4): each view says once, where it is written,
who may open it, whether it is patient-level, and where it sits in the menu.

    @page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
    @require_GET
    def enrollment_detail(request: AuthenticatedHttpRequest, pk: int): ...

    @page(LEADER_LEVEL, patient_level=False, menu=Menu(_("ROI"), 20))
    def roi(request: AuthenticatedHttpRequest): ...

Everything else is generated from the declarations:

- **the access policy**: `PolicyMiddleware` reads the declaration of the view a URL
  resolves to, before the view runs, deny by default: a view with no declaration is
  refused (403 signed in, the sign-in page otherwise) and an error logged; an anonymous
  visitor on a page that is not public goes to the sign-in page; a role not declared
  gets 403. The declared view checks the same roles again itself (defence in depth, and
  it receives an `AuthenticatedHttpRequest`);
- **the access log's list** (`impact.audit`): every request to a page declared
  patient-level is logged, with `pk` naming what the URL's primary key is;
- **the menus** (`impact.context_processors.navigation`): each role's menu is the pages
  whose `Menu` that role may see, in `order`, grouped by `MenuGroup`.

The roles a page declares answer "may this role open this kind of page at all"; *which*
objects a user sees stays the selectors' job (404 outside the scope). A patient-level page
never lets leaders in (DESIGN.md §4: "never"); `page()` refuses such a declaration.

The security tests do not read the declarations for their expected answers: they keep
§4's table page by page (`tests/security/section4.py`), so a wrong declaration fails.

Only the Django admin's URLs are not declared (`DEFERRED_NAMESPACES`): the admin applies
its own staff check to each, and its patient-level pages are those of the models whose
`ModelAdmin` says `patient_level = True` (`impact.audit`). Django's own views (sign-in,
sign-out, the language cookie) are declared where the root URLconf wires them.

Adding a page: decorate its view with `page(...)` and add its path to the app's
`urls.py`; until it is declared it answers 403. Then add its line to
`tests/security/section4.py` (and, if its path takes a primary key, to the scope test).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext_lazy as _

from impact.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

PUBLIC = "public"  # anyone, signed in or not; the view authenticates if it needs to

CHW, MANAGER, LEADER, ADMIN = (
    Role.CHW.value,
    Role.MANAGER.value,
    Role.LEADER.value,
    Role.ADMIN.value,
)
ROLES = (CHW, MANAGER, LEADER, ADMIN)

ANYONE = frozenset({PUBLIC})
SIGNED_IN = frozenset(ROLES)
# Who opens patient-level pages: CHWs (their own enrollments) and managers (their teams');
# leaders never (DESIGN.md §4), administrators through the Django admin only.
CHW_AND_MANAGER = frozenset({CHW, MANAGER})
MANAGER_ONLY = frozenset({MANAGER})
CHW_ONLY = frozenset({CHW})
# Program-level, de-identified figures, money, imports, exports and API tokens.
LEADER_LEVEL = frozenset({LEADER, ADMIN})
# Fidelity reviews and the CFIR log: read by all of the program's staff.
PROGRAM_STAFF = frozenset({CHW, MANAGER, LEADER, ADMIN})

# Namespaces whose own application checks every request (the Django admin: is_staff).
DEFERRED_NAMESPACES = ("admin",)


@dataclass(frozen=True)
class MenuGroup:
    """Pages shown as one menu (a dropdown) at `order`."""

    label: StrOrPromise
    order: int


@dataclass(frozen=True)
class Menu:
    """A page's entry in the menu of `roles` (default: every role the page declares)."""

    label: StrOrPromise
    order: int
    roles: frozenset[str] | None = None
    group: MenuGroup | None = None


@dataclass(frozen=True)
class Page:
    roles: frozenset[str]
    patient_level: bool
    pk: str | None = None  # what the URL's primary key names, for the access log
    menu: tuple[Menu, ...] = ()


_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def page(
    roles: Iterable[str],
    *,
    patient_level: bool,
    pk: str | None = None,
    menu: Menu | tuple[Menu, ...] = (),
) -> Callable[[_View], _View]:
    """Declare the decorated view as a page (see the module docstring)."""
    declared = Page(
        roles=frozenset(roles),
        patient_level=patient_level,
        pk=pk,
        menu=(menu,) if isinstance(menu, Menu) else menu,
    )
    _check(declared)

    def decorator(view: _View) -> _View:
        if PUBLIC in declared.roles:

            @functools.wraps(view)
            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                return view(request, *args, **kwargs)

        else:

            @functools.wraps(view)
            @login_required
            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                if getattr(request.user, "role", None) not in declared.roles:
                    raise PermissionDenied
                return view(request, *args, **kwargs)

        wrapper.page = declared  # type: ignore[attr-defined]  # read by declaration()
        return cast("_View", wrapper)

    return decorator


def _check(declared: Page) -> None:
    unknown = declared.roles - {*ROLES, PUBLIC}
    if unknown or not declared.roles:
        raise ImproperlyConfigured(f"A page declares unknown or no roles: {sorted(unknown)}")
    if declared.patient_level and not declared.roles <= CHW_AND_MANAGER | {ADMIN}:
        raise ImproperlyConfigured(
            "A patient-level page opens to CHWs and managers (and administrators) only, "
            f"never leaders or the public (DESIGN.md §4): {sorted(declared.roles)}"
        )
    if declared.pk is not None and not declared.patient_level:
        raise ImproperlyConfigured("`pk` names what the access log records: patient-level only")
    for entry in declared.menu:
        if entry.roles is not None and not entry.roles <= declared.roles:
            raise ImproperlyConfigured("A menu entry shows a page to a role it refuses.")


def declaration(view: Callable | None) -> Page | None:
    return getattr(view, "page", None)


def is_deferred(view_name: str) -> bool:
    """A URL whose own application checks access (the Django admin)."""
    return ":" in view_name and view_name.split(":", 1)[0] in DEFERRED_NAMESPACES


def _walk(resolver: URLResolver, namespaces: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), pattern.callback


def pages() -> dict[str, Page | None]:
    """Every named URL of the URLconf outside the Django admin, and its declaration (None:
    undeclared, so refused)."""
    return _pages(settings.ROOT_URLCONF)


@functools.cache
def _pages(urlconf: str) -> dict[str, Page | None]:
    return {
        name: declaration(view)
        for name, view in _walk(get_resolver(urlconf), ())
        if not is_deferred(name)
    }


def patient_level_pages() -> dict[str, str | None]:
    """The access log's list: URL name → what its primary key names (None: none)."""
    return {name: p.pk for name, p in pages().items() if p is not None and p.patient_level}


# The one menu entry that is not a page of ours: the Django admin's index, for admins.
ADMINISTRATION = ("admin:index", Menu(_("Administration"), 90))


@functools.cache
def menu_for(role: str) -> tuple[tuple[str | MenuGroup, tuple[tuple[str, Menu], ...]], ...]:
    """The role's menu in order: (URL name, ((name, entry),)) for a page, and
    (group, ((name, entry), …)) for a group of pages."""
    entries = [
        (name, entry)
        for name, declared in pages().items()
        if declared is not None
        for entry in declared.menu
        if role in (entry.roles or declared.roles)
    ]
    if role == ADMIN:
        entries.append(ADMINISTRATION)
    slots: dict[str | MenuGroup, list[tuple[str, Menu]]] = {}
    for name, entry in sorted(entries, key=lambda item: item[1].order):
        slots.setdefault(entry.group or name, []).append((name, entry))

    def order(slot: str | MenuGroup) -> int:
        return slot.order if isinstance(slot, MenuGroup) else slots[slot][0][1].order

    return tuple((slot, tuple(slots[slot])) for slot in sorted(slots, key=order))


class PolicyMiddleware:
    """Enforce the declarations before the view runs (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if is_deferred(view_name):
            return None
        declared = declaration(view_func)
        user = request.user
        if declared is None:
            logger.error(
                "The view of URL name %r (%s) declares no page: refused. Decorate it "
                "with impact.pages.page.",
                view_name,
                request.path,
            )
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        if PUBLIC in declared.roles:
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role not in declared.roles:
            raise PermissionDenied
        return None
