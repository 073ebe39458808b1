"""Object-level scope (DESIGN.md §4): every URL that names an object by its primary key,
asked by every persona for every object outside their scope, answers 404 (or 403 when the
role may never open that kind of page) and never the object. List pages show exactly the
objects in scope, compared as sets of primary keys."""

from __future__ import annotations

from django.urls import reverse

from tests.security import section4
from tests.security.world import (  # noqa: F401
    PK_KIND,
    REDACT_ARGS,
    in_scope,
    objects,
    personas,
    world,
)

# URLs that only accept POST: asked with POST (an empty form), the others with GET. Either
# way the object is fetched, in scope, before anything else happens.
POST_ONLY = {
    "caseloads:reassign",
    "caseloads:extend",
    "caseloads:alert_acknowledge",
    "caseloads:alert_resolve",
    "actionplans:step_done",
    "actionplans:step_postpone",
    "supervision:follow_up_done",
    "fidelity:finalize",
    "reports:token_revoke",
    "reports:cost_delete",
    "reports:funding_delete",
    "reports:utilization_confirm",
    "reports:utilization_discard",
}


def _url(name: str, pk: int) -> str:
    kwargs: dict[str, int | str] = {
        "patient_pk" if name == "caseloads:enrollment_new" else "pk": pk
    }
    if name == "fidelity:cases":
        kwargs["code"] = "contact_cadence"
    if name == "redact":
        kwargs |= REDACT_ARGS
    return reverse(name, kwargs=kwargs)


def test_no_persona_opens_an_object_outside_their_scope(client, login, world):  # noqa: F811
    attempts, leaks, failures = 0, 0, []
    refused = {403: 0, 404: 0}
    for username, user in personas(world).items():
        client.logout()
        login(user)
        for name, kind in sorted(PK_KIND.items()):
            allowed = user.role in section4.roles(name)
            for obj, owner in objects(world, kind):
                if allowed and in_scope(world, user, kind, owner):
                    continue
                url = _url(name, obj.pk)
                response = client.post(url) if name in POST_ONLY else client.get(url)
                attempts += 1
                expected = 404 if allowed else 403
                status = response.status_code
                if status < 400:
                    leaks += 1
                if status != expected:
                    failures.append(f"{name} {kind} of {owner} as {username}: {status}")
                else:
                    refused[status] += 1
    print(
        f"\nCross-scope attempts: {attempts} ({refused[404]} answered 404, {refused[403]} "
        f"answered 403); leaks: {leaks}"
    )
    assert leaks == 0 and not failures, "\n".join(failures)
    assert attempts > 1000


# -- list pages: exact sets -------------------------------------------------------------------


def pks(rows) -> set[int]:
    return {row.pk for row in rows}


def test_the_chw_caseload_lists_exactly_their_active_enrollments(client, login, world):  # noqa: F811
    org, e = world.org, world.enrollment
    page = login(org.a1).get(reverse("caseloads:mine"))
    assert {row.enrollment.pk for row in page.context["rows"]} == {e[org.a1.pk].pk}
    assert pks(page.context["alerts"]) == {world.alert[org.a1.pk].pk}
    # The manager opens one of their CHWs' caseloads, never another team's.
    client.logout()
    manager = login(org.ma)
    page = manager.get(reverse("caseloads:mine") + f"?chw={org.a2.pk}")
    assert {row.enrollment.pk for row in page.context["rows"]} == {e[org.a2.pk].pk}
    for stranger in (org.b1, world.c1):
        url = reverse("caseloads:mine") + f"?chw={stranger.pk}"
        assert manager.get(url).status_code == 404


def test_the_team_page_lists_exactly_the_managers_chws_and_enrollments(client, login, world):  # noqa: F811
    org, e = world.org, world.enrollment
    for manager, chws in ((org.ma, [org.a1, org.a2]), (org.mb, [org.b1, org.b2])):
        client.logout()
        page = login(manager).get(reverse("caseloads:team"))
        assert pks(page.context["chws"]) == pks(chws)
        # Every world enrollment is stale (enrolled 200 days ago, never contacted).
        assert {row.enrollment.pk for row in page.context["stale"]} == {
            e[chw.pk].pk for chw in chws
        }
        assert {c.pk: c.active for c in page.context["chws"]} == {chw.pk: 1 for chw in chws}


def test_the_alert_pages_list_exactly_the_alerts_in_scope(client, login, world):  # noqa: F811
    org = world.org
    # A CHW: their own open alerts, not the manager-only kind, not the resolved one.
    page = login(org.a1).get(reverse("caseloads:alerts"))
    assert pks(page.context["alerts"]) == {world.alert[org.a1.pk].pk}
    client.logout()
    page = login(org.ma).get(reverse("caseloads:alerts"))
    board = page.context["board"]
    shown = {a.pk for row in board for alerts in row.by_kind.values() for a in alerts}
    team_a = (org.a1, org.a2)
    assert shown == {world.alert[c.pk].pk for c in team_a} | {
        world.hidden_alert[c.pk].pk for c in team_a
    }
    assert {row.chw.pk for row in board} == pks(team_a)


def test_the_fidelity_cases_list_exactly_the_misses_in_scope(client, login, world):  # noqa: F811
    org, e = world.org, world.enrollment
    owner = {en.pk: chw for chw, en in e.items()} | {world.closed.pk: org.a1.pk}
    for program, review in world.review.items():
        rating = review.ratings.get(component__code="contact_cadence")
        misses = set(rating.evidence["misses"])
        # The review misses every never-contacted enrollment of its program.
        assert {e[c.pk].pk for c in world.chws if c.program_id == program} <= misses
        url = reverse("fidelity:cases", args=[review.pk, "contact_cadence"])
        for user in (*world.chws, *world.managers):
            if user.program_id != program:
                continue
            team = {c.pk for c in world.chws if user.pk in (c.pk, c.team.manager_id)}
            client.logout()
            page = login(user).get(url)
            expected = {pk for pk in misses if owner.get(pk) in team}
            assert pks(page.context["cases"]) == expected, user.username


def test_the_partner_directory_lists_exactly_the_programs_partners(client, login, world):  # noqa: F811
    org = world.org
    for user in (org.a1, org.ma, org.leader, world.c1, world.lq):
        client.logout()
        page = login(user).get(reverse("actionplans:partners"))
        assert pks(page.context["partners"]) == pks(world.partners[user.program_id])


def test_supervision_pages_list_exactly_the_sessions_in_scope(client, login, world):  # noqa: F811
    org = world.org
    page = login(org.ma).get(reverse("supervision:team"))
    assert pks(page.context["sessions"]) == {world.session[c.pk].pk for c in (org.a1, org.a2)}
    assert pks(page.context["follow_ups"]) == {world.follow_up[c.pk].pk for c in (org.a1, org.a2)}
    client.logout()
    page = login(org.a1).get(reverse("supervision:me"))
    assert pks(page.context["sessions"]) == {world.session[org.a1.pk].pk}
    assert pks(page.context["follow_ups"]) == {world.follow_up[org.a1.pk].pk}


def test_leader_pages_list_exactly_their_own_rows(client, login, world):  # noqa: F811
    org = world.org
    for leader in (org.leader, world.lq):
        client.logout()
        client_ = login(leader)
        program = leader.program_id
        assert pks(client_.get(reverse("reports:costs")).context["lines"]) == {
            world.cost[program].pk
        }
        assert pks(client_.get(reverse("reports:tokens")).context["tokens"]) == {
            world.token[leader.pk].pk
        }
        assert pks(client_.get(reverse("reports:exports")).context["jobs"]) == {
            world.job[leader.pk].pk
        }
