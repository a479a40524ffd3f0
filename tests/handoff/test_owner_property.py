"""The owner of a conversation, explored: random runs of shopper messages, requests for a person,
claims by one of three staff, staff replies, hand-backs, resolves, reopening and restarts (a new
process over the same SQLite file), checked against a model of the handoff state machine.

After every step the event log, read in order, never shows the assistant speaking while a person
owns the conversation, never a second claim over a live one, never a staff reply from anyone but the
owner; ``fold(...).owner`` and ``store.handoff(...)`` agree with the model; and every shopper message
is answered silently exactly when a person owns the conversation. Every staff step the model calls
invalid raises :class:`OwnershipConflict` and writes nothing; every valid one succeeds.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hangat.assistant import Assistant, build_assistant
from hangat.domain.conversation import Event, EventKind, fold
from hangat.domain.customer import StaffMember
from hangat.domain.handoff import CLAIMED, QUEUED, RESOLVED, RETURNED
from hangat.errors import OwnershipConflict
from hangat.settings import Settings

CONV = "prop-c1"
STAFF = (StaffMember("s-ana", "Ana"), StaffMember("s-budi", "Budi"), StaffMember("s-citra", "Citra"))
ASK_FOR_A_PERSON = "I want to talk to a real person"
SMALL_TALK = ("hello", "thanks", "are you there?")
OWNER = {None: "bot", QUEUED: "queued", CLAIMED: "person", RETURNED: "bot", RESOLVED: "bot"}
STAFF_KINDS = (
    EventKind.HANDOFF_CLAIMED,
    EventKind.STAFF_SAID,
    EventKind.HANDOFF_RETURNED,
    EventKind.HANDOFF_RESOLVED,
)

staff_ids = st.sampled_from([s.external_id for s in STAFF])


def log_violations(events: list[Event]) -> list[str]:
    """What the log, replayed in order, shows that the owner rules forbid."""
    owner, holder = "bot", None
    wrong = []
    for e in sorted(events, key=lambda e: e.seq):
        who = e.payload.get("staff_id")
        if e.kind is EventKind.HANDOFF_REQUESTED:
            if owner == "person":
                wrong.append(f"#{e.seq} a request while {holder} owns the conversation")
            else:
                owner = "queued"
        elif e.kind is EventKind.HANDOFF_CLAIMED:
            if owner == "person":
                wrong.append(f"#{e.seq} {who} claimed while {holder} owns the conversation (two owners)")
            owner, holder = "person", who
        elif e.kind in (EventKind.HANDOFF_RETURNED, EventKind.HANDOFF_RESOLVED):
            owner, holder = "bot", None
        elif e.kind is EventKind.ASSISTANT_SAID and owner == "person":
            wrong.append(f"#{e.seq} the assistant spoke while {holder} owns the conversation")
        elif e.kind is EventKind.STAFF_SAID and (owner != "person" or who != holder):
            wrong.append(f"#{e.seq} {who} replied while the owner is {holder or owner}")
    return wrong


def replayed_owner(events: list[Event]) -> str:
    owner = "bot"
    for e in sorted(events, key=lambda e: e.seq):
        if e.kind is EventKind.HANDOFF_REQUESTED and owner != "person":
            owner = "queued"
        elif e.kind is EventKind.HANDOFF_CLAIMED:
            owner = "person"
        elif e.kind in (EventKind.HANDOFF_RETURNED, EventKind.HANDOFF_RESOLVED):
            owner = "bot"
    return owner


class OwnerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="hangat-owner-"))
        self.settings = Settings(data_dir=self.dir, embedder="none", secret_key="k")
        self.assistant: Assistant = build_assistant(self.settings)
        self.assistant.store.upsert_staff(list(STAFF))
        self.assistant.store.open_conversation(CONV, None, "en")
        self.staff = {s.external_id: s for s in self.assistant.store.list_staff()}
        self.keys = itertools.count(1)
        # the model: the handoff's state and staff member as stored (state None: no handoff yet;
        # the staff member stays on a returned or resolved handoff, a new request clears it)
        self.state: str | None = None
        self.holder: str | None = None

    def teardown(self) -> None:
        self.assistant.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def owner(self) -> str:
        return OWNER[self.state]

    def _member(self, staff_id: str) -> StaffMember:
        return self.staff[staff_id]  # as the store lists it (after a restart too)

    def _say(self, text: str) -> None:
        """A shopper message through the whole turn pipeline: silent exactly while a person owns it."""
        person = self.owner == "person"
        before = len(self.assistant.store.events(CONV))
        turn = self.assistant.handle_message(CONV, text, f"shopper-{next(self.keys)}")
        assert turn.reply.silent is person, (
            f"{text!r} answered silent={turn.reply.silent}, owner {self.owner}"
        )
        if person:
            assert turn.reply.text == ""
        new = self.assistant.store.events(CONV, before)
        assert new and new[0].kind is EventKind.SHOPPER_SAID, "the shopper's message is always stored"
        said = [e for e in new if e.kind is EventKind.ASSISTANT_SAID]
        assert len(said) == (0 if person else 1), f"{len(said)} assistant messages for one turn"

    def _staff_step(
        self, valid: bool, step: str, staff: StaffMember, act: Callable[[], object], writes: list[EventKind]
    ) -> bool:
        """Run a desk step the model calls ``valid`` (it must append ``writes``) or invalid (it must
        raise OwnershipConflict and write nothing). Whether it was applied."""
        before = self.assistant.store.events(CONV)
        handoff = self.assistant.store.handoff(CONV)
        where = f"in state {self.state} (held by {self.holder})"
        try:
            act()
        except OwnershipConflict as exc:
            assert not valid, f"{step} by {staff.external_id} refused {where}: {exc}"
            assert self.assistant.store.events(CONV) == before, f"a refused {step} wrote events"
            assert self.assistant.store.handoff(CONV) == handoff, f"a refused {step} changed the handoff"
            return False
        assert valid, f"{step} by {staff.external_id} accepted {where}"
        new = self.assistant.store.events(CONV, len(before))
        assert [e.kind for e in new] == writes, f"{step} wrote {[e.kind.value for e in new]}"
        assert all(e.payload.get("staff_id") == staff.external_id for e in new if e.kind in STAFF_KINDS)
        return True

    # -- the shopper ------------------------------------------------------------------------------

    @rule()
    def shopper_asks_for_a_person(self) -> None:
        self._say(ASK_FOR_A_PERSON)
        if self.owner == "bot":  # queued: "still waiting"; a person there: silent
            self.state, self.holder = QUEUED, None

    @rule(text=st.sampled_from(SMALL_TALK))
    def shopper_says(self, text: str) -> None:
        self._say(text)

    @precondition(lambda self: self.state == RESOLVED)
    @rule(text=st.sampled_from(SMALL_TALK))
    def shopper_reopens_after_resolve(self, text: str) -> None:
        self._say(text)  # the bot answers again; the handoff stays resolved

    # -- the staff --------------------------------------------------------------------------------

    @rule(staff=staff_ids)
    def claim(self, staff: str) -> None:
        member = self._member(staff)
        again = self.state == CLAIMED and self.holder == member.external_id  # a double click: no-op
        valid = self.state != CLAIMED or again  # a queued request, or a person joining unasked
        act = partial(self.assistant.desk.claim, CONV, member)
        if self._staff_step(valid, "claim", member, act, [] if again else [EventKind.HANDOFF_CLAIMED]):
            self.state, self.holder = CLAIMED, member.external_id

    @rule(staff=staff_ids)
    def staff_replies(self, staff: str) -> None:
        member = self._member(staff)
        valid = self.state == CLAIMED and self.holder == member.external_id
        act = partial(self.assistant.desk.reply, CONV, member, "Halo!", f"reply-{next(self.keys)}")
        self._staff_step(valid, "reply", member, act, [EventKind.STAFF_SAID])

    @rule(staff=staff_ids, note=st.sampled_from(["", "discount approved"]))
    def hand_back(self, staff: str, note: str) -> None:
        member = self._member(staff)
        # only the owner hands back; an agent must claim a waiting request first
        valid = self.state == CLAIMED and self.holder == member.external_id
        act = partial(self.assistant.desk.hand_back, CONV, member, note)
        # the bot tells the shopper, in the same write, after the hand-back
        if self._staff_step(
            valid, "hand back", member, act, [EventKind.HANDOFF_RETURNED, EventKind.ASSISTANT_SAID]
        ):
            self.state = RETURNED

    @rule(staff=staff_ids)
    def resolve(self, staff: str) -> None:
        member = self._member(staff)
        valid = self.state == CLAIMED and self.holder == member.external_id
        act = partial(self.assistant.desk.resolve, CONV, member)
        if self._staff_step(
            valid, "resolve", member, act, [EventKind.HANDOFF_RESOLVED, EventKind.ASSISTANT_SAID]
        ):
            self.state = RESOLVED

    # -- the process ------------------------------------------------------------------------------

    @rule()
    def restart(self) -> None:
        self.assistant.close()
        self.assistant = build_assistant(self.settings)
        self.staff = {s.external_id: s for s in self.assistant.store.list_staff()}
        assert set(self.staff) == {s.external_id for s in STAFF}

    # -- after every step -------------------------------------------------------------------------

    @invariant()
    def the_log_keeps_the_owner_rules(self) -> None:
        events = self.assistant.store.events(CONV)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        wrong = log_violations(events)
        assert not wrong, "\n".join(wrong)
        assert replayed_owner(events) == self.owner

    @invariant()
    def the_stored_owner_matches_the_model(self) -> None:
        events = self.assistant.store.events(CONV)
        assert fold(events).owner == self.owner
        h = self.assistant.store.handoff(CONV)
        if self.state is None:
            assert h is None
        else:
            assert h is not None, f"no handoff stored, the model has {self.state}"
            assert (h.state, h.staff_id) == (self.state, self.holder)


OwnerMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,  # a turn takes ~20 ms, but the first loads the understanding models
    database=None,  # no .hypothesis directory in the repository
    suppress_health_check=[HealthCheck.too_slow],
)
TestOwnerMachine = OwnerMachine.TestCase
