"""``report meeting``: the strategic group meeting's pack, made as at the meeting date or as frozen for it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grants.cli.common import iso_date
from grants.cli.output import write_out
from grants.services import lookup, usecase
from grants.services.access import Principal
from grants.storage.database import Database

if TYPE_CHECKING:
    from grants.services.meetings import FrozenPack


def add_meeting_parser(kinds: Any) -> None:
    meeting = kinds.add_parser(
        "meeting",
        help="the strategic group meeting's pack (PDF or XLSX): budget tables as at the meeting, changes since "
        "the last meeting, findings and budget implications",
        description="Make the meeting's pack as at its date. A pack frozen for the meeting (--freeze) is kept as "
        "it was shown and written again byte for byte afterwards, whatever has changed in the ledger since.",
    )
    meeting.add_argument("--partnership", required=True, metavar="NAME")
    meeting.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the meeting's date")
    meeting.add_argument(
        "--since",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the last meeting's date (default: the newest frozen pack before this meeting)",
    )
    meeting.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.pdf or FILE.xlsx")
    meeting.add_argument(
        "--freeze", action="store_true", help="keep this pack as the meeting's pack (once; audited, with SHA-256)"
    )
    meeting.add_argument("--force", action="store_true", help="replace FILE if it exists (a link is never followed)")
    meeting.set_defaults(handler=_meeting)


def _meeting(args: argparse.Namespace, database: Database) -> int:
    from grants.services import meetings, reporting  # loaded on use: pandas and reportlab are slow to import

    fmt = reporting.format_of(str(args.out), meetings.FORMATS)
    who: Principal = args.principal
    partnership_id = usecase.read(database, who, lookup.partnership_id, args.partnership)
    frozen: FrozenPack | None
    if args.freeze:
        frozen = usecase.perform(
            database, who, meetings.freeze_meeting_pack, partnership_id, meeting_on=args.date, since=args.since
        )
        print(f"froze the pack for the meeting of {args.date:%d/%m/%Y}")
    else:
        frozen = usecase.read(database, who, meetings.frozen_pack, partnership_id, args.date)
    if frozen is not None:
        if args.since is not None and frozen.since != args.since and not args.freeze:
            print(
                f"the meeting's pack was frozen comparing with {frozen.since or 'no earlier meeting'}; "
                "--since is not used"
            )
        data = frozen.data(fmt)
        written = write_out(args.out, data, database, force=args.force)
        print(
            f"wrote {written} ({len(data):,} bytes): the pack as frozen on {frozen.frozen_at:%d/%m/%Y at %H:%M} "
            f"by {frozen.frozen_by}, SHA-256 {frozen.sha256(fmt)}"
        )
        return 0
    pack = usecase.read(database, who, meetings.meeting_pack, partnership_id, meeting_on=args.date, since=args.since)
    data = meetings.render_meeting_pack(pack, fmt)
    written = write_out(args.out, data, database, force=args.force)
    print(f"wrote {written} ({len(data):,} bytes): figures as at {args.date:%d/%m/%Y} (not frozen)")
    return 0
