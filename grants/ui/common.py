"""Pieces every page uses: UK formats, the signed-in principal, the chosen fund, and saving.

Session-state keys and their one owner:

* ``principal`` — :mod:`grants.ui.auth` (set on sign-in, refreshed every run by the frame);
* ``as_at``, ``fund_id`` — the frame's sidebar widgets (``streamlit_app.py`` via :func:`sidebar`);
* ``flash`` — :func:`saved` sets it, :func:`show_flash` (the frame) shows and clears it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from streamlit.delta_generator import DeltaGenerator

from grants.domain.calendar import FinancialYear
from grants.domain.errors import Conflict, GrantsError, NotFound, PermissionDenied
from grants.domain.money import format_gbp
from grants.services.access import Principal
from grants.ui import data
from grants.ui.data import clear_caches
from grants.ui.text import md

PRINCIPAL = "principal"
AS_AT = "as_at"
FUND = "fund_id"
FLASH = "flash"
GOTO_FUND = "goto_fund_id"

SEVERITY_ICONS = {
    "error": ":red[:material/error:]",
    "warning": ":orange[:material/warning:]",
    "info": ":blue[:material/info:]",
}
"""Markdown icons for a finding's severity (material icons: they render without emoji fonts)."""
PILL_COLOURS = {
    "Red": "#f8d7da",
    "Error": "#f8d7da",
    "overdue": "#f8d7da",
    "Amber": "#ffe8a3",
    "Warning": "#ffe8a3",
    "due soon": "#ffe8a3",
    "Green": "#cde8d6",
    "submitted": "#cde8d6",
    "Info": "#cfe2ff",
}
"""Background colours of RAG, severity and due-state labels in tables."""


# -- formats --------------------------------------------------------------------------------


def gbp(amount: Decimal | None) -> str:
    """£12,345.00 (blank for no amount)."""
    return "" if amount is None else format_gbp(amount)


def uk_date(day: date | None) -> str:
    """26/10/2017 (blank for no date)."""
    return "" if day is None else day.strftime("%d/%m/%Y")


