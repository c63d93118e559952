from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:slug }}``: a dictionary lookup by a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.inclusion_tag("directory/_themes.html", takes_context=True)
def theme_tags(context, slugs):
    """Theme labels in the current language, loaded once per page render."""
    labels = context.render_context.get("concord_theme_labels")
    if labels is None:
        from concord.library.models import Theme

        labels = {t.slug: t.label() for t in Theme.objects.all()}
        context.render_context["concord_theme_labels"] = labels
    return {"labels": [labels.get(s, s) for s in slugs or []]}
