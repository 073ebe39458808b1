"""Settings for the test suite: the production module, with test-only switches."""

import os

os.environ.setdefault("TESTING", "1")
# Never touch the developer's database file or secret: `makemigrations --check` and the
# suite run on in-memory SQLite (pytest-django shares it with the live server's thread).
os.environ.setdefault("SECRET_KEY", "test-only-secret-not-for-any-real-deployment")
os.environ.setdefault("SQLITE_PATH", ":memory:")

from impact.settings import *  # noqa: E402,F403

# Hashing passwords slowly protects real accounts; tests create many throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A second test run on the same PostgreSQL server (a helper's, beside CI's `test_impact`)
# names its own test database, so neither drops the other's.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
