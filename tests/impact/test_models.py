"""Program and user rules: local working hours, who needs a team or a program."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from impact.models import Program, Role
from tests.factories import ProgramFactory, UserFactory

NY = zoneinfo.ZoneInfo("America/New_York")


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


class TestAfterHours:
    """Default workday Monday–Friday, [08:00, 18:00) in the program's time zone."""

    @pytest.fixture
    def program(self):
        return Program(name="p", time_zone="America/New_York")

    @pytest.mark.parametrize(
        ("moment", "after"),
        [
            (at(2026, 11, 18, 17, 59), False),  # Wednesday, a minute before the end
            (at(2026, 11, 18, 18, 0), True),  # the end itself is after hours
            (at(2026, 11, 18, 8, 0), False),  # the start is in hours
            (at(2026, 11, 18, 7, 59), True),
            (at(2026, 11, 21, 11, 0), True),  # Saturday
            (at(2026, 11, 22, 11, 0), True),  # Sunday
        ],
    )
    def test_local_workday_bounds(self, program, moment, after):
        assert program.is_after_hours(moment) is after

    def test_read_in_the_program_time_zone_not_utc(self, program):
        # 22:30 UTC on a Wednesday is 17:30 in New York: in hours.
        utc = dt.datetime(2026, 11, 18, 22, 30, tzinfo=dt.UTC)
        assert program.is_after_hours(utc) is False
        # 23:00 UTC is 18:00 in New York.
        assert program.is_after_hours(utc.replace(minute=0, hour=23)) is True

    def test_custom_workdays_include_saturday(self, program):
        program.workdays = "123456"
        assert program.is_after_hours(at(2026, 11, 21, 11, 0)) is False


@pytest.mark.django_db
class TestUserRules:
    def test_chw_needs_a_team(self, program):
        user = UserFactory.build(role=Role.CHW, program=program, team=None)
        with pytest.raises(ValidationError) as error:
            user.clean()
        assert "team" in error.value.message_dict

    def test_team_must_be_in_the_users_program(self, org):
        user = UserFactory.build(role=Role.CHW, program=ProgramFactory(), team=org.team_a)
        with pytest.raises(ValidationError) as error:
            user.clean()
        assert "team" in error.value.message_dict

    def test_leader_needs_a_program(self):
        user = UserFactory.build(role=Role.LEADER, program=None)
        with pytest.raises(ValidationError) as error:
            user.clean()
        assert "program" in error.value.message_dict
