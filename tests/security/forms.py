"""Sign in to the admin, and read an admin form from its HTML the way a browser would submit
it unchanged."""

from html.parser import HTMLParser

from django.test import Client


def signed_in(user, **client_options):
    """A browser signed in to the admin as ``user``."""
    client = Client(**client_options)
    client.force_login(user)
    return client


class FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = []
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "button", "file"):
            if attributes.get("type") in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data.append((name, attributes.get("value", "on")))
            else:
                self.data.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._option = attributes.get("value")
            if self._option is not None:
                self.data.append((self._select, self._option))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the one newline that follows <textarea>.
            self.data.append((name, text.removeprefix("\n")))
            self._textarea = None


def admin_form_data(response, model_name):
    """The fields of the admin change form in ``response`` as a dict of lists."""
    reader = FormReader(f"{model_name}_form")
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def single(data, **changes):
    """``data`` with ``changes`` applied, ready for client.post (lists stay lists)."""
    result = {name: values if len(values) != 1 else values[0] for name, values in data.items()}
    result.update(changes)
    return result
