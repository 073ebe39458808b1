"""Strong passwords: at least 12 characters, not a common password, not only digits, not
like the person's own name or username."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from impact.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refusals(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return {e.code or "" for e in error.error_list}
    return set()


def test_a_long_uncommon_password_is_accepted():
    assert refusals("river-clinic-lantern-42") == set()


def test_a_password_under_12_characters_is_refused():
    assert "password_too_short" in refusals("Tr0ub4dor&3")


def test_a_common_password_is_refused_whatever_its_length():
    assert "password_too_common" in refusals("password1234")


def test_a_password_of_digits_only_is_refused():
    assert "password_entirely_numeric" in refusals("730182946571")


def test_a_password_like_the_users_name_is_refused():
    user = UserFactory(username="rosa.martinez", first_name="Rosa", last_name="Martinez")
    assert "password_too_similar" in refusals("rosa.martinez1", user=user)


def test_the_admins_set_password_form_applies_the_rules(org):
    user = UserFactory(username="newchw", role=Role.CHW, program=org.program)
    form = AdminPasswordChangeForm(user, {"password1": "short", "password2": "short"})
    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors)
