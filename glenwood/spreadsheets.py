"""CSV files the school opens in a spreadsheet."""


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (a name or reason typed as "=HYPERLINK(...)")."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
