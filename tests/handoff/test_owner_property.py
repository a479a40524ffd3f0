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

staff_members = st.sampled_from(STAFF)


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
        # the model: the handoff row's state and staff member (None: no handoff yet, the bot's)
        self.state: str | None = None
        self.holder: str | None = None

    def teardown(self) -> None:
        self.assistant.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def owner(self) -> str:
        return OWNER[self.state]

    def _member(self, staff: StaffMember) -> StaffMember:
        return self.staff[staff.external_id]

    def _say(self, text: str) -> None:
        """A shopper message through the whole turn pipeline: silent exactly while a person owns it."""
        person = self.owner == "person"
        before = len(self.assistant.store.events(CONV))
        turn = self.assistant.handle_message(CONV, text, f"shopper-{next(self.keys)}")
        assert turn.reply.silent is person, f"{text!r} answered silent={turn.reply.silent}, owner {self.owner}"
        if person:
            assert turn.reply.text == ""
        new = self.assistant.store.events(CONV, before)
        assert new and new[0].kind is EventKind.SHOPPER_SAID, "the shopper's message is always stored"
        said = [e for e in new if e.kind is EventKind.ASSISTANT_SAID]
        assert len(said) == (0 if person else 1), f"{len(said)} assistant messages for one turn"

    def _staff_step(self, valid: bool, step: str, staff: StaffMember, act: object) -> bool:
        """Run a desk step the model calls ``valid`` (or not): invalid ones raise and write nothing."""
        before = self.assistant.store.events(CONV)
        handoff = self.assistant.store.handoff(CONV)
        try:
            act()  # type: ignore[operator]
        except OwnershipConflict as exc:
            assert not valid, f"{step} by {staff.external_id} refused ({exc}) in state {self.state}"
            assert self.assistant.store.events(CONV) == before, f"a refused {step} wrote events"
            assert self.assistant.store.handoff(CONV) == handoff, f"a refused {step} changed the handoff"
            return False
        assert valid, f"{step} by {staff.external_id} accepted in state {self.state} ({self.holder})"
        return True

    # -- the shopper ------------------------------------------------------------------------------

    @rule()
    def ask_for_a_person(self) -> None:
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

    @rule(staff=staff_members)
    def claim(self, staff: StaffMember) -> None:
        member = self._member(staff)
        valid = self.state != CLAIMED  # a queued request, or a person joining unasked
        if self._staff_step(valid, "claim", member, lambda: self.assistant.desk.claim(CONV, member)):
            self.state, self.holder = CLAIMED, member.external_id

    @rule(staff=staff_members)
    def staff_replies(self, staff: StaffMember) -> None:
        member = self._member(staff)
        valid = self.state == CLAIMED and self.holder == member.external_id
        key = f"reply-{next(self.keys)}"
        self._staff_step(valid, "reply", member, lambda: self.assistant.desk.reply(CONV, member, "Halo!", key))

    @rule(staff=staff_members, note=st.sampled_from(["", "discount approved"]))
    def hand_back(self, staff: StaffMember, note: str) -> None:
        member = self._member(staff)
        # the owner hands back; a request nobody has claimed yet can be withdrawn by anyone
        valid = self.state == QUEUED or (self.state == CLAIMED and self.holder == member.external_id)
        if self._staff_step(valid, "hand back", member, lambda: self.assistant.desk.hand_back(CONV, member, note)):
            self.state = RETURNED

    @rule(staff=staff_members)
    def resolve(self, staff: StaffMember) -> None:
        member = self._member(staff)
        valid = self.state == QUEUED or (self.state == CLAIMED and self.holder == member.external_id)
        if self._staff_step(valid, "resolve", member, lambda: self.assistant.desk.resolve(CONV, member)):
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
            assert h is not None and h.state == self.state, f"stored {h and h.state}, model {self.state}"
            if self.state == CLAIMED:
                assert h.staff_id == self.holder
            if self.state == QUEUED:
                assert h.staff_id is None


OwnerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,  # a shopper turn takes 0.1-0.3 s; the first loads the understanding models
    database=None,  # no .hypothesis directory in the repository
    suppress_health_check=[HealthCheck.too_slow],
)
TestOwnerMachine = OwnerMachine.TestCase
