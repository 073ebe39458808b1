"""Locust users for `bench/load.py`: 50 CHWs logging visits and reading their caseloads,
5 managers on their dashboards, against the demo program (password demo-pass-2026)."""

from __future__ import annotations

import itertools
import random
import re
import threading

from locust import HttpUser, between, task

PASSWORD = "demo-pass-2026"
_lock = threading.Lock()
_chws = itertools.cycle([f"chw{n}" for n in range(1, 9)])
_managers = itertools.cycle(["manager1", "manager2"])


def _next(names) -> str:
    with _lock:
        return next(names)


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    return found.group(1) if found else ""


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    names = _chws

    def on_start(self) -> None:
        page = self.client.get("/login/", name="/login/").text
        response = self.client.post(
            "/login/",
            {
                "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
                "username": _next(self.names),
                "password": PASSWORD,
            },
            name="/login/ (POST)",
        )
        if "/login/" in response.url:
            response.failure("sign-in failed")


class CHW(Staff):
    fixed_count = 50
    names = _chws

    def on_start(self) -> None:
        super().on_start()
        caseload = self.client.get("/caseload/", name="/caseload/").text
        self.enrollments = sorted(set(re.findall(r"/enrollments/(\d+)/", caseload)))

    @task(3)
    def caseload(self) -> None:
        self.client.get("/caseload/", name="/caseload/")

    @task(2)
    def patient(self) -> None:
        if self.enrollments:
            pk = random.choice(self.enrollments)
            self.client.get(f"/enrollments/{pk}/", name="/enrollments/[id]/")

    @task(1)
    def log_visit(self) -> None:
        if not self.enrollments:
            return
        path = f"/enrollments/{random.choice(self.enrollments)}/encounters/new/"
        form = self.client.get(path, name="/enrollments/[id]/encounters/new/").text
        with self.client.post(
            path,
            {
                "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
                "submission_key": _field(form, "submission_key"),
                "kind": "phone",
                "reached": "yes",
                "occurred_at": _field(form, "occurred_at"),
                "initiated_by": "chw",
                "duration_minutes": "10",
                "notes": "Load test call",
            },
            name="/enrollments/[id]/encounters/new/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"visit not saved ({response.status_code})")


class Manager(Staff):
    fixed_count = 5
    names = _managers

    @task(3)
    def team(self) -> None:
        self.client.get("/team/", name="/team/")

    @task(2)
    def alerts(self) -> None:
        self.client.get("/alerts/", name="/alerts/")

    @task(1)
    def supervision(self) -> None:
        self.client.get("/supervision/", name="/supervision/")
