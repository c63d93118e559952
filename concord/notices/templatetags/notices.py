from django import template

register = template.Library()


@register.inclusion_tag("notices/_preferences_form.html", takes_context=True)
def notice_preferences(context, user):
    """The e-mail choices, for the account settings page."""
    from ..views import preference_rows

    return {"notice_rows": preference_rows(user), "csrf_token": context.get("csrf_token")}
