"""Overview: each fund with allocated, spent and balance, and its lines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from grants.domain.money import format_gbp
from grants.services.ledger import fund_summaries, line_balances
from grants.storage.unit_of_work import UnitOfWork
from grants.ui.context import database


@st.cache_data(ttl=60)
def _funds_table() -> pd.DataFrame:
    with UnitOfWork(database(), actor="app") as uow:
        summaries = fund_summaries(uow)
    return pd.DataFrame(
        [
            {
                "fund_id": s.fund.id,
                "Partnership": s.partnership,
                "Fund": f"{s.fund.code} {s.fund.name}",
                "Year": s.fund.year,
                "Amount": format_gbp(s.fund.amount),
                "Allocated": format_gbp(s.allocated),
                "Spent": format_gbp(s.spent),
                "Balance": format_gbp(s.balance),
            }
            for s in summaries
        ]
    )


@st.cache_data(ttl=60)
def _lines_table(fund_id: int) -> pd.DataFrame:
    with UnitOfWork(database(), actor="app") as uow:
        balances = line_balances(uow, fund_id)
    return pd.DataFrame(
        [
            {
                "Description": b.description,
                "Delivery partner": b.line.delivery_partner,
                "Amount Allocated": format_gbp(b.allocated),
                "Amount Spent to Date": format_gbp(b.spent),
                "Balance Remaining": format_gbp(b.balance),
            }
            for b in balances
        ]
    )


st.title("Funds overview")
funds = _funds_table()
if funds.empty:
    st.info("No funds yet. Import a budget table with `python -m grants import budget ...`.")
    st.stop()
st.dataframe(funds.drop(columns=["fund_id"]), hide_index=True, width="stretch")
labels = {int(row.fund_id): f"{row.Partnership} · {row.Fund} · {row.Year}" for row in funds.itertuples()}
chosen = st.selectbox("Budget lines of", options=list(labels), format_func=labels.__getitem__, key="overview_fund")
if chosen is not None:
    st.dataframe(_lines_table(int(chosen)), hide_index=True, width="stretch")
