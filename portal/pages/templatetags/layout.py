"""`{% fixed %}…{% fixed_end %}` in the layout (templates/base.html): a part that is the same on every page
in one language (its links, labels and static files), rendered once per process per language and URL
prefix and then reused. Such a part sees nothing of the page or the request: only `layout_urls` and
`LANGUAGE_CODE`, so a per-request value put into it by mistake comes out empty on every page
(tests/pages/test_layout_fixed.py compares the layout with and without the tag). Not kept with DEBUG
on, where templates may change while the server runs, nor where the layout's links are missing (a
rendering without the context processors); forgotten when a setting changes (tests). The closing tag
is not `endfixed`: djhtml would take the pair for a block and indent the HTML in it anew, which is
what the page shows."""

import weakref

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

_NODES: "weakref.WeakSet[FixedNode]" = weakref.WeakSet()


class FixedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}  # (language, URL conf, script prefix) -> the part; lives with the template
        _NODES.add(self)

    def render(self, context):
        language = get_language()
        key = (language, get_urlconf(), get_script_prefix())
        html = self.rendered.get(key)
        if html is None:
            urls = context.get("layout_urls")
            html = self.nodelist.render(context.new({"layout_urls": urls, "LANGUAGE_CODE": language}))
            if urls is not None and not settings.DEBUG:
                self.rendered[key] = html
        return html


@register.tag
def fixed(parser, token):
    nodelist = parser.parse(("fixed_end",))
    parser.delete_first_token()
    return FixedNode(nodelist)


@receiver(setting_changed)
def _forget(**kwargs):
    for node in list(_NODES):
        node.rendered.clear()
