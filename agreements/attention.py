from django.urls import reverse

from glenwood.attention import Attention

from .models import Signature
from .obligations import agreements_owed_by


def attention_for(person) -> list[Attention]:
    items = [
        Attention(
            f"Sign the {row['agreement'].title}",
            reverse("agreements:sign", args=[row["agreement"].pk]),
            "A new version since you last signed"
            if row["last_signed"]
            else f"{row['current'].label} to sign",
            urgent=False,
        )
        for row in agreements_owed_by(person)
        if not row["signature"] and not row["decline"] and row["current"]
    ]
    to_confirm = Signature.objects.filter(
        witness=person, signing_session__isnull=True, witness_confirmation__isnull=True
    ).select_related("person", "agreement__policy")
    items += [
        Attention(
            f"Confirm you talked the {s.agreement.title} through with {s.person.get_full_name()}",
            reverse("agreements:witness_confirm", args=[s.pk]),
            f"They named you as their witness on {s.signed_at:%-d %B %Y}",
        )
        for s in to_confirm[:20]
    ]
    return items
