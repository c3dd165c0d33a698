import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khru.config.production")
application = get_wsgi_application()

from khru.web.warm import warm  # noqa: E402  (needs the apps loaded above)

warm()  # before the worker takes its first request (khru serve starts one such worker per core)
