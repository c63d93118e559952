"""Load the default theme taxonomy (concord/engine/data/themes.json). `concord themes import FILE` updates it."""

from django.db import migrations


def load_default_themes(apps, schema_editor):
    from concord.engine.themes import load_taxonomy

    Theme = apps.get_model("library", "Theme")
    taxonomy = load_taxonomy()
    by_slug = {}
    for order, entry in enumerate(taxonomy.themes):
        theme, _created = Theme.objects.update_or_create(
            slug=entry.id,
            defaults={
                "label_en": entry.labels["en"], "label_ms": entry.labels["ms"], "label_ur": entry.labels["ur"],
                "description_en": entry.descriptions["en"], "description_ms": entry.descriptions["ms"],
                "description_ur": entry.descriptions["ur"],
                "keywords": {lang: list(words) for lang, words in entry.keywords.items()},
                "order": order, "taxonomy": taxonomy.id[:100],
            },
        )
        by_slug[entry.id] = theme
    for entry in taxonomy.themes:
        if entry.parent:
            Theme.objects.filter(slug=entry.id).update(parent=by_slug[entry.parent])


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(load_default_themes, migrations.RunPython.noop)]
