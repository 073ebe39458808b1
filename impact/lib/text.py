"""Limits on the text people type, the same in every app."""

from __future__ import annotations

# The longest note, summary or comment any form or model accepts: a long visit note fits,
# a pasted document does not.
NOTES_MAX_LENGTH = 4000
