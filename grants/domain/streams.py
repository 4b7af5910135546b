"""The funding streams a CSP meets (docs/domain.md §2), with the conditions their agreements imply.

A fund created by code (e.g. on import) takes its name, funder and default conditions from here;
anything can be edited afterwards. An unknown code makes a plain fund with no conditions.

Every default condition below names its source; where the sources are silent there is no default
(e.g. no People Zone grant cap: the papers record a £7,200 People Zone grant).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.enums import ReturnCadence

PEOPLE_ZONE_THEMES = ("Health & Wellbeing", "Community Safety", "Pride of Place", "Celebrating the People")
PRIORITIES_REQUIRED_FROM = FinancialYear(2023)
"""The 2023/24 strategic assessment (Recommendation 1) asked that Locality Fund spending be aligned to the
strategic priorities (docs/domain.md §1): earlier years' lines were not allocated against a plan's priorities."""


@dataclass(frozen=True)
class Stream:
    code: str
    name: str
    funder: str
    aliases: tuple[str, ...] = ()

    def default_conditions(self, year: FinancialYear) -> FundConditions:
        """The conditions a new fund of this stream starts with for ``year``; each names its source."""
        if self.code == "PLF":
            # allocation_deadline: the "fully allocated" expectation, by the end of Q1 (docs/domain.md §4
            # ALC002). strategic_priority_required: the 2023/24 strategic assessment (§1), from that year on.
            return FundConditions(
                strategic_priority_required=year.start_year >= PRIORITIES_REQUIRED_FROM.start_year,
                allocation_deadline=year.quarter(1).end,
            )
        if self.code == "CI001":
            # The two criteria of the Youth Prevention and Diversion budget (docs/domain.md §2 CI001).
            return FundConditions(eligible_cohorts=("first-time entrants", "repeat offenders"))
        if self.code == "PZ-BF":
            # Beat NL65, the four themes and monitoring reports roughly monthly (docs/domain.md §2 PZ-BF).
            # Small grants decided by a panel against those themes: judged by theme, area and monitoring,
            # not against the partnership's strategic priorities or a quarterly spending profile (inferred).
            # No cap a grant: the sources give none.
            return FundConditions(
                eligible_areas=("NL65",),
                eligible_themes=PEOPLE_ZONE_THEMES,
                monitoring_cadence_days=31,
                priorities_apply=False,
                profile_expected=False,
            )
        if self.code in ("SS", "SS4"):
            # Round 4: a mandatory 50% match and no transfer between financial years; Safer Streets is
            # claimed on quarterly returns through the OPCC (docs/domain.md §1 and §2 SS4). "SS" is a round
            # recorded without its number, taken as round 4's terms.
            return FundConditions(
                match_share=Decimal("0.5"), return_cadence=ReturnCadence.QUARTERLY, carry_over_allowed=False
            )
        if self.code.startswith("SS"):
            # Later rounds: quarterly returns, paid in arrears (docs/domain.md §2 SS5); the match share of a
            # later round is not in the sources, so none is set.
            return FundConditions(return_cadence=ReturnCadence.QUARTERLY, carry_over_allowed=False)
        if self.code == "CSF":
            # "A pot of up to £10k" per application (docs/domain.md §2 CSF).
            return FundConditions(per_grant_cap=Decimal("10000.00"))
        return FundConditions()


STREAMS: dict[str, Stream] = {
    stream.code: stream
    for stream in [
        Stream("PLF", "Partnership Locality Fund", "Office of the Police and Crime Commissioner", ("Locality Fund",)),
        Stream("CI001", "Youth Prevention and Diversion", "Office of the Police and Crime Commissioner"),
        Stream("PZ-BF", "Bell Foundry People Zone Grant Fund", "Office of the Police and Crime Commissioner"),
        Stream("SS", "Safer Streets", "Home Office", ("Safer Streets",)),
        Stream("SS4", "Safer Streets round 4", "Home Office", ("Safer Streets 4",)),
        Stream("SS5", "Safer Streets round 5", "Home Office", ("Safer Streets 5",)),
        Stream("CSF", "Commissioner's Safety Fund", "Office of the Police and Crime Commissioner"),
        Stream("DAA", "Domestic Abuse Act 2021", "Department for Levelling Up, Housing and Communities"),
    ]
}


def stream_for(code: str) -> Stream:
    """The known stream for a code, or a plain one named after the code."""
    return STREAMS.get(code.upper(), Stream(code.upper(), code.upper(), ""))
