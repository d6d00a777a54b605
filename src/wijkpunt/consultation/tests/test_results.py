"""The results module: pure functions, no database."""

from __future__ import annotations

import pytest

from wijkpunt.consultation import results as R

CHOICE = R.QuestionSpec(id=1, kind=R.CHOICE, text="Renovatie of sloop?",
                        options=(("renovatie", "Renovatie"), ("sloop", "Sloop"), ("weet-niet", "Weet ik niet")))
MULTI = R.QuestionSpec(id=2, kind=R.MULTIPLE, text="Belangrijk?", options=(("a", "A"), ("b", "B"), ("c", "C")))
SCALE = R.QuestionSpec(id=3, kind=R.SCALE, text="Tevreden?", scale_min=1, scale_max=5, scale_min_label="niet",
                       scale_max_label="heel")
TEXT = R.QuestionSpec(id=4, kind=R.TEXT, text="Nog iets?")
QUESTIONS = [CHOICE, MULTI, SCALE, TEXT]


def answered(street, choice=None, multi=None, scale=None, text=None, remarks=()):
    answers = {k: v for k, v in {1: choice, 2: multi, 3: scale, 4: text}.items() if v is not None}
    return R.Record(street=street, state=R.ANSWERED, answers=answers, remarks=tuple(remarks))


def other(street, state, remarks=()):
    return R.Record(street=street, state=state, remarks=tuple(remarks))


def street(result, name):
    return next(s for s in result["streets"] if s["street"] == name)


def q(group, qid):
    return next(x for x in group["questions"] if x["id"] == qid)


# --------------------------------------------------------------------------- address state


@pytest.mark.parametrize(("outcomes", "state", "counted"), [
    ([], R.NOT_VISITED, None),
    (["niet-thuis"], R.NOT_HOME, None),
    (["niet-thuis", "niet-thuis", "beantwoord"], R.ANSWERED, 2),
    (["beantwoord", "niet-thuis"], R.ANSWERED, 0),  # a later "not home" never undoes an answer
    (["beantwoord", "beantwoord"], R.ANSWERED, 1),  # the last answered visit counts
    (["beantwoord", "geweigerd"], R.REFUSED, None),  # final outcomes replace each other
    (["geweigerd", "beantwoord"], R.ANSWERED, 1),
    (["beantwoord", "verhuisd"], R.MOVED, None),
    (["niet-thuis", "verhuisd", "niet-thuis"], R.MOVED, None),
])
def test_address_state(outcomes, state, counted):
    result = R.address_state(outcomes)
    assert (result.state, result.counted, result.attempts) == (state, counted, len(outcomes))


# --------------------------------------------------------------------------- counts, shares, majority


def test_counts_and_shares_per_street_and_for_the_complex():
    records = [answered("A", "sloop"), answered("A", "sloop"), answered("A", "renovatie"),
               answered("B", "renovatie"), answered("B", "renovatie"), other("B", R.NOT_HOME)]
    result = R.compute({"A": 4, "B": 3}, records, QUESTIONS)
    a, b, total = street(result, "A"), street(result, "B"), result["complex"]
    assert [o["count"] for o in q(a, 1)["options"]] == [1, 2, 0]
    assert [o["share"] for o in q(a, 1)["options"]] == [33.3, 66.7, 0.0]
    assert q(a, 1)["outcome"]["kind"] == R.MAJORITY and q(a, 1)["outcome"]["codes"] == ["sloop"]
    assert q(b, 1)["outcome"]["codes"] == ["renovatie"]
    assert (a["answered"], a["not_visited"], a["response_rate"]) == (3, 1, 75.0)
    assert (b["answered"], b["not_home"], b["not_visited"], b["response_rate"]) == (2, 1, 0, 66.7)
    assert [o["count"] for o in q(total, 1)["options"]] == [3, 2, 0]
    assert total["addresses"] == 7 and total["answered"] == 5 and total["response_rate"] == 71.4
    assert q(total, 1)["outcome"]["kind"] == R.MAJORITY and q(total, 1)["outcome"]["codes"] == ["renovatie"]
    assert [s["street"] for s in result["streets"]] == ["A", "B"]


