"""Which programs a user sees (impact.programs.programs_for)."""

from __future__ import annotations

import pytest

from impact.programs import programs_for
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_leader_sees_their_own_program_only(org):
    ProgramFactory(name="Another")
    assert list(programs_for(org.leader)) == [org.program]


def test_an_administrator_sees_every_program_by_name(org):
    other = ProgramFactory(name="AAA first")
    assert list(programs_for(org.admin)) == [other, org.program]


@pytest.mark.parametrize("who", ["a1", "ma"])
def test_chws_and_managers_see_no_program(org, who):
    assert list(programs_for(getattr(org, who))) == []
