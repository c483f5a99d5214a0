"""Every model names its rows with a real string, even a row whose optional fields are empty.

The admin, the history pages, form choices and templates call ``str()`` on rows; a lazy
translation returned from ``__str__`` (or a format that fails on an empty field) turns every
page listing that row into a server error.
"""

import pytest
from django.apps import apps
from django.utils.translation import override

from impact.models import Story

PROJECT_APPS = {"libraries", "events", "impact", "overview"}


def _with_optional_fields_emptied(instance):
    # A history row has every field nullable; what is optional is decided by its model.
    model = getattr(instance, "instance_type", type(instance))
    optional = {f.attname for f in model._meta.concrete_fields if f.null or f.blank}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.attname not in optional:
            continue
        if field.null:
            setattr(instance, field.attname, None)
        elif field.blank and field.empty_strings_allowed:
            setattr(instance, field.attname, "")
    return instance


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_model_names_a_row_with_empty_optional_fields_as_a_real_string(one_of_each, language):
    unnamed = []
    for model in apps.get_models():
        instance = model._default_manager.order_by("pk").first()
        if instance is None:
            # Every model of the portal has a row above, so that a new model is checked too.
            assert model._meta.app_label not in PROJECT_APPS, f"no sample of {model._meta.label}"
            instance = model()
        _with_optional_fields_emptied(instance)
        try:
            with override(language):
                name = str(instance)
        except Exception as exc:  # every failing model is listed at once
            name = exc
        if type(name) is not str or not name.strip():
            unnamed.append((model._meta.label, repr(name)))

    assert unnamed == []


def test_story_without_a_title_is_named_as_untitled_in_each_language(village_library):
    story = Story(library=village_library, title="")

    with override("id"):
        indonesian = str(story)
    with override("en"):
        english = str(story)

    assert (type(indonesian), indonesian) == (str, "(tanpa judul)")
    assert (type(english), english) == (str, "(untitled)")
