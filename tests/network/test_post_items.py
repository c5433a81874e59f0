"""The thread page's posts written in Python (`post_items`, issue 18) are the markup the template's loop
wrote, white space included, for every state a post can be in, for readers and moderators alike."""

from itertools import product

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from network.models import Post
from network.views.discussions import post_items
from portal.accounts.models import User

# The loop of templates/network/discussions/thread.html before issue 18 (inside <ol>, as it stood).
OLD_LOOP = """{% load i18n %}
      {% for post in posts %}
        <li class="kern-card" id="beitrag-{{ post.pk }}"><article class="kern-card__container" aria-labelledby="beitrag-{{ post.pk }}-kopf">
          <div class="kern-card__header">
            <p class="kern-preline" id="beitrag-{{ post.pk }}-kopf">{{ post.byline }} · <time datetime="{{ post.written_iso }}">{{ post.written }}</time>{% if post.edited_at and not post.is_deleted %} · {% translate "bearbeitet" %}{% endif %}</p>
            {% if post.is_new %}<span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">{% translate "Neu" %}</span></span>{% endif %}
          </div>
          <div class="kern-card__body">
            {% if post.is_deleted %}
              <p class="kern-body"><em>{% translate "Beitrag gelöscht" %}</em></p>
            {% elif post.hidden_at %}
              <p class="kern-body"><em>{% translate "Von der Moderation ausgeblendet" %}</em></p>
              {% if is_moderator %}<div class="kern-body">{{ post.html }}</div>{% endif %}
            {% else %}
              <div class="kern-body">{{ post.html }}</div>
            {% endif %}
          </div>
          {% if post.may_change or is_moderator and not post.is_deleted %}
            <div class="kern-card__footer kern-btn-wrapper">
              {% if post.may_change %}
                <a class="kern-btn kern-btn--tertiary kern-btn--x-small" href="{{ post.edit_url }}"><span class="kern-icon kern-icon--edit" aria-hidden="true"></span><span class="kern-label">{% translate "Bearbeiten" %}</span></a>
                <form method="post" action="{{ post.delete_url }}" data-confirm="{% translate 'Möchten Sie Ihren Beitrag wirklich löschen?' %}">{% csrf_token %}<button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-label">{% translate "Löschen" %}</span></button></form>
              {% endif %}
              {% if is_moderator and not post.is_deleted %}
                <form method="post" action="{{ post.hide_url }}">{% csrf_token %}<input type="hidden" name="hidden" value="{% if post.hidden_at %}0{% else %}1{% endif %}"><button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-label">{% if post.hidden_at %}{% translate "Wieder einblenden" %}{% else %}{% translate "Ausblenden" %}{% endif %}</span></button></form>
              {% endif %}
            </div>
          {% endif %}
        </article></li>
      {% endfor %}
"""  # noqa: E501


def _posts():
    """One post per combination of deleted, hidden, edited, new and changeable, with a byline and
    a body that need escaping."""
    now = timezone.now()
    posts = []
    for pk, (deleted, hidden, edited, new, may_change) in enumerate(product([False, True], repeat=5), 1):
        post = Post(
            pk=pk,
            author=User(first_name="Eva", last_name="<Ernst>"),
            is_deleted=deleted,
            hidden_at=now if hidden else None,
            edited_at=now if edited else None,
        )
        post.byline = "Eva <Ernst> · Stadt & Land"
        post.written_iso = "2026-12-07T06:00:00+01:00"
        post.written = "07.12.2026, 06:00 Uhr"
        post.html = mark_safe(f"<p>Beitrag <strong>{pk}</strong> &amp; mehr</p>")  # noqa: S308
        post.is_new, post.may_change = new, may_change
        post.edit_url, post.delete_url, post.hide_url = (f"/b/{pk}/{name}/" for name in ("e", "l", "a"))
        posts.append(post)
    return posts


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("is_moderator", [False, True])
def test_post_items_write_what_the_template_loop_wrote(language, is_moderator):
    posts = _posts()
    with translation.override(language):
        old = Template(OLD_LOOP).render(
            Context({"posts": posts, "is_moderator": is_moderator, "csrf_token": "T0KEN"})
        )
        new = post_items(posts, is_moderator=is_moderator, csrf_token="T0KEN")

    assert "\n      " + new + "\n" == old  # the white space around the loop
    assert ("Wieder einblenden" in new or "Show again" in new) is is_moderator
    assert "&lt;Ernst&gt; · Stadt &amp; Land" in new


def test_a_reader_sees_neither_hidden_text_nor_moderation():
    hidden = _posts()[8]  # hidden, not deleted
    assert hidden.hidden_at and not hidden.is_deleted and not hidden.may_change

    reader = post_items([hidden], is_moderator=False, csrf_token="T")
    moderator = post_items([hidden], is_moderator=True, csrf_token="T")

    assert "Beitrag <strong>9</strong>" not in reader and "kern-card__footer" not in reader
    assert "Beitrag <strong>9</strong>" in moderator and 'name="hidden" value="0"' in moderator


def test_edited_shows_for_posts_not_deleted_only():
    posts = [post for post in _posts() if post.edited_at]
    html = post_items(posts, is_moderator=False, csrf_token="T")
    assert html.count(" · bearbeitet</p>") == sum(not post.is_deleted for post in posts)