def uk_datetime(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def to_money(value: object) -> Decimal:
    """A number from a widget (float) as exact pounds and pence."""
    if value is None or value == "":
        return Decimal("0.00")
    return Decimal(str(value)).quantize(Decimal("0.01"))


def pills(frame: pd.DataFrame, *columns: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table with RAG, severity or due-state cells shown as coloured labels, and their column settings.

    (A pandas Styler would do it too, at several times the cost on every rerun.)
    """
    shown = frame.copy()
    config: dict[str, Any] = {}
    for column in columns:
        values = [str(v) for v in shown[column]]
        shown[column] = [[v] if v else [] for v in values]
        options = list(dict.fromkeys(values))
        config[column] = st.column_config.MultiselectColumn(
            options=options, color=[PILL_COLOURS.get(v, "#e9ecef") for v in options]
        )
    return shown, config


MONEY_FORMAT = "£%,.2f"
"""The grid format of an amount that cannot go negative: £12,345.00."""


def severity_note(severity: str, usual: str) -> str:
    """A finding's own severity, and its rule's usual one only when they differ (never "default severity warning"
    beside a finding shown as an error without saying which is which)."""
    if severity == usual:
        return f"severity {severity}"
    return f"severity {severity} here (this rule is usually a {usual})"


def money_columns(*names: str, signed: tuple[str, ...] = ()) -> dict[str, Any]:
    """Column settings showing every amount as £12,345.00, right-aligned.

    A column that can go negative (a balance, a refund, a variance) holds text from :func:`signed_money`
    ("-£250.00", as UK papers write it; a number format would show "£-250.00"), so every page shows one
    money format, with the £ and pence.
    """
    config: dict[str, Any] = {name: st.column_config.NumberColumn(format=MONEY_FORMAT) for name in names}
    for name in signed:
        config[name] = signed_money_column()
    return config


def signed_money_column(**options: Any) -> Any:
    return st.column_config.TextColumn(alignment="right", **options)


def signed_money(amount: Decimal | None) -> str | None:
    """A grid cell of a column that can go negative: "-£250.00" (None for no amount)."""
    return None if amount is None else format_gbp(amount)


TWO_LINES = 66
"""A grid row height that lets text cells wrap (Streamlit wraps text only in rows taller than 4rem, 64px)."""


def fit_width(texts: Iterable[object], *, heading: str = "", least: int = 80, most: int = 560) -> int:
    """A grid column's width in pixels that shows its longest text whole (about 7.5px a character at 14px)."""
    longest = max((len(str(t)) for t in [heading, *texts]), default=0)
    return max(least, min(most, int(longest * 7.5) + 32))


ACCESSIBILITY_CSS = """<style>
/* WCAG 2.2 target size (24px): the day/month/year parts of a date input and the search box of a multiselect. */
[data-testid="stDateInput"] [role="spinbutton"] { display: inline-block; min-width: 24px; min-height: 24px;
  text-align: center; line-height: 24px; }
[data-testid="stMultiSelect"] input[role="combobox"] { min-width: 24px; min-height: 24px; }
</style>"""


def accessibility_styles() -> None:
    """Style fixes Streamlit's own widgets need to meet WCAG 2.2 AA (drawn once per run by the frame)."""
    st.html(ACCESSIBILITY_CSS)


def as_float(amount: Decimal | None) -> float | None:
    """For a grid cell or a chart only: the display edge, never for sums."""
    return None if amount is None else float(amount)


def columns(spec: int | Sequence[float]) -> list[DeltaGenerator]:
    """``st.columns`` as a list (so one name can hold rows of different widths)."""
    return list(st.columns(spec))


# -- who and what ---------------------------------------------------------------------------


def today() -> date:
    """Today in the UK (the app's entry point reads the clock; the services never do)."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def now() -> datetime:
    """Now in the UK, to the second (for the time a report was generated)."""
    return datetime.now(ZoneInfo("Europe/London")).replace(microsecond=0)


def principal() -> Principal:
    """The signed-in principal (the frame signs people in before any page runs)."""
    found = st.session_state.get(PRINCIPAL)
    if not isinstance(found, Principal):
        st.warning("Please sign in.")
        st.stop()
    return found


def as_at() -> date:
    """The "as at" date chosen in the sidebar (today unless changed)."""
    value = st.session_state.get(AS_AT)
    return value if isinstance(value, date) else today()


def fund_id() -> int | None:
    """The fund chosen in the sidebar, if the signed-in person can see any."""
    value = st.session_state.get(FUND)
    return int(value) if value is not None else None


def require_fund() -> int:
    chosen = fund_id()
    if chosen is None:
        st.info("There are no funds you can see yet. A Community Safety Manager can add one on the Funds page.")
        st.stop()
    return chosen


def read_only_note(who: Principal, what: str = "change the ledger") -> None:
    st.caption(
        f":material/lock: You are signed in as a {who.role_label.lower()}: you can read this page but not {what}."
    )


# -- the sidebar (drawn by the frame on every run) -------------------------------------------


def sidebar(who: Principal) -> None:
    """As-at date and fund picker; the fund choice survives page switches."""
    if AS_AT not in st.session_state:
        st.session_state[AS_AT] = today()
    st.sidebar.date_input("As at", key=AS_AT, format="DD/MM/YYYY", help="Figures and checks are as at this date")
    funds = data.fund_summaries(who)
    if not funds:
        return
    ordered = sorted(funds, key=lambda s: (-FinancialYear.parse(s.fund.year).start_year, s.partnership, s.fund.code))
    labels = {
        s.fund.id: fund_label(s.fund.code, s.fund.year, s.fund.name, s.partnership, many=_many(funds)) for s in ordered
    }
    requested = st.session_state.pop(GOTO_FUND, None)
    linked = st.query_params.get("fund")
    if linked is not None:  # a link from another page, e.g. a finding's "open the line"
        del st.query_params["fund"]
        requested = int(linked) if linked.isdigit() else requested
    if requested in labels:
        st.session_state[FUND] = requested
    if st.session_state.get(FUND) not in labels:
        st.session_state[FUND] = next(iter(labels))
    st.sidebar.selectbox("Fund", options=list(labels), format_func=lambda i: labels[i], key=FUND)
    chosen = next(s for s in ordered if s.fund.id == st.session_state[FUND])
    # The picker shows the short label; the whole name wraps underneath rather than being cut short.
    st.sidebar.caption(md(f"{chosen.fund.name} · {chosen.partnership}"))


def _many(funds: list[data.FundSummary]) -> bool:
    return len({s.fund.partnership_id for s in funds}) > 1


def short_partnership(name: str) -> str:
    return name.replace(" Community Safety Partnership", " CSP")


def fund_label(code: str, year: str, name: str, partnership: str, *, many: bool) -> str:
    """The sidebar picker's short label ("PLF 2026/27", with the place when several partnerships show): it fits
    the sidebar whole; the fund's full name is written under the picker."""
    label = f"{code} {year}"
    place = short_partnership(partnership).removesuffix(" CSP")
    return f"{label} · {place}" if many else label


# -- saving ---------------------------------------------------------------------------------


def saved(message: str) -> None:
    """After a successful write: forget cached reads, toast on the next run, rerun."""
    clear_caches()
    st.session_state[FLASH] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def plain_validation(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "__root__")
        text = str(item.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where.replace('_', ' ')}: {text}" if where else text)
    return "; ".join(parts)


@contextmanager
def saving(done: str | None = None) -> Iterator[None]:
    """Run a write; show any refusal in plain words; on success clear caches, toast and rerun.

    ``with saving("Line added"): allocations.add_line(...)``. Pass ``done=None`` to handle
    success yourself (call :func:`saved`).
    """
    try:
        yield
    except Conflict:
        clear_caches()
        st.error(
            "Someone else changed this since you opened the page, so nothing was saved. "
            "Reload the page (press R) to see their change, then make yours again.",
            icon=":material/sync_problem:",
        )
    except PermissionDenied as exc:
        st.error(f"Not allowed: {md(exc)}.", icon=":material/lock:")
    except NotFound as exc:
        clear_caches()
        st.error(f"Not found: {md(exc)}. It may have been removed; reload the page.", icon=":material/help:")
    except ValidationError as exc:
        st.error(f"Not saved: {md(plain_validation(exc))}.", icon=":material/warning:")
    except GrantsError as exc:
        st.error(f"Not saved: {md(exc)}.", icon=":material/warning:")
    else:
        if done is not None:
            saved(done)
