"""NPS arithmetic against hand-computed cases (adjusted Wald: n + 3, counts + 0.75, z = 1.96)."""

import pytest

from tila.feedback.nps import MIN_READABLE, category, nps, nps_change, nps_of_scores


def test_categories_follow_the_standard_cut_points():
    assert [category(s) for s in range(11)] == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2


def test_ten_answers_by_hand():
    # P = 5, passives = 3, D = 2, n = 10
    # plain NPS = (5 − 2) / 10 = 30
    # n + 3 = 13; p̃ = 5.75 / 13 = 0.442308; d̃ = 2.75 / 13 = 0.211538; NPS̃ = 3 / 13 = 0.230769
    # var = (0.442308 + 0.211538 − 0.230769²) / 13 = (0.653846 − 0.053254) / 13 = 0.046199
    # 1.96 · √0.046199 = 1.96 · 0.214940 = 0.421283
    # interval = 0.230769 ± 0.421283 = [−0.190514, 0.652052] → [−19.05, 65.21]
    result = nps(5, 3, 2)
    assert result.n == 10
    assert result.score == pytest.approx(30.0)
    assert result.adjusted == pytest.approx(23.0769, abs=1e-4)
    assert result.variance == pytest.approx(0.046199, abs=1e-6)
    assert result.low == pytest.approx(-19.05, abs=0.01)
    assert result.high == pytest.approx(65.21, abs=0.01)
    assert result.too_small


def test_the_same_from_raw_scores():
    scores = [10, 9, 9, 10, 9, 8, 7, 8, 6, 0]  # five 9–10, three 7–8, two 0–6
    assert nps_of_scores(scores) == nps(5, 3, 2)


def test_all_promoters_interval_is_clipped_at_100():
    # P = 100, n = 100: p̃ = 100.75 / 103 = 0.978155, d̃ = 0.75 / 103 = 0.007282, NPS̃ = 100 / 103 = 0.970874
    # var = (0.985437 − 0.970874²) / 103 = (0.985437 − 0.942596) / 103 = 0.000415932
    # 1.96 · √0.000415932 = 1.96 · 0.020394 = 0.039973 → [0.930901, 1.010847] → [93.09, 100 (clipped)]
    result = nps(100, 0, 0)
    assert result.score == 100
    assert result.low == pytest.approx(93.09, abs=0.01)
    assert result.high == 100.0
    assert not result.too_small


def test_no_answers_has_no_score_but_a_wide_interval():
    # n = 0: p̃ = d̃ = 0.75 / 3 = 0.25, NPS̃ = 0, var = (0.5 − 0) / 3 = 0.166667
    # 1.96 · √0.166667 = 1.96 · 0.408248 = 0.800166 → [−80.02, 80.02]
    result = nps(0, 0, 0)
    assert result.score is None
    assert result.low == pytest.approx(-80.02, abs=0.01)
    assert result.high == pytest.approx(80.02, abs=0.01)
    assert result.too_small


def test_a_hundred_answers_by_hand():
    # P = 40, passives = 30, D = 30: plain NPS = 10
    # p̃ = 40.75 / 103 = 0.395631, d̃ = 30.75 / 103 = 0.298544, NPS̃ = 10 / 103 = 0.097087
    # var = (0.694175 − 0.009426) / 103 = 0.006648; 1.96 · √0.006648 = 0.159808
    # interval = [−0.062721, 0.256895] → [−6.27, 25.69]
    result = nps(40, 30, 30)
    assert result.score == pytest.approx(10.0)
    assert result.low == pytest.approx(-6.27, abs=0.01)
    assert result.high == pytest.approx(25.69, abs=0.01)


def test_change_between_two_periods_adds_the_variances():
    # before: P 40, passives 30, D 30 → NPS̃ = 0.097087, var = 0.006648 (above)
    # after:  P 50, passives 30, D 20 → p̃ = 50.75 / 103 = 0.492718, d̃ = 20.75 / 103 = 0.201456,
    #         NPS̃ = 30 / 103 = 0.291262, var = (0.694175 − 0.084834) / 103 = 0.005916
    # change (plain) = 30 − 10 = 20; centre = 0.291262 − 0.097087 = 0.194175
    # 1.96 · √(0.006648 + 0.005916) = 1.96 · 0.112089 = 0.219694 → [−0.025519, 0.413869] → [−2.55, 41.39]
    change = nps_change(nps(40, 30, 30), nps(50, 30, 20))
    assert change.change == pytest.approx(20.0)
    assert change.low == pytest.approx(-2.55, abs=0.01)
    assert change.high == pytest.approx(41.39, abs=0.01)
    assert not change.clear  # the interval includes 0: not a clear change


def test_a_clear_change():
    # before P 30, passives 40, D 30 (NPS 0), after P 60, passives 30, D 10 (NPS 50), n = 100 each
    change = nps_change(nps(30, 40, 30), nps(60, 30, 10))
    assert change.change == pytest.approx(50.0)
    assert change.low > 0 and change.clear


def test_readability_threshold_is_30_answers():
    assert MIN_READABLE == 30
    assert nps(10, 10, 9).too_small
    assert not nps(10, 10, 10).too_small


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        nps(-1, 0, 0)
