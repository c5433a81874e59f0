"""The page of an unexpected error (handler500 in portal/urls.py). When the database or the broker
cannot be reached, it answers 503 with its own page; either page is plain HTML rendered without the
request, so that it needs no session, user or navigation (none of which can be read then)."""

import sys

from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from kombu.exceptions import OperationalError as BrokerUnavailable

UNAVAILABLE = (DatabaseUnavailable, InterfaceError, BrokerUnavailable)
RETRY_AFTER_SECONDS = 60


def server_error(request):
    # Django calls the handler while it handles the exception, so the exception is at hand here.
    if isinstance(sys.exception(), UNAVAILABLE):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
