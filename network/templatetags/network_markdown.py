"""`{{ text|markdown }}`: the posts' small Markdown subset (network/markdown.py), escaped first, for
texts shown outside a discussion (the items of minutes)."""

from django import template
from django.utils.safestring import SafeString

from network.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)
