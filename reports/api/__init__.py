"""The read-only JSON API for BI tools and its tokens."""
