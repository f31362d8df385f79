"""What adapters hand back is a value: built once, never appended to afterwards."""

from dataclasses import FrozenInstanceError

import pytest
from revstory.load.adapters import hubspot
from revstory.load.adapters.base import AdapterOutput, Frame, Notes

from tests.conftest import EXPORTS, read_export


def test_notes_add_up_in_order():
    a = Notes.of({"blank line": 2}, warnings=["first"], errors=[(3, None, "bad", "fix")])
    b = Notes.of({"blank line": 1, "preamble": 0}, {"merged row": 4}, warnings=["second"])
    total = a + b + Notes.of(unread=["closed_at"])
    assert dict(total.skipped) == {("dropped", "blank line"): 3, ("merged", "merged row"): 4}
    assert total.warnings == ("first", "second")
    assert total.errors == ((3, None, "bad", "fix"),)
    assert total.unread == frozenset({"closed_at"})
    frame = Frame.of("identities", ("person_id", "email"), [(2, {"person_id": "1", "email": None})])
    out = AdapterOutput.build([frame], b, a)
    assert out.warnings == ("second", "first") and out.frames == (frame,)
    assert frame.lines == (2,) and frame.rows == ({"person_id": "1", "email": None},)


def test_an_adapters_output_cannot_be_changed():
    out = read_export(hubspot, EXPORTS / "hubspot/hubspot-crm-exports-all-deals-2026-09-30 (1).csv")
    deals = out.frames[0]
    with pytest.raises(FrozenInstanceError):
        out.warnings = ()
    with pytest.raises(FrozenInstanceError):
        deals.rows = ()
    with pytest.raises(TypeError):
        deals.rows[0]["amount"] = "0"
    with pytest.raises(TypeError):
        out.skipped[("dropped", "blank line")] = 1
    assert isinstance(out.frames, tuple) and isinstance(deals.rows, tuple)


def test_a_frame_needs_one_line_per_row():
    with pytest.raises(ValueError, match="one line per row"):
        Frame("identities", ("person_id",), rows=({"person_id": "1"},), lines=())
