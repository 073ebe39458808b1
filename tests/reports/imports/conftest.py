"""The program's patients the hospital-use import tests upload stays about."""

from __future__ import annotations

import pytest

from tests.factories import PatientFactory


@pytest.fixture
def patients(org):
    """Three patients of the program, by MRN (one typed with spaces around it)."""
    return {
        "MRN0000101": PatientFactory(program=org.program, mrn="MRN0000101"),
        "MRN0000102": PatientFactory(program=org.program, mrn=" MRN0000102 "),
        "MRN0000103": PatientFactory(program=org.program, mrn="MRN0000103"),
    }
