"""The SVG chart module: accessible markup, escaped text, sensible axes."""

from tila.insight.charts import Chart, Series, bar_chart, clip_limit, line_chart, nice_ticks


def test_nice_ticks_cover_the_range_in_round_steps():
    assert nice_ticks(0, 42) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(-19, 65) == [-20, 0, 20, 40, 60, 80]
    assert nice_ticks(0, 0.93) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(5, 5)[0] < 5 < nice_ticks(5, 5)[-1]


def test_line_chart_is_an_image_with_title_description_and_escaped_text():
    svg = line_chart(
        Chart(
            title="NPS <b>&",
            description="Described",
            labels=["2024", "2025 <x>"],
            series=[Series("NPS", [38.0, 40.0], low=[30.0, 33.0], high=[45.0, 47.0])],
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title" in svg and "NPS &lt;b&gt;&amp;" in svg and "2025 &lt;x&gt;" in svg
    assert "<polygon" in svg  # the interval band
    assert svg.count("<circle") == 2


def test_missing_values_break_the_line():
    svg = line_chart(Chart(title="t", description="d", labels=["a", "b", "c"], series=[Series("s", [1.0, None, 2.0])]))
    assert svg.count("<polyline") == 2


def test_series_differ_by_dash_not_only_colour():
    svg = line_chart(
        Chart(title="t", description="d", labels=["a", "b"], series=[Series("one", [1, 2]), Series("two", [2, 3])])
    )
    assert "stroke-dasharray" in svg


def test_bar_chart_breaks_an_outlier_and_prints_its_value():
    values = [6000.0, 90.0, 80.0, 50.0, 40.0]
    limit = clip_limit(values)
    assert limit is not None and 90 < limit < 200
    svg = bar_chart(
        Chart(
            title="t",
            description="d",
            labels=list("abcde"),
            series=[Series("2025", values)],
            y_max=limit,
            y_format=lambda v: f"{v:.0f}",
        )
    )
    assert ">6000</text>" in svg and svg.count("<rect") >= 5
    assert clip_limit([10.0, 12.0, 11.0]) is None
