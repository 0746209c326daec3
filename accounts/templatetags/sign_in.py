from django import template
from django.urls import reverse

from accounts.models import SchoolSignIn

register = template.Library()


@register.inclusion_tag("account/_sign_in_buttons.html", takes_context=True)
def school_sign_in_buttons(context):
    """The single sign-on buttons: one school's when the page is opened with ?school=<slug>,
    otherwise every school's of the portal."""
    request = context["request"]
    choices = SchoolSignIn.objects.select_related("school", "app").order_by("school__name", "provider")
    if slug := request.GET.get("school"):
        choices = choices.filter(school__slug=slug)
    buttons = [
        {
            "label": f"Sign in with {choice.get_provider_display()}",
            "school": choice.school.name,
            "url": reverse("openid_connect_login", kwargs={"provider_id": choice.app.provider_id}),
        }
        for choice in choices
    ]
    return {
        "buttons": buttons,
        "csrf_token": context.get("csrf_token"),
        "many_schools": len({b["school"] for b in buttons}) > 1,
    }