def test_a_tie_is_shown_as_a_tie_without_majority():
    records = [answered("A", "sloop"), answered("A", "renovatie"), answered("A", "sloop"), answered("A", "renovatie")]
    outcome = q(street(R.compute({"A": 4}, records, QUESTIONS), "A"), 1)["outcome"]
    assert outcome["kind"] == R.TIE
    assert outcome["codes"] == ["renovatie", "sloop"] and outcome["labels"] == ["Renovatie", "Sloop"]


def test_largest_choice_without_more_than_half_is_not_a_majority():
    records = [answered("A", "sloop"), answered("A", "sloop"), answered("A", "renovatie"), answered("A", "weet-niet")]
    outcome = q(street(R.compute({"A": 4}, records, QUESTIONS), "A"), 1)["outcome"]
    assert outcome["kind"] == R.PLURALITY and outcome["codes"] == ["sloop"]


def test_exactly_half_is_not_a_majority():
    records = [answered("A", "sloop"), answered("A", "renovatie"), answered("A", "weet-niet"), answered("A", "sloop")]
    assert q(street(R.compute({"A": 4}, records, QUESTIONS), "A"), 1)["outcome"]["kind"] == R.PLURALITY


def test_no_answers_is_no_outcome():
    result = R.compute({"A": 3}, [other("A", R.REFUSED)], QUESTIONS)
    choice = q(street(result, "A"), 1)
    assert choice["outcome"]["kind"] == R.NONE and choice["respondents"] == 0
    assert all(o["share"] is None for o in choice["options"])
    assert q(street(result, "A"), 3)["average"] is None


@pytest.mark.parametrize(("answered_n", "addresses", "low"), [(4, 10, True), (5, 10, False), (6, 10, False),
                                                              (0, 0, True)])
def test_low_response_threshold(answered_n, addresses, low):
    records = [answered("A", "sloop") for _ in range(answered_n)]
    row = street(R.compute({"A": addresses}, records, QUESTIONS, low_response_percent=50), "A")
    assert row["low_response"] is low
    assert q(row, 1)["outcome"]["low_response"] is low


def test_low_response_marks_a_majority_but_keeps_it():
    records = [answered("A", "sloop"), answered("A", "sloop"), other("A", R.NOT_HOME), other("A", R.REFUSED)]
    row = street(R.compute({"A": 10}, records, QUESTIONS, low_response_percent=50), "A")
    outcome = q(row, 1)["outcome"]
    assert outcome["kind"] == R.MAJORITY and outcome["low_response"] and row["response_rate"] == 20.0


def test_the_threshold_is_a_parameter():
    records = [answered("A", "sloop") for _ in range(6)]
    assert street(R.compute({"A": 10}, records, QUESTIONS, low_response_percent=70), "A")["low_response"]
    assert not street(R.compute({"A": 10}, records, QUESTIONS, low_response_percent=60), "A")["low_response"]


def test_moved_homes_leave_the_denominator_refusals_stay():
    records = [answered("A", "sloop"), answered("A", "sloop"), other("A", R.MOVED), other("A", R.MOVED),
               other("A", R.REFUSED)]
    row = street(R.compute({"A": 6}, records, QUESTIONS), "A")
    assert (row["eligible"], row["moved"], row["refused"], row["not_visited"]) == (4, 2, 1, 1)
    assert row["response_rate"] == 50.0 and not row["low_response"]


def test_a_street_where_everyone_moved_has_no_rate():
    row = street(R.compute({"A": 2}, [other("A", R.MOVED), other("A", R.MOVED)], QUESTIONS), "A")
    assert row["eligible"] == 0 and row["response_rate"] is None and row["low_response"]


