"""Forms read from a page as a browser would send them (for the locustfile; no Django, no locust)."""

from html.parser import HTMLParser
from urllib.parse import urlencode


class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: list[list[str]] = []

    def names(self) -> set[str]:
        return {name for name, _value in self.fields}

    def set(self, name: str, value: str) -> None:
        for field in self.fields:
            if field[0] == name:
                field[1] = value
                return
        self.fields.append([name, value])

    def get(self, name: str, default: str = "") -> str:
        return next((value for field, value in self.fields if field == name), default)

    def encoded(self) -> str:
        return urlencode([tuple(field) for field in self.fields])


class FormParser(HTMLParser):
    """Every <form> with the values a browser would send (checked boxes, selected options, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form.fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            for value in chosen:
                self._form.fields.append([self._select, value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            # The HTML parser keeps the newline browsers drop after <textarea>.
            self._form.fields.append([self._textarea, self._text.removeprefix("\n")])
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html or "")
    return parser.forms


def post_form(html: str, *, has: str = "csrfmiddlewaretoken", action: str | None = None) -> Form | None:
    """The first POST form of the page with the field `has` (and an action containing `action`)."""
    for form in forms_of(html):
        if form.method == "post" and has in form.names() and (action is None or action in form.action):
            return form
    return None
