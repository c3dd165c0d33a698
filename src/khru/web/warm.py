"""Work a web worker does once, at start, instead of during its first users' requests.

Django compiles the URL patterns (once per language), the translation catalogues and each template the first
time they are needed: about half a second that would otherwise land on the first teacher or principal to
reach a freshly started worker (and on everyone queued behind them).
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.urls import URLResolver, get_resolver
from django.utils import translation


def _patterns(resolver: URLResolver) -> None:
    for _prefix, child in resolver.namespace_dict.values():  # reading it compiles this level's patterns
        _patterns(child)


def warm() -> int:
    """Compile the URL patterns in every language and every template; the number of templates."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            _patterns(get_resolver())
    engine = engines["django"]
    names = {
        path.relative_to(folder).as_posix()
        for config in apps.get_app_configs()
        if (folder := Path(config.path) / "templates").is_dir()
        for path in folder.rglob("*.html")
    }
    for name in sorted(names):
        engine.get_template(name)
    return len(names)
