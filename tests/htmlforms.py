"""Read the forms of a rendered page as a browser would submit them (tests only)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(), "fields": [], "attrs": a}
            )
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            if tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if tag in ("input", "button"):
                self.forms[-1]["fields"].append((a["name"], a.get("value") or ""))
            else:
                self.forms[-1]["fields"].append((a["name"], ""))


def forms(page: str) -> list[dict]:
    """Every form: ``{"action", "method", "fields": [(name, value), ...], "attrs"}`` in page order."""
    parser = _Forms()
    parser.feed(page)
    return parser.forms
