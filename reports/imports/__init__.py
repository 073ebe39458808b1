"""Hospital use: the utilization CSV import, its preview and confirmation."""
