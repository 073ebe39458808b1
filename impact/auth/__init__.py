"""Sign-in hardening: session limits, two-factor sign-in (TOTP) and who must use it.

README, "Security", states what is promised; tests/auth/ tests each promise.
"""
