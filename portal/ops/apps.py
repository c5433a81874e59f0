from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations tooling (bench, load test, serve stack, backup). Installed only so that Django finds the
    `backup` and `restore` management commands; it has no models, and the product never imports it."""

    name = "portal.ops"
    label = "ops"
