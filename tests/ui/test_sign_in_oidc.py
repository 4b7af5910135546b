"""Sign-in through an OIDC provider (e.g. Microsoft Entra ID) when ``[auth]`` is configured."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from grants.domain.enums import Role
from grants.services import usecase
from grants.services.access import local_operator
from grants.services.users import add_user
from grants.storage.database import Database
from tests.ui.conftest import APP, TIMEOUT, no_exceptions

ENTRA = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-secret-for-tests-only",
    "microsoft": {
        "client_id": "00000000-0000-0000-0000-000000000000",
        "client_secret": "test",
        "server_metadata_url": "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
    },
}


def oidc_app(user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = ENTRA
    at.user = user
    return at.run()


def test_with_oidc_configured_the_sign_in_page_offers_the_provider_not_a_password(demo_database: Database) -> None:
    at = oidc_app({"is_logged_in": False})
    no_exceptions(at)
    assert at.button(key="oidc_sign_in").label == "Sign in"
    assert not at.text_input, "no local username and password form"


def test_a_signed_in_email_with_an_account_gets_its_role(demo_database: Database) -> None:
    usecase.perform(
        demo_database,
        local_operator(),
        add_user,
        username="jane.smith@charnwood.gov.uk",
        role=Role.MANAGER,
        all_partnerships=True,
    )
    at = oidc_app({"is_logged_in": True, "email": "Jane.Smith@charnwood.gov.uk", "name": "Jane Smith"})
    no_exceptions(at)
    assert at.title[0].value == "Overview"
    sidebar = " ".join(m.value for m in at.sidebar.markdown).replace("\\", "").replace("\u2060", "")
    assert "jane.smith@charnwood.gov.uk" in sidebar


def test_an_entra_token_without_an_email_claim_uses_preferred_username(demo_database: Database) -> None:
    usecase.perform(
        demo_database,
        local_operator(),
        add_user,
        username="sam@charnwood.gov.uk",
        role=Role.VIEWER,
        all_partnerships=True,
    )
    at = oidc_app({"is_logged_in": True, "preferred_username": "sam@charnwood.gov.uk"})
    assert at.title[0].value == "Overview"


def test_a_signed_in_email_without_an_account_gets_no_access(demo_database: Database) -> None:
    at = oidc_app({"is_logged_in": True, "email": "stranger@example.org"})
    no_exceptions(at)
    assert "no active account here has that email" in at.error[0].value
    assert at.button(key="oidc_sign_out").label == "Sign out"
