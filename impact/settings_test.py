"""Settings for the test suite: the production module, with test-only switches."""

import os

os.environ.setdefault("TESTING", "1")

from impact.settings import *  # noqa: E402,F403

# Hashing passwords slowly protects real accounts; tests create many throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
