"""A web worker compiles its URL patterns and templates at start (khru.config.wsgi), not on a user's request."""

from pathlib import Path

from django.template import engines
from django.urls import reverse
from django.utils import translation

import khru
from khru.web.warm import warm


def test_a_worker_compiles_every_template_and_url_before_its_first_request():
    ours = {
        p.as_posix().split("/templates/", 1)[1]
        for p in Path(khru.__file__).parent.glob("*/templates/**/*.html")
    }
    assert len(ours) > 50
    assert warm() >= len(
        ours
    )  # a template that does not compile fails here, at start, not in front of a user
    for code in ("th", "en"):
        with translation.override(code):
            assert reverse("web:healthz") == "/healthz"
    loaders = list(engines["django"].engine.template_loaders)
    loaders += [
        inner for loader in loaders for inner in getattr(loader, "loaders", [])
    ]  # template-partials wraps
    cached = [loader for loader in loaders if hasattr(loader, "get_template_cache")]
    assert cached, "Django's cached loader is what keeps the compiled templates (DEBUG off)"
    assert len(cached[0].get_template_cache) >= len(ours)
