"""WSGI entry point for gunicorn (`legalops serve`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Do now what each server process would otherwise do on its first request, which made
    the first page after a start take seconds: import the URLconf (every app's views and the
    REST API, whose django-ninja schemas take a second or more to build), index every
    namespace for reversing URLs, and load the template engine with its tag libraries and
    the base template. `legalops serve` imports this module before forking its workers, so
    they share the result. No database connection is opened (a forked worker must not share
    one)."""
    from django.template import engines
    from django.template.loader import get_template
    from django.urls import URLResolver, get_resolver

    resolvers = [get_resolver()]
    while resolvers:
        resolver = resolvers.pop()
        resolver.reverse_dict  # noqa: B018 - populates the resolver's reverse index
        resolvers.extend(p for p in resolver.url_patterns if isinstance(p, URLResolver))
    engines.all()
    get_template("base.html")


warm_up()
# Everything loaded so far lives as long as the process: leave it out of the cyclic garbage
# collector's later passes (and, after gunicorn forks, keep those pages shared).
gc.freeze()
