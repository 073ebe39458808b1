from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo program (`seed_demo`) and the large one, built through every app.

    Last in the dependency order (DESIGN.md §2): it imports every app, none imports it.
    No models, so no admin section and no verbose name to translate."""

    name = "demo"
