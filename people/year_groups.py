"""Which pupil agreement each year group signs, as the school has chosen (or the default).

Years 7-9 sign the KS3 agreement and 10-11 the KS4 one unless the school says otherwise; the sixth
form (Years 12-13) signs what the school chooses, and nothing until it has chosen.
"""

from .models import DEFAULT_YEAR_AGREEMENTS, YearGroupAgreement
from .rules import YEAR_GROUPS


def year_agreements(school_id) -> dict[int, str]:
    """{year group: agreement kind, or "" for none} for every year group the portal knows."""
    chosen = dict(
        YearGroupAgreement.objects.filter(school_id=school_id).values_list("year_group", "agreement")
    )
    return {year: chosen.get(year, DEFAULT_YEAR_AGREEMENTS.get(year, "")) for year in YEAR_GROUPS}


def agreement_for_year(by_year: dict[int, str], year) -> str:
    return by_year.get(year, "") if year else ""


def years_signing(school_id, kind) -> list[int]:
    return [year for year, agreement in year_agreements(school_id).items() if agreement == kind]


def uncovered_years(school_id, kinds_available) -> list[int]:
    """Year groups whose pupils owe no agreement: none chosen, or the chosen one does not exist here."""
    return [year for year, kind in year_agreements(school_id).items() if kind not in kinds_available]
