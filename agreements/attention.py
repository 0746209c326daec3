from django.urls import reverse

from glenwood.attention import Attention

from .obligations import agreements_owed_by


def attention_for(person) -> list[Attention]:
    return [
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
