"""Demo data: Charnwood's real PLF 2017/18 table, plus an illustrative current year.

The 2017/18 table is the one printed in the partnership's papers on 26/10/2017
(docs/domain.md §7) and is loaded through the same importer a user would use. Every
other figure, and the grantee names not in docs/domain.md §7, are invented for the
demo and marked "Illustrative" in their notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from grants.domain.enums import (
    AmountStatus,
    ApplicationStatus,
    CapitalRevenue,
    MatchKind,
    ReceiptStatus,
    ReturnStatus,
    RoundStatus,
)
from grants.domain.errors import RuleViolation
from grants.domain.models import (
    Application,
    BudgetLine,
    Funder,
    GrantRound,
    MatchContribution,
    OutcomeUpdate,
    ProfileEntry,
    Receipt,
    Return,
    Spend,
)
from grants.domain.streams import stream_for
from grants.services.access import local_operator
from grants.services.importing import import_budget
from grants.services.installation import is_demo_in, mark_demo
from grants.services.ledger import ensure_fund, ensure_partnership
from grants.services.programmes import set_programme
from grants.services.users import add_demo_users, ensure_demo_users
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

PARTNERSHIP = "Charnwood Community Safety Partnership"
DEMO_ACTOR = "demo-loader"
ILLUSTRATIVE = "Illustrative: invented figures for the demo, not published."
CURRENT_YEAR = "2026/27"
SP1 = "SP1 Safeguarding communities from violent offences"
SP2 = "SP2 Reduce harm caused by youth ASB and youth crime"
SP3 = "SP3 Reduce criminal exploitation"
STRATEGIC_GROUP = "Charnwood Strategic Group"
PLF_2017_TABLE = "charnwood_plf_2017_18.csv"
PLF_2017_AS_AT = date(2017, 10, 26)
DEMO_DAY = date(2026, 11, 29)
"""The day the illustrative 2026/27 year stands at (its lines, approvals and profiles take effect then)."""
OPCC = stream_for("PLF").funder
HOME_OFFICE = stream_for("SS").funder


def _money(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DemoLine:
    description: str
    partner: str
    priority: str
    area: str
    allocated: str
    profile: tuple[str, str, str, str]
    spend: tuple[str, str, str]  # Q1, Q2, Q3 to date
    approved: bool = True
    capital: bool = False


# description, partner, priority, area, allocated, profile Q1-Q4, spend Q1-Q3 to date; then approved, capital
PLF_LINES = [
    DemoLine("Youth diversion sessions", "Go-Getta", SP2, "NL62", "12000",
             ("3000", "3000", "3000", "3000"), ("3000", "3000", "1200")),
    DemoLine("Healthy relationships programme in schools", "Love4Life", SP1, "", "10000",
             ("2500", "2500", "2500", "2500"), ("2500", "2000", "0")),
    DemoLine("Domestic abuse outreach and advocacy", "Living Without Abuse", SP1, "", "18000",
             ("4500", "4500", "4500", "4500"), ("4500", "4500", "3000")),
    DemoLine("Detached youth work, Bell Foundry estate", "Falcon Centre", SP2, "NL65", "8000",
             ("2000", "2000", "2000", "2000"), ("0", "0", "0")),
    DemoLine("County lines and substance misuse awareness", "Turning Point", SP3, "", "9000",
             ("2250", "2250", "2250", "2250"), ("2250", "2250", "2250")),
    DemoLine("Street Pastors, night-time economy", "Street Pastors", SP1, "NL62", "6000",
             ("1500", "1500", "1500", "1500"), ("1500", "1500", "1000")),
    DemoLine("Mobile CCTV camera fund", "Charnwood Borough Council", SP1, "", "7000",
             ("0", "7000", "0", "0"), ("0", "7250", "0"), capital=True),
    DemoLine("Prevention campaign materials", "Charnwood Borough Council", "", "", "5000",
             ("1250", "1250", "1250", "1250"), ("800", "0", "0")),
    DemoLine("Contingency fund", "", "", "", "5000", ("0", "0", "0", "0"), ("0", "0", "0"), approved=False),
]  # fmt: skip

# (applicant, project, theme, area, requested, funded, started, published name?)
PEOPLE_ZONE_APPLICATIONS = [
    ("10th Loughborough Brownies", "Community celebration day", "Celebrating the People", "NL65", "1200", True, True),
    ("MTC Gardening Group", "Estate growing spaces", "Pride of Place", "NL65", "2500", True, True),
    ("Fearon Hall", "Wellbeing drop-in sessions", "Health & Wellbeing", "NL65", "4800", True, False),
    (
        "ZamZam Unlimited Possibilities",
        "Young women's safety workshops",
        "Community Safety",
        "NL65",
        "3500",
        True,
        True,
    ),
    ("Crimestoppers UK", "Fearless youth outreach", "Community Safety", "NL65", "4000", True, False),
    ("Loughborough Wellbeing Centre", "Peer support for carers", "Health & Wellbeing", "NL65", "5000", True, False),
    ("Warwick Way Community Group", "Litter pick and planters", "Pride of Place", "NL65", "2000", True, False),
    ("Shelthorpe Youth Football", "Holiday football camp", "Community Safety", "NL63", "3000", False, False),
    ("Town Centre Traders", "Shop front grants", "Business support", "NL62", "4500", False, False),
    ("Loughborough Arts Collective", "Estate mural", "Celebrating the People", "NL65", "6500", False, False),
]
PUBLISHED_GRANTEES = {
    "10th Loughborough Brownies",
    "MTC Gardening Group",
    "Fearon Hall",
    "ZamZam Unlimited Possibilities",
    "Crimestoppers UK",
    "Loughborough Wellbeing Centre",
}


def demo_table_path() -> Path:
    """The shipped CSV of Charnwood's PLF 2017/18 table."""
    return Path(str(resources.files("grants.demo_data").joinpath(PLF_2017_TABLE)))


