"""Audit (DESIGN.md §4, "every view of a patient-level page and every export is recorded;
every write keeps its history").

Two records, both append-only:

- **History** of every clinical and supervision record (django-simple-history): each such
  model declares `history = audit.history()` (`history_models()` finds them). A save or
  delete writes its historical row through the library's signals; bulk writes go through
  `bulk_create`, `bulk_update`, `update` and `record` here, which copy each changed row to
  its historical table in one `INSERT … SELECT` per 900 rows (`copy_to_history`). *Who* is
  the signed-in user of the web request (`HistoryRequestMiddleware`), or the actor a task
  or command names with `acting_as` (`history_change_reason` then carries its label, e.g.
  "system: daily alert sweep").
- **The access log** (`impact.models.AccessLog`): `AccessLogMiddleware` records every
  request to a page declared patient-level (`impact.pages`; and the Django admin's pages
  of the models whose admin declares `patient_level = True`) and every file a response
  hands over (an attachment: the leader exports, the implementation log's CSV, any later
  download), with the row count of CSV and XLSX files; `log_export` records what tasks,
  commands and the API hand over.

Neither can be changed or deleted through the application: the admin is read-only, and
database triggers abort any UPDATE or DELETE of their tables on SQLite and PostgreSQL,
except a redaction of the historical tables' allowlisted text (`impact.append_only`).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections, models, transaction
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.core.management.base import BaseCommand
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

    from impact.models import AccessLog, Program, User
    from impact.pages import Page

# -- who is acting ------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who a write or a read is attributed to outside a web request: a user (an export
    task acts for the leader who asked) and/or a label naming the process."""

    user: User | None
    label: str


_actor: ContextVar[Actor | None] = ContextVar("impact_audit_actor", default=None)

# Labels of the system's own processes (the history's `history_change_reason`).
ALERT_SWEEP = "system: daily alert sweep"
SETTINGS_CHANGED = "system: re-flag after a settings change"
BURNOUT_SNAPSHOT = "system: weekly burnout snapshot"


@contextmanager
def acting_as(who: User | str | None, label: str = "") -> Iterator[Actor]:
    """Attribute the writes and reads inside the block to `who`: a user (a task acting for
    them) or a label for the system itself ("system: daily alert sweep"). A label alone
    records no user; a user alone is labelled with their username."""
    if isinstance(who, str):
        actor = Actor(user=None, label=who)
    else:
        actor = Actor(user=who, label=label or (f"user: {who.get_username()}" if who else ""))
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    return _actor.get()


@contextmanager
def system(label: str) -> Iterator[None]:
    """Label the block as the system's own work unless someone is already named (a task
    or command's `acting_as`, or the signed-in user of the request that caused it)."""
    if _actor.get() is not None or current_user() is not None:
        yield
        return
    with acting_as(label):
        yield


def audited_command(cls: type[BaseCommand]) -> type[BaseCommand]:
    """Class decorator for a management command: everything its `handle` writes or reads
    is attributed to "command: <its name>"."""
    handle = cls.handle
    name = cls.__module__.rsplit(".", 1)[-1]

    def audited_handle(self: BaseCommand, *args: Any, **options: Any) -> str | None:
        with acting_as(f"command: {name}"):
            return handle(self, *args, **options)

    cls.handle = audited_handle  # type: ignore[method-assign]  # the decorator's purpose
    return cls


def _request() -> HttpRequest | None:
    """The web request being served on this thread (set by HistoryRequestMiddleware)."""
    return getattr(HistoricalRecords.context, "request", None)


def current_user(request: HttpRequest | None = None) -> User | None:
    """The named actor's user, else the signed-in user of the request being served."""
    actor = _actor.get()
    if actor is not None and actor.user is not None:
        return actor.user
    request = request or _request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def current_label() -> str:
    actor = _actor.get()
    return actor.label if actor is not None else ""


def history_user(instance: Any = None, request: HttpRequest | None = None, **kwargs) -> Any:
    """simple-history's `get_user`: the named actor first, then the request's user."""
    return current_user(request)


def label_history(sender, history_instance, **kwargs) -> None:
    """`pre_create_historical_record` receiver: a row written inside `acting_as` names the
    process, unless the write gave its own reason."""
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = current_label() or None


def history(**kwargs) -> HistoricalRecords:
    """The `history` field of an audited model.

    The user is kept as a plain id (`history_user_id`), not a foreign key: a foreign key
    would be set to NULL when a user is deleted, an UPDATE that the append-only trigger
    refuses (and that would erase who did it). Reverting from the admin is disabled
    (`HistoryAdmin`): every write goes through a service."""
    return HistoricalRecords(
        get_user=history_user,
        history_user_id_field=models.BigIntegerField(null=True, blank=True, db_index=True),
        **kwargs,
    )


def history_of(model: type[models.Model]) -> Any:
    """The model's simple-history manager (`Model.history`, its historical rows)."""
    return model.history  # type: ignore[attr-defined]  # simple-history has no types


