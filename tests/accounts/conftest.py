import pytest
from allauth.socialaccount.models import SocialApp
from django.core.cache import cache

from accounts.models import IdentityProvider as Kind
from accounts.models import SchoolSignIn

from .identity_provider import CLIENT_ID, CLIENT_SECRET, start_provider

PROVIDER_ID = "glenwood-microsoft"
GOOGLE_ID = "hillside-google"

# The school's directory at the identity provider: Tara Quinn is the demo teacher; the stranger is
# not on the portal; the unverified account gives the head's address without vouching for it.
ACCOUNTS = [
    {"username": "tquinn", "password": "provider-pass-1", "email": "teacher@glenwood.example",
     "first_name": "Tara", "last_name": "Quinn"},
    {"username": "stranger", "password": "provider-pass-2", "email": "stranger@glenwood.example",
     "first_name": "Stan", "last_name": "Ranger"},
    {"username": "unverified", "password": "provider-pass-3", "email": "teacher@glenwood.example",
     "first_name": "Tara", "last_name": "Quinn (unverified)"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_cache(db):
    """An authenticator code is taken once (allauth remembers it in the cache, a database table):
    each test starts with nothing remembered, as if a minute had passed."""
    cache.clear()


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    provider = start_provider(
        tmp_path_factory.mktemp("oidc"),
        ACCOUNTS,
        [
            f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/",
            f"http://testserver/accounts/oidc/{GOOGLE_ID}/login/callback/",
        ],
    )
    yield provider
    provider.process.terminate()
    provider.process.wait(timeout=10)


@pytest.fixture
def microsoft_sign_in(demo, identity_provider):
    """Glenwood's "Sign in with Microsoft 365", pointed at the test provider."""
    teacher = demo["teacher"]
    teacher.email = "teacher@glenwood.example"
    teacher.save(update_fields=["email"])
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="Glenwood School Microsoft 365",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": identity_provider.server_url, "oauth_pkce_enabled": True},
    )
    return SchoolSignIn.objects.create(school=demo["glenwood"], provider=Kind.MICROSOFT, app=app)


@pytest.fixture
def google_sign_in(demo, identity_provider):
    """Hillside's "Sign in with Google Workspace", pointed at the same test provider."""
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=GOOGLE_ID,
        name="Hillside Academy Google Workspace",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": identity_provider.server_url, "oauth_pkce_enabled": True},
    )
    return SchoolSignIn.objects.create(school=demo["hillside"], provider=Kind.GOOGLE, app=app)