def load_demo(database: Database) -> None:
    """Load the demo partnership, its real 2017/18 PLF table and the illustrative current year."""
    with UnitOfWork(database, actor=DEMO_ACTOR) as uow:
        _fill_demo(uow)
        uow.commit()


def _fill_demo(uow: UnitOfWork) -> None:
    """The demo data and its mark, in the caller's unit of work."""
    partnership = ensure_partnership(uow, PARTNERSHIP)
    assert partnership.id is not None
    # Charnwood's ONS GSS code, for 360Giving locations (docs/domain.md §3).
    uow.partnerships.update(partnership.id, None, la_code="E07000130", la_name="Charnwood")
    import_budget(
        uow,
        local_operator(DEMO_ACTOR),
        partnership.id,
        demo_table_path(),
        fund_code="PLF",
        year="2017/18",
        as_at=PLF_2017_AS_AT,
    )
    plf_2017, _ = ensure_fund(uow, PARTNERSHIP, "PLF", "2017/18")
    assert plf_2017.id is not None
    notes = "Figures as printed in the partnership's papers of 26/10/2017."
    uow.funds.update(plf_2017.id, None, notes=notes)
    _returns_sent_2017(uow, plf_2017.id)
    # The illustrative year is a snapshot of 29 November 2026: its changes take effect on that day, whatever
    # day the demo is loaded, so the demo's figures (and the tests reading it as at that day) never drift.
    with uow.dated(DEMO_DAY):
        _programmes(uow)
        _current_plf(uow)
        _people_zone(uow)
        _safer_streets(uow)
    mark_demo(uow)


def _returns_sent_2017(uow: UnitOfWork, fund_id: int) -> None:
    """The 2017/18 six-monthly financial profiles, recorded as sent to the OPCC: the papers of 26/10/2017
    say the profile is sent "every 6 months" (H1 recorded on the day of those papers, H2 on its due date)."""
    for period, sent_on in (("2017/18 H1", PLF_2017_AS_AT), ("2017/18 H2", date(2018, 4, 30))):
        uow.returns.add(
            Return(
                fund_id=fund_id,
                period=period,
                status=ReturnStatus.SUBMITTED,
                submitted_on=sent_on,
                submitted_by="Community Safety Manager (sent outside the tracker)",
            )
        )


def _quarter_day(year_start: int, quarter: int) -> date:
    """A mid-quarter payment date in financial year ``year_start``."""
    month = {1: 5, 2: 8, 3: 11, 4: 2}[quarter]
    return date(year_start + (1 if quarter == 4 else 0), month, 15)


def _profile_and_spend(
    uow: UnitOfWork, line_id: int, profile: Sequence[str], spend: Sequence[str], kind: CapitalRevenue, prefix: str
) -> None:
    """Quarterly profile entries and one mid-quarter payment per quarter with spend, for a current-year line."""
    for quarter, amount in enumerate(profile, start=1):
        if Decimal(amount):
            uow.profiles.add(ProfileEntry(line_id=line_id, year=CURRENT_YEAR, quarter=quarter, amount=_money(amount)))
    for quarter, amount in enumerate(spend, start=1):
        if Decimal(amount):
            uow.spends.add(
                Spend(
                    line_id=line_id,
                    spent_on=_quarter_day(2026, quarter),
                    amount=_money(amount),
                    reference=f"{prefix}-{line_id:03d}-Q{quarter}",
                    capital_revenue=kind,
                )
            )


