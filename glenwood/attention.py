"""The home page gathers what needs each person's attention from every app."""

from dataclasses import dataclass
from importlib import import_module

# Each app with something to ask of people offers `attention_for(person)` in its attention module.
PROVIDERS = ["policies.attention", "agreements.attention", "breaches.attention", "retention.attention"]


@dataclass
class Attention:
    title: str
    url: str
    note: str = ""
    urgent: bool = False


def attention_for(person) -> list[Attention]:
    items = []
    for module in PROVIDERS:
        items += import_module(module).attention_for(person)
    return sorted(items, key=lambda item: not item.urgent)
