from django.apps import AppConfig


class PressdeskConfig(AppConfig):
    """The project package itself, as an app: it holds the shell's templates, static files and
    translations."""

    name = "pressdesk"
    verbose_name = "Pressdesk"