def _programmes(uow: UnitOfWork) -> None:
    """The OPCC's programmes for the current year (PLF, and Safer Streets with Home Office money passed down
    through the OPCC), on their streams' default conditions: the current funds join them as they are made."""
    opcc = uow.funders.first(name=OPCC) or uow.funders.add(Funder(name=OPCC))
    home_office = uow.funders.first(name=HOME_OFFICE) or uow.funders.add(Funder(name=HOME_OFFICE))
    assert opcc.id is not None and home_office.id is not None
    uow.funders.update(opcc.id, None, parent_id=home_office.id)
    for code in ("PLF", "SS"):
        set_programme(uow, local_operator(DEMO_ACTOR), funder=opcc.id, code=code, year=CURRENT_YEAR)


def _current_plf(uow: UnitOfWork) -> None:
    fund, _ = ensure_fund(uow, PARTNERSHIP, "PLF", CURRENT_YEAR)
    assert fund.id is not None
    uow.funds.update(fund.id, None, amount=_money("80000"), notes=ILLUSTRATIVE)
    uow.receipts.add(
        Receipt(fund_id=fund.id, amount=_money("40000"), received_on=date(2026, 5, 15), reference="OPCC H1")
    )
    uow.receipts.add(
        Receipt(fund_id=fund.id, amount=_money("40000"), received_on=date(2026, 10, 15), reference="OPCC H2")
    )
    for item in PLF_LINES:
        line = uow.lines.add(
            BudgetLine(
                fund_id=fund.id,
                description=item.description,
                delivery_partner=item.partner,
                strategic_priority=item.priority,
                area=item.area,
                capital_revenue=CapitalRevenue.CAPITAL if item.capital else CapitalRevenue.REVENUE,
                allocated=_money(item.allocated),
                approved_by=STRATEGIC_GROUP if item.approved else "",
                approved_on=date(2026, 4, 21) if item.approved else None,
                notes=ILLUSTRATIVE,
            )
        )
        assert line.id is not None
        kind = CapitalRevenue.CAPITAL if item.capital else CapitalRevenue.REVENUE
        _profile_and_spend(uow, line.id, item.profile, item.spend, kind, "INV")
        if item.partner in ("Living Without Abuse", "Go-Getta"):
            uow.outcomes.add(
                OutcomeUpdate(
                    line_id=line.id,
                    period=f"{CURRENT_YEAR} Q1",
                    reported_on=date(2026, 7, 20),
                    outputs=Decimal("42"),
                    unit="people supported",
                    narrative="Sessions delivered as planned.",
                    evidence="Quarterly monitoring return and attendance registers",
                )
            )
            uow.outcomes.add(
                OutcomeUpdate(
                    line_id=line.id,
                    period=f"{CURRENT_YEAR} Q2",
                    reported_on=date(2026, 10, 20),
                    awaiting_data=item.partner == "Go-Getta",
                    outputs=None if item.partner == "Go-Getta" else Decimal("51"),
                    unit="people supported",
                    narrative="Awaiting data from the provider." if item.partner == "Go-Getta" else "On track.",
                    evidence="" if item.partner == "Go-Getta" else "Quarterly monitoring return",
                )
            )


def _people_zone(uow: UnitOfWork) -> None:
    fund, _ = ensure_fund(uow, PARTNERSHIP, "PZ-BF", CURRENT_YEAR)
    assert fund.id is not None
    uow.funds.update(fund.id, None, amount=_money("35000"), notes=ILLUSTRATIVE)
    uow.receipts.add(
        Receipt(fund_id=fund.id, amount=_money("20000"), received_on=date(2026, 7, 1), reference="OPCC first payment")
    )
    uow.receipts.add(
        Receipt(fund_id=fund.id, amount=_money("15000"), status=ReceiptStatus.EXPECTED, reference="OPCC balance")
    )
    first = uow.rounds.add(
        GrantRound(
            fund_id=fund.id,
            number=1,
            opens=date(2026, 5, 4),
            closes=date(2026, 6, 1),
            status=RoundStatus.CLOSED,
        )
    )
    uow.rounds.add(
        GrantRound(
            fund_id=fund.id,
            number=2,
            opens=date(2027, 1, 11),
            closes=date(2027, 2, 8),
            status=RoundStatus.PLANNED,
        )
    )
    assert first.id is not None
    for applicant, project, theme, area, requested, funded, started in PEOPLE_ZONE_APPLICATIONS:
        note = "" if applicant in PUBLISHED_GRANTEES else " (illustrative applicant)"
        line_id = None
        if funded:
            line = uow.lines.add(
                BudgetLine(
                    fund_id=fund.id,
                    description=f"{project} ({applicant})",
                    delivery_partner=applicant,
                    theme=theme,
                    area=area,
                    strategic_priority=SP1 if theme == "Community Safety" else "",
                    allocated=_money(requested),
                    approved_by="Bell Foundry People Zone panel",
                    approved_on=date(2026, 6, 15),
                    starts=date(2026, 7, 1),
                    ends=date(2027, 3, 31),
                    notes=ILLUSTRATIVE + note,
                )
            )
            line_id = line.id
            assert line.id is not None
            if started:
                half = (_money(requested) / 2).quantize(Decimal("0.01"))
                uow.spends.add(
                    Spend(line_id=line.id, spent_on=date(2026, 7, 20), amount=half, reference="PZ grant 1/2")
                )
                uow.outcomes.add(
                    OutcomeUpdate(
                        line_id=line.id,
                        period=f"{CURRENT_YEAR} Q2",
                        reported_on=date(2026, 9, 30),
                        outputs=Decimal("25"),
                        unit="residents taking part",
                        narrative="Monthly monitoring report received.",
                        evidence="Monitoring report and photographs",
                    )
                )
        uow.applications.add(
            Application(
                round_id=first.id,
                applicant=applicant,
                project=project + note,
                theme=theme,
                area=area,
                requested=_money(requested),
                received_on=date(2026, 5, 20),
                status=ApplicationStatus.FUNDED if funded else ApplicationStatus.REFUSED,
                score=Decimal("7.5") if funded else Decimal("3.0"),
                decided_by="Bell Foundry People Zone panel",
                decided_on=date(2026, 6, 15),
                line_id=line_id,
            )
        )