def history_models() -> list[type[models.Model]]:
    """Every model that keeps its history: each says so itself, in its app, with
    `history = audit.history()` (tests/audit/test_history.py keeps the expected list)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


# -- bulk writes with their history -------------------------------------------------------

CHUNK = 900  # ids per query: under any database's limit on query parameters


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def copy_to_history(queryset: QuerySet, *, history_type: str = "~") -> int:
    """Write one historical row per row of `queryset`, copied as the rows are now in the
    database, in one `INSERT … SELECT` (the rows never travel through Python, so the copy is
    exact and a thousand rows cost one query). The actor is the current one (`acting_as`,
    or the request's user). Returns the number of historical rows written.

    This is what simple-history's `bulk_history_create` writes, field for field: the
    historical table has the model's columns under the same names, then `history_date`,
    `history_type`, `history_user_id` and `history_change_reason`."""
    model = queryset.model
    historical = model.history.model
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in historical.tracked_fields]
    extra = ["history_date", "history_type", "history_user_id", "history_change_reason"]
    user = current_user()
    values = [
        historical._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection),
        history_type,
        user.pk if user is not None else None,
        current_label()[:100] or None,
    ]
    select, params = queryset.values_list("pk").query.sql_with_params()
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} "
        f"({', '.join(columns + [quote(name) for name in extra])}) "
        f"SELECT {', '.join(columns)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({select})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
        return cursor.rowcount


def record(model: type[models.Model], pks: Sequence, *, history_type: str = "~") -> int:
    """The historical rows of rows just written without signals (`QuerySet.update()`,
    `bulk_create`, `bulk_update`): one `INSERT … SELECT` per 900 ids."""
    return sum(
        copy_to_history(model._base_manager.filter(pk__in=chunk), history_type=history_type)
        for chunk in _chunks(list(pks))
    )


def bulk_create(model: type[models.Model], objs: Iterable, batch_size: int = 500) -> list:
    """`bulk_create`, then one historical row per created row ("+"): the inserts in
    batches, and one query per 900 rows for their history."""
    objs = list(objs)
    if not objs:
        return []
    with transaction.atomic(savepoint=False):
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
        if any(obj.pk is None for obj in created):  # a database that returns no ids
            raise NotImplementedError("bulk_create returned no primary keys")
        record(model, [obj.pk for obj in created], history_type="+")
    return created


def bulk_update(
    model: type[models.Model], objs: Iterable, fields: Sequence[str], batch_size: int = 500
) -> int:
    """`bulk_update`, then one historical row per row ("~"), copied from the database."""
    objs = list(objs)
    if not objs:
        return 0
    with transaction.atomic(savepoint=False):
        changed = model._default_manager.bulk_update(objs, list(fields), batch_size=batch_size)
        record(model, [obj.pk for obj in objs])
    return changed


@contextmanager
def signal_history_off() -> Iterator[None]:
    """Turn off simple-history's per-row signals (its documented `SIMPLE_HISTORY_ENABLED`
    switch) for a block whose writes already have their history, written in bulk (a wipe
    that copied every row to history as deleted first)."""
    from django.test.utils import override_settings

    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        yield


def update(queryset: QuerySet, **fields) -> int:
    """`queryset.update(**fields)` with one historical row per updated row.

    The matching ids are read (and locked, where the database locks rows) first; the update
    keeps the queryset's own conditions, so a compare-and-set (`filter(status="open")`)
    still changes only rows that match. Returns the number of rows updated."""
    with transaction.atomic():
        features = connections[queryset.db].features
        locked = (
            queryset.select_for_update(of=("self",))
            if features.has_select_for_update_of
            else queryset.select_for_update()
        )
        pks = list(locked.values_list("pk", flat=True))
        changed = 0
        for chunk in _chunks(pks):
            changed += queryset.filter(pk__in=chunk).update(**fields)
            copy_to_history(queryset.model._base_manager.filter(pk__in=chunk))
    return changed


# -- the access log -----------------------------------------------------------------------

# Every export, and what logs it. Any response that is an attachment (a file download) is
# logged by the middleware, whatever its URL, so a new download is logged without a change
# here; the others call `log_export` themselves.
EXPORTS: dict[str, str] = {
    "reports:exports": "leader exports answered in the request (CSV, XLSX, PDF): attachment",
    "reports:export_download": "a background export's file: attachment",
    "reports:export_run": "the task building a background export (reports.tasks)",
    "fidelity:log_csv": "the implementation log's CSV: attachment",
    "reports:api_summary": "the API's JSON, for the token's user (reports.api.views)",
    "command: roi_summary": "the ROI summary command, to a file or standard output",
}

# The Django admin's pages (list, change, history, delete) of the models whose `ModelAdmin`
# declares `patient_level = True` are logged too.
_ADMIN_PAGES = ("changelist", "change", "history", "delete", "simple_history")


@functools.cache
def admin_urls() -> dict[str, str]:
    """URL name → the model's name, for the admin's pages of patient-level models."""
    from django.contrib import admin

    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{kind}": str(
            model._meta.model_name
        )
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "patient_level", False)
        for kind in _ADMIN_PAGES
    }


def _declared(match: ResolverMatch) -> Page | None:
    from impact.pages import declaration  # the pages module imports the models

    return declaration(match.func)


def is_logged_view(match: ResolverMatch) -> bool:
    """A page declared patient-level (impact.pages), or an admin page of a patient-level
    model."""
    declared = _declared(match)
    if declared is not None:
        return declared.patient_level
    return match.view_name in admin_urls()


def _object_ids(match: ResolverMatch) -> dict[str, Any]:
    """The objects a URL names: `pk` under the name of what it is, other keys as given."""
    declared = _declared(match)
    ids: dict[str, Any] = {}
    for key, value in match.kwargs.items():
        if key == "pk":
            key = (declared.pk if declared is not None else None) or "pk"
        elif key == "patient_pk":
            key = "patient"
        elif key == "object_id":
            key = admin_urls().get(match.view_name, "object")
        ids[key] = value
    return ids


def _row(
    *,
    kind: str,
    user: User | None,
    url_name: str = "",
    path: str = "",
    method: str = "",
    status_code: int | None = None,
    object_ids: dict | None = None,
    program: Program | None = None,
    rows: int | None = None,
    fmt: str = "",
    size: int | None = None,
) -> AccessLog:
    from impact.models import AccessLog

    actor = _actor.get()
    user = user or (actor.user if actor else None)
    return AccessLog.objects.create(
        kind=kind,
        user_id=user.pk if user is not None else None,
        username=user.get_username() if user is not None else "",
        role=getattr(user, "role", "") if user is not None else "",
        actor=actor.label if actor else "",
        url_name=url_name[:100],
        path=path[:500],
        method=method[:8],
        status_code=status_code,
        object_ids=object_ids or {},
        program_id=program.pk if program is not None else getattr(user, "program_id", None),
        rows=rows,
        format=fmt[:10],
        size=size,
    )


def log_view(request: HttpRequest, response: HttpResponse) -> AccessLog:
    """Record a request to a patient-level page."""
    from impact.models import AccessLog

    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    return _row(
        kind=AccessLog.Kind.VIEW,
        user=request.user if request.user.is_authenticated else None,
        url_name=view_name,
        path=request.path,
        method=request.method or "",
        status_code=response.status_code,
        object_ids=_object_ids(match) if match is not None else None,
    )


def log_export(
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    what: str,
    fmt: str,
    rows: int | None = None,
    content: bytes | None = None,
    program: Program | None = None,
    path: str = "",
    object_ids: dict | None = None,
) -> AccessLog:
    """Record a file or data handed over: by a view (`request`), or by a task or command
    (inside `acting_as`). `what` names it (a URL name, "task: export job 12", "command:
    roi_summary"); the row count is counted from `content` when not given."""
    from impact.models import AccessLog

    if rows is None and content is not None:
        rows = export_rows(content, fmt)
    if request is not None:
        user = user or (request.user if request.user.is_authenticated else None)
        path = path or request.path
    return _row(
        kind=AccessLog.Kind.EXPORT,
        user=user,
        url_name=what,
        path=path,
        method=(request.method or "") if request is not None else "",
        status_code=200 if request is not None else None,
        object_ids=object_ids,
        program=program,
        rows=rows,
        fmt=fmt,
        size=len(content) if content is not None else None,
    )


def export_rows(content: bytes, fmt: str) -> int | None:
    """Data rows in an exported file: CSV records after the header; XLSX rows after each
    sheet's header. None for formats without rows (PDF, JSON)."""
    fmt = fmt.lower()
    try:
        if fmt == "csv":
            text = content.decode("utf-8-sig", errors="replace")
            return max(0, sum(1 for _row in csv.reader(io.StringIO(text))) - 1)
        if fmt == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content), read_only=True)
            try:
                return sum(max(0, (sheet.max_row or 0) - 1) for sheet in book.worksheets)
            finally:
                book.close()
    except Exception:  # an unreadable file is still logged, without a count
        return None
    return None


def _attachment_format(response: HttpResponse) -> str | None:
    disposition = response.get("Content-Disposition", "")
    if not disposition.startswith("attachment"):
        return None
    name = disposition.rsplit("filename", 1)[-1].strip("=*\"' ")
    ext = name.rsplit(".", 1)[-1].strip("\"'").lower() if "." in name else ""
    return ext[:10] or "file"


def _resolve(request: HttpRequest):
    """The URL's match when a middleware answered before the view was resolved."""
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


class AccessLogMiddleware:
    """Record every request to a patient-level page, and every attachment, after it was
    answered (so the answer's status is known). Place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        match = getattr(request, "resolver_match", None) or _resolve(request)
        if match is None:
            return response
        fmt = _attachment_format(response)
        if fmt is not None:
            streaming = getattr(response, "streaming", False)
            log_export(
                request=request,
                what=match.view_name,
                fmt=fmt,
                content=None if streaming else response.content,
                # A view may name what the file holds (the leader exports: period, kind).
                object_ids={
                    **_object_ids(match),
                    **getattr(response, "export_details", {}),
                },
            )
        elif is_logged_view(match):
            log_view(request, response)
        return response
