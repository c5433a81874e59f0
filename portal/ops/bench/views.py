"""The two floors: what any Django page costs at least on this machine and database.

Floor 1 answers a constant. Floor 2 lists 100 rows from one query in a plain template (the same
template engine, compiled once as the cached loader does in production, but no layout, navigation or
context processors). Both are open without login and go through the whole middleware stack."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines

from portal.accounts.models import User

ROWS = 100

ROWS_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>100 Zeilen</title></head>
<body>
<main>
<h1>100 Zeilen</h1>
<table>
<thead><tr><th>Name</th><th>E-Mail-Adresse</th><th>Rolle</th><th>Ausländerbehörde</th><th>Land</th></tr></thead>
<tbody>
{% for person in people %}<tr>
<td>{{ person.get_full_name }}</td><td>{{ person.email }}</td><td>{{ person.get_role_display }}</td>
<td>{{ person.authority.name|default:"–" }}</td><td>{{ person.authority.get_state_display|default:"–" }}</td>
</tr>
{% endfor %}</tbody>
</table>
</main>
</body>
</html>"""
)


@login_not_required
def constant(request):
    return HttpResponse(b"ok", content_type="text/plain")


@login_not_required
def rows(request):
    people = User.objects.select_related("authority").order_by("last_name", "pk")[:ROWS]
    return HttpResponse(ROWS_TEMPLATE.render({"people": people}))


def signed_in(request):
    """Floor 1 for a logged-in person: what the middleware costs (session, user, second factor)."""
    return HttpResponse(b"ok", content_type="text/plain")


def layout(request):
    """An empty page in the layout: floor 1a plus the context processors, header and navigation."""
    return render(request, "ops/bench_layout.html")