def test_multiple_choice_shares_are_of_respondents_and_may_exceed_100():
    records = [answered("A", "sloop", ["a", "b"]), answered("A", "sloop", ["a"]), answered("A", "sloop", ["a", "c"]),
               answered("A", "sloop")]  # the fourth skipped this question
    multi = q(street(R.compute({"A": 4}, records, QUESTIONS), "A"), 2)
    assert multi["respondents"] == 3
    assert [(o["count"], o["share"]) for o in multi["options"]] == [(3, 100.0), (1, 33.3), (1, 33.3)]
    assert "outcome" not in multi


def test_multiple_choice_counts_a_repeated_code_once():
    multi = q(street(R.compute({"A": 1}, [answered("A", multi=["a", "a"])], QUESTIONS), "A"), 2)
    assert multi["options"][0]["count"] == 1


def test_scale_distribution_and_average():
    records = [answered("A", scale=v) for v in (1, 4, 5, 5)]
    scale = q(street(R.compute({"A": 4}, records, QUESTIONS), "A"), 3)
    assert [(d["value"], d["count"]) for d in scale["distribution"]] == [(1, 1), (2, 0), (3, 0), (4, 1), (5, 2)]
    assert scale["average"] == 3.75 and scale["respondents"] == 4
    assert (scale["min_label"], scale["max_label"]) == ("niet", "heel")


def test_free_text_and_remarks_only_when_asked():
    records = [answered("A", text="Graag een lift", remarks=("Na 17 uur thuis",)),
               other("A", R.NOT_HOME, remarks=("Brievenbus vol",))]
    hidden = street(R.compute({"A": 2}, records, QUESTIONS), "A")
    shown = street(R.compute({"A": 2}, records, QUESTIONS, include_text=True), "A")
    assert q(hidden, 4)["texts"] == [] and hidden["remarks"] == []
    assert q(shown, 4)["texts"] == ["Graag een lift"]
    assert shown["remarks"] == ["Na 17 uur thuis", "Brievenbus vol"]


def test_records_of_an_unknown_street_still_count_in_the_complex():
    result = R.compute({"A": 1}, [answered("A", "sloop"), answered("Z", "sloop")], QUESTIONS)
    assert result["complex"]["answered"] == 2 and street(result, "Z")["answered"] == 1


# --------------------------------------------------------------------------- snapshot and public view


def test_snapshot_has_no_free_text():
    result = R.compute({"A": 2}, [answered("A", "sloop", text="geheim", remarks=("privé",))], QUESTIONS,
                       include_text=True)
    snap = R.street_snapshot(result, "A")
    assert snap["threshold"] == 50 and snap["answered"] == 1
    assert "geheim" not in str(snap) and "privé" not in str(snap)
    with pytest.raises(KeyError):
        R.street_snapshot(result, "Nergensstraat")


def test_public_view_suppresses_small_streets_and_drops_text():
    records = [answered("A", "sloop", text="geheim", remarks=("privé",)) for _ in range(5)]
    records += [answered("B", "renovatie") for _ in range(4)]
    public = R.public_view(R.compute({"A": 6, "B": 6}, records, QUESTIONS, include_text=True))
    a, b = public["streets"]
    assert not a["suppressed"] and a["answered"] == 5
    assert all(x["kind"] != R.TEXT for x in a["questions"]) and a["remarks"] == []
    assert b == {"street": "B", "suppressed": True}
    # total minus street A would give away street B's four answers: the total is hidden too
    assert public["complex"] == {"street": None, "suppressed": True}
    assert "geheim" not in str(public) and "privé" not in str(public)


def test_public_view_shows_the_total_when_the_hidden_streets_are_not_identifiable():
    records = [answered("A", "sloop") for _ in range(6)] + [other("B", R.REFUSED)]
    public = R.public_view(R.compute({"A": 6, "B": 3}, records, QUESTIONS))
    assert public["streets"][1]["suppressed"] and not public["complex"]["suppressed"]
    assert public["complex"]["answered"] == 6
    records += [answered("C", "sloop") for _ in range(3)] + [answered("D", "sloop") for _ in range(2)]
    public = R.public_view(R.compute({"A": 6, "B": 3, "C": 3, "D": 2}, records, QUESTIONS))
    assert not public["complex"]["suppressed"]  # C and D together hide 5 answers: not identifiable
