"""Read the forms of a page and submit one the way a browser would (no JavaScript needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str | None
    method: str
    #: (tag, name, type) in document order
    controls: list[tuple[str, str, str]] = field(default_factory=list)
    #: what a browser submits when nobody touches the form
    defaults: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [name for _, name, _ in self.controls]

    @property
    def is_raw_data_form(self) -> bool:
        """DRF's "raw data" tab: a JSON text area, not a form of fields."""
        return "_content" in self.names


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    @property
    def _form(self) -> Form | None:
        return self.forms[-1] if self.forms else None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            # DRF's PUT forms say so in data-method (its JavaScript sends them).
            method = attributes.get("data-method") or attributes.get("method") or "get"
            self.forms.append(Form(action=attributes.get("action"), method=method))
            return
        form, name = self._form, attributes.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            form.controls.append((tag, name, kind))
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    form.defaults[name] = attributes.get("value") or "on"
            elif kind not in {"submit", "button", "file"}:
                form.defaults[name] = attributes.get("value") or ""
        elif tag == "select" and name:
            form.controls.append((tag, name, "select"))
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = attributes.get("value") or ""
            if self._select_first is None:
                self._select_first = value
                form.defaults.setdefault(self._select, value)  # a browser picks the first
            if "selected" in attributes:
                form.defaults[self._select] = value
        elif tag == "textarea" and name:
            form.controls.append((tag, name, "textarea"))
            self._textarea = name
            form.defaults[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.defaults[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def html_form_for(html: str, *, method: str = "POST") -> Form | None:
    """The browsable API's field-by-field form for ``method`` (not the raw-data one)."""
    for form in forms_of(html):
        fields = [name for name in form.names if name != "csrfmiddlewaretoken"]
        if form.method.upper() == method and fields and not form.is_raw_data_form:
            return form
    return None
