"""The app's pages, who sees each, and their sections: one list the frame and the tests share."""

from __future__ import annotations

from dataclasses import dataclass

from grants.domain.enums import Role

EVERYONE = frozenset(Role)
LEDGER_ROLES = frozenset({Role.MANAGER, Role.STRATEGIC_GROUP, Role.VIEWER, Role.FUNDER})
COUNTY_ROLES = frozenset({Role.FUNDER, Role.VIEWER})


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to streamlit_app.py
    title: str
    icon: str
    url_path: str
    section: str
    roles: frozenset[Role]


PAGES = (
    PageSpec("grants/ui/overview_page.py", "Overview", ":material/dashboard:", "overview", "Money", EVERYONE),
    PageSpec("grants/ui/county_page.py", "County view", ":material/map:", "county", "Money", COUNTY_ROLES),
    PageSpec("grants/ui/funds_page.py", "Funds", ":material/account_balance:", "funds", "Money", LEDGER_ROLES),
    PageSpec(
        "grants/ui/allocations_page.py", "Allocations", ":material/table_chart:", "allocations", "Money", LEDGER_ROLES
    ),
    PageSpec("grants/ui/spend_page.py", "Spend", ":material/payments:", "spend", "Money", LEDGER_ROLES),
    PageSpec("grants/ui/rounds_page.py", "Grant rounds", ":material/how_to_vote:", "rounds", "Delivery", LEDGER_ROLES),
    PageSpec(
        "grants/ui/outcomes_page.py",
        "Profiles and outcomes",
        ":material/timeline:",
        "outcomes",
        "Delivery",
        LEDGER_ROLES,
    ),
    PageSpec("grants/ui/compliance_page.py", "Compliance", ":material/rule:", "compliance", "Assurance", LEDGER_ROLES),
    PageSpec(
        "grants/ui/reports_page.py",
        "Reports and returns",
        ":material/description:",
        "reports",
        "Assurance",
        LEDGER_ROLES,
    ),
    PageSpec("grants/ui/audit_page.py", "Audit log", ":material/history:", "audit", "Assurance", EVERYONE),
    PageSpec(
        "grants/ui/admin_page.py", "Admin", ":material/manage_accounts:", "admin", "Settings", frozenset({Role.ADMIN})
    ),
)
LOGIN_PAGE = "grants/ui/login_page.py"


def pages_for(role: Role) -> list[PageSpec]:
    """The pages a role sees, in menu order."""
    return [page for page in PAGES if role in page.roles]


def can_open(role: Role, path: str) -> bool:
    """Whether the role's navigation has this page (a link to a page it lacks would fail)."""
    return any(page.path == path for page in pages_for(role))
