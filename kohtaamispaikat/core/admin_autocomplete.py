"""The admin's autocomplete, with labels a model admin chooses.

Names alone do not tell choices apart: the demo data alone has several associations called
"MLL:n paikallisyhdistys". A model admin may define ``autocomplete_label(obj)`` (the text shown
for a choice) and ``autocomplete_queryset(queryset)`` (what the label needs, fetched for the
page of choices at once). Served at the admin's own autocomplete address (kohtaamispaikat/urls.py).
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def get_queryset(self):
        queryset = super().get_queryset()
        prepare = getattr(self.model_admin, "autocomplete_queryset", None)
        return prepare(queryset) if prepare else queryset

    def serialize_result(self, obj, to_field_name):
        label = getattr(self.model_admin, "autocomplete_label", str)
        return {"id": str(getattr(obj, to_field_name)), "text": label(obj)}
