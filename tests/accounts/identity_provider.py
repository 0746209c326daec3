"""A real OpenID Connect provider (tests/oidc_provider) in its own process, and a person's browser
at it: the portal's side runs in the Django test client, the provider's over real HTTP."""

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "glenwood-portal"
CLIENT_SECRET = "provider-test-secret-0123456789"


@dataclass
class IdentityProvider:
    url: str
    process: subprocess.Popen

    @property
    def server_url(self):
        return f"{self.url}/o"


def start_provider(tmp_path, accounts, redirect_uris) -> IdentityProvider:
    config = tmp_path / "provider.json"
    config.write_text(
        json.dumps(
            {
                "accounts": accounts,
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                },
            }
        )
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    match = re.match(r"PORT (\d+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"The test identity provider did not start: {line!r}")
    return IdentityProvider(url=f"http://127.0.0.1:{match.group(1)}", process=process)


def sign_in_at_provider(client, provider_id, username, password, *, school="glenwood"):
    """Press the school's button on the portal, sign in at the provider, come back; returns the
    portal's response to the callback."""
    login_page = client.get(f"/accounts/login/?school={school}").content.decode()
    assert f"/accounts/oidc/{provider_id}/login/" in login_page
    response = client.post(f"/accounts/oidc/{provider_id}/login/", {"process": "login"})
    assert response.status_code == 302, response.content[:500]
    browser = requests.Session()
    url = response["Location"]
    # Follow the provider's redirects by hand until it sends the browser back to the portal.
    for _ in range(10):
        if urlparse(url).hostname == "testserver":
            break
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and 'name="password"' in answer.text:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1)
            next_url = html.unescape(re.search(r'name="next" value="([^"]*)"', answer.text).group(1))
            answer = browser.post(
                url,
                data={
                    "csrfmiddlewaretoken": token,
                    "username": username,
                    "password": password,
                    "next": next_url,
                },
                headers={"Referer": url},
                allow_redirects=False,
                timeout=10,
            )
        assert answer.status_code in (301, 302), answer.text[:500]
        url = urljoin(url, answer.headers["Location"])
    callback = urlparse(url)
    return client.get(f"{callback.path}?{callback.query}", follow=True)
