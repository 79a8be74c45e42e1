"""Who may do what with documents, on core's roles and timeline's board membership.

- Officers of the strategy (and administrators) write the draft and the board papers, and request packs.
- A members' pack is for officers and the members of its meeting's board; nobody else learns it exists.
- A public pack is for everyone who sees the strategy's process (people taking part, board members).
- A draft strategy pack is for officers and the members of any of the strategy's boards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from timeline.rules import can_manage, can_view, is_board_member, sits_on

if TYPE_CHECKING:
    from .models import Pack

can_write = can_manage

rules.add_perm("documents.write_documents", can_write)
rules.add_perm("documents.view_documents", can_view)


def can_see_pack(user: Any, pack: Pack) -> bool:
    strategy = pack.strategy
    if can_manage(user, strategy):
        return True
    if pack.kind == pack.Kind.MEMBERS:
        return pack.meeting is not None and sits_on(user, pack.meeting.board)
    if pack.kind == pack.Kind.PUBLIC:
        return bool(can_view(user, strategy))
    return bool(is_board_member(user, strategy))
