"""Authorization policy as data: every URL name and the roles that may use it.

INTERFACE (being written): `POLICY` and `PolicyMiddleware`.
"""

from __future__ import annotations


class PolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