def _safer_streets(uow: UnitOfWork) -> None:
    fund, _ = ensure_fund(uow, PARTNERSHIP, "SS", CURRENT_YEAR)
    assert fund.id is not None
    uow.funds.update(
        fund.id,
        None,
        name="Safer Streets (illustrative round)",
        amount=_money("60000"),
        amount_status=AmountStatus.BID_APPROVED,
        notes=ILLUSTRATIVE + " Target area: beat NL63 (Lodge Farm, Shelthorpe). Paid in arrears on quarterly returns.",
    )
    uow.receipts.add(
        Receipt(
            fund_id=fund.id, amount=_money("14250"), received_on=date(2026, 8, 30), reference="Home Office Q1 claim"
        )
    )
    lines = [
        (
            "Target hardening, Lodge Farm and Shelthorpe",
            CapitalRevenue.CAPITAL,
            "30000",
            ("6000", "9000", "9000", "6000"),
            ("5000", "9500"),
        ),
        ("Street lighting improvements", CapitalRevenue.CAPITAL, "20000", ("0", "10000", "10000", "0"), ("0", "4000")),
        (
            "Crime prevention events and Neighbourhood Watch",
            CapitalRevenue.REVENUE,
            "10000",
            ("2500", "2500", "2500", "2500"),
            ("2250", "2500"),
        ),
    ]
    for description, kind, allocated, profile, spend in lines:
        line = uow.lines.add(
            BudgetLine(
                fund_id=fund.id,
                description=description,
                delivery_partner="Charnwood Borough Council",
                strategic_priority=SP1,
                area="NL63",
                capital_revenue=kind,
                allocated=_money(allocated),
                approved_by=STRATEGIC_GROUP,
                approved_on=date(2026, 4, 21),
                notes=ILLUSTRATIVE,
            )
        )
        assert line.id is not None
        _profile_and_spend(uow, line.id, profile, spend, kind, "SS")
    uow.matches.add(
        MatchContribution(
            fund_id=fund.id,
            kind=MatchKind.CASH,
            contributed_on=date(2026, 6, 30),
            contributor="Charnwood Borough Council",
            amount=_money("15000"),
        )
    )
    uow.matches.add(
        MatchContribution(
            fund_id=fund.id,
            kind=MatchKind.IN_KIND,
            contributed_on=date(2026, 9, 30),
            contributor="Leicestershire Police (officer hours)",
            hours=Decimal("400"),
            hourly_rate=_money("35.00"),
        )
    )


def install_demo(database: Database) -> bool:
    """Load the demo and its accounts into an empty database (True); a demo database is left as it is
    (False); a database holding anything else is refused, so real data never gets demo data or accounts.
    """
    with UnitOfWork(database, actor=DEMO_ACTOR) as uow:
        if is_demo_in(uow):
            add_demo_users(uow, PARTNERSHIP)
            uow.commit()
            return False
        if uow.partnerships.count():
            raise RuleViolation(
                "this database holds data that is not the demo; the demo loads only into a new, empty database "
                "(e.g. --database sqlite:///data/demo.db)"
            )
        _fill_demo(uow)  # data, mark and accounts in one transaction: a kill leaves none of them or all
        add_demo_users(uow, PARTNERSHIP)
        uow.commit()
    return True


def ensure_demo_accounts(database: Database) -> list[str]:
    """The demo accounts (manager and strategic of the demo partnership, viewer, admin); those created."""
    return ensure_demo_users(database, PARTNERSHIP)


__all__ = ["PARTNERSHIP", "ensure_demo_accounts", "install_demo", "load_demo"]
