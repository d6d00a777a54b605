from django import template

from wijkpunt.core.roles import role_label as _role_label

register = template.Library()


@register.filter
def role_label(group) -> str:
    """The display name of a role (a group), e.g. "Beheerder partnerorganisatie"."""
    return _role_label(getattr(group, "name", str(group)))
