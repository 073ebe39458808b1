"""The program overview: its page, its two charts and the API tokens page."""
