"""`make screenshots`: each demo role's home page, as a phone (390 px) and a laptop (1280 px) show it,
written to docs/screenshots/<role>-<width>.png for the README.

Not a test (pytest collects it only when named, as `make screenshots` does): the demo school as
`make run` seeds it, served by pytest-django's live server, each person signing in through the
login form with their authenticator code as in the browser tests. Full-page PNGs at device scale 1,
reduced to 256 colours so that the repository stays small.
"""

from pathlib import Path

import pytest

from tests.browser.conftest import log_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = [390, 1280]
# The file's name for each role, and the demo person who shows it.
ROLES = [
    ("headteacher", "head"),
    ("dsl", "dsl"),
    ("office-admin", "admin"),
    ("trust-admin", "trustadmin"),
    ("chair", "chair"),
    ("governor", "governor"),
    ("teacher", "teacher"),
    ("supply-visitor", "supply"),
    ("ks3-pupil", "pupil7"),
    ("ks4-pupil", "pupil10"),
]


@pytest.fixture
def demo_school(live_server, transactional_db):
    """Everything `make run` seeds (people, policies, agreements and a few cases)."""
    from agreements.seed import seed_agreements
    from breaches.seed import seed_breaches
    from people.seed import seed_people
    from policies.seed import seed_policies
    from tests.conftest import sealing_deferred

    with sealing_deferred():
        people = seed_people()
        seed_policies(people)
        seed_agreements(people)
        seed_breaches(people)
    return people


def small_png(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


@pytest.mark.browser
def test_every_roles_home_page(demo_school, live_server, browser):
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for name, username in ROLES:
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London", device_scale_factor=1)
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, live_server, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/")
            page.wait_for_load_state("networkidle")
            path = OUT / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            small_png(path)
            written.append(path)
        context.close()
    assert all(p.stat().st_size > 0 for p in written)
    print(
        "\n" + "\n".join(f"{p.relative_to(OUT.parents[1])}: {p.stat().st_size // 1024} KB" for p in written)
    )
