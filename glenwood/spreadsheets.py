"""CSV files the school opens in a spreadsheet."""


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (a name or reason typed as "=HYPERLINK(...)")."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# Excel reads a CSV as the PC's legacy code page unless it starts with a byte order mark: without
# it "Zoë" opens as "ZoÃ«". Every CSV the portal hands out starts with this.
UTF8_BOM = "\ufeff"
