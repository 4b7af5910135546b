"""The funding streams a CSP meets (docs/domain.md §2), with the conditions their agreements imply.

A fund created by code (e.g. on import) takes its name, funder and default
conditions from here; anything can be edited afterwards. An unknown code makes a
plain fund with default conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.enums import ReturnCadence

PEOPLE_ZONE_THEMES = ("Health & Wellbeing", "Community Safety", "Pride of Place", "Celebrating the People")


@dataclass(frozen=True)
class Stream:
    code: str
    name: str
    funder: str
    aliases: tuple[str, ...] = ()

    def default_conditions(self, year: FinancialYear) -> FundConditions:
        """The conditions a new fund of this stream starts with for ``year``."""
        if self.code == "PLF":
            return FundConditions(strategic_priority_required=True, allocation_deadline=year.quarter(1).end)
        if self.code == "CI001":
            return FundConditions(eligible_cohorts=("first-time entrants", "repeat offenders"))
        if self.code == "PZ-BF":
            return FundConditions(
                eligible_areas=("NL65",),
                eligible_themes=PEOPLE_ZONE_THEMES,
                monitoring_cadence_days=31,
                per_grant_cap=Decimal("5000.00"),
            )
        if self.code.startswith("SS"):
            return FundConditions(
                match_share=Decimal("0.5"),
                return_cadence=ReturnCadence.QUARTERLY,
                carry_over_allowed=False,
            )
        if self.code == "CSF":
            return FundConditions(per_grant_cap=Decimal("10000.00"))
        return FundConditions()


STREAMS: dict[str, Stream] = {
    stream.code: stream
    for stream in [
        Stream("PLF", "Partnership Locality Fund", "Office of the Police and Crime Commissioner", ("Locality Fund",)),
        Stream("CI001", "Youth Prevention and Diversion", "Office of the Police and Crime Commissioner"),
        Stream("PZ-BF", "Bell Foundry People Zone Grant Fund", "Office of the Police and Crime Commissioner"),
        Stream("SS4", "Safer Streets round 4", "Home Office", ("Safer Streets 4",)),
        Stream("SS5", "Safer Streets round 5", "Home Office", ("Safer Streets 5",)),
        Stream("CSF", "Commissioner's Safety Fund", "Office of the Police and Crime Commissioner"),
        Stream("DAA", "Domestic Abuse Act 2021", "Department for Levelling Up, Housing and Communities"),
    ]
}


def stream_for(code: str) -> Stream:
    """The known stream for a code, or a plain one named after the code."""
    return STREAMS.get(code.upper(), Stream(code.upper(), code.upper(), ""))
