"""Several CHWs log visits at once against the real server (gunicorn, three worker
processes) on one SQLite file: no "database is locked" error, no lost write.

SQLite allows one writer at a time; the settings open IMMEDIATE transactions with a
20-second busy timeout, so concurrent writers queue for the lock instead of failing.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHWS = 8
VISITS_EACH = 6
PASSWORD = "a-long-test-password-2026"

SETUP = f"""
import datetime as dt
from caseloads.models import Enrollment, Patient
from impact.models import Program, Role, Team, User
program = Program.objects.create(name="Load program")
team = Team.objects.create(program=program, name="Team")
today = program.today()
for n in range({CHWS}):
    chw = User(username=f"w{{n}}", role=Role.CHW, program=program, team=team)
    chw.set_password("{PASSWORD}")
    chw.save()
    patient = Patient.objects.create(
        program=program, given_name="P", family_name=f"W{{n}}",
        date_of_birth=dt.date(1970, 1, 1), preferred_language="en",
    )
    Enrollment.objects.create(
        patient=patient, program=program, chw=chw, status="enrolled",
        referred_on=today, enrolled_on=today,
        planned_end_on=today + dt.timedelta(days=180),
    )
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "impact.settings",
        "SQLITE_PATH": str(tmp_path / "load.sqlite3"),
        "SECRET_KEY": "concurrency-test-secret-not-for-production-0123456789",
        "DEBUG": "false",
        # TESTING on only so that the server runs on the suite's clock when the suite is
        # travelled (IMPACT_TEST_NOW, README "Tests at any hour"); tasks stay queued as in
        # production rather than run inside the request.
        "TESTING": "true",
        "Q_SYNC": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DATABASE_URL", None)  # this test is about SQLite
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT)
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [python, "-m", "gunicorn", "impact.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url, env, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def _visit_logger(url: str, n: int) -> list[int]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        """A redirect is the answer to check (302 after a saved form), not to follow."""

        def redirect_request(self, *args, **kwargs):
            return None

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def token(html: str, name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]+)"', html)
        assert found is not None, name
        return found.group(1)

    def post(path: str, fields: dict) -> int:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(f"{url}{path}", data=data, headers={"Referer": url})
        try:
            return opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    login = opener.open(f"{url}/login/", timeout=30).read().decode()
    status = post(
        "/login/",
        {
            "csrfmiddlewaretoken": token(login, "csrfmiddlewaretoken"),
            "username": f"w{n}",
            "password": PASSWORD,
        },
    )
    assert status == 302, f"w{n} could not sign in ({status})"
    caseload = opener.open(f"{url}/caseload/", timeout=30).read().decode()
    link = re.search(r"/enrollments/(\d+)/", caseload)
    assert link is not None
    enrollment = link.group(1)
    path = f"/enrollments/{enrollment}/encounters/new/"
    answers = []
    for visit in range(VISITS_EACH):
        form = opener.open(f"{url}{path}", timeout=30).read().decode()
        answers.append(
            post(
                path,
                {
                    "csrfmiddlewaretoken": token(form, "csrfmiddlewaretoken"),
                    "submission_key": token(form, "submission_key"),
                    "kind": "phone",
                    "reached": "yes",
                    "occurred_at": token(form, "occurred_at"),  # now, as the form offers
                    "initiated_by": "chw",
                    "duration_minutes": "15",
                    "notes": f"Visit {visit} by w{n}",
                },
            )
        )
    return answers


def test_concurrent_visit_logging_loses_nothing_and_never_locks(server):
    url, env, log = server
    with ThreadPoolExecutor(max_workers=CHWS) as pool:
        answers = [a for chw in pool.map(lambda n: _visit_logger(url, n), range(CHWS)) for a in chw]
    assert answers == [302] * (CHWS * VISITS_EACH)  # every visit saved and redirected
    count = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from django.db.models import Max; from caseloads.models import Encounter; "
            "print(Encounter.objects.count(), "
            "Encounter.objects.aggregate(m=Max('occurred_at'))['m'].isoformat())",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    count, latest = count.splitlines()[-1].split()  # after the shell's banner
    assert count == str(CHWS * VISITS_EACH)
    # The server logged the visits at the suite's clock (travelled or not).
    assert abs(dt.datetime.fromisoformat(latest) - dt.datetime.now(dt.UTC)) < dt.timedelta(
        minutes=5
    )
    text = log.read_text()
    assert "database is locked" not in text and "Traceback" not in text
