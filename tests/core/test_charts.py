"""The one chart kit: every chart has its values, axis labels, a legend and a table behind it; labels are
wrapped, not cut; surplus and deficit have one colour each, everywhere."""

from __future__ import annotations

import datetime as dt
import re

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from concord.core import charts

LONG = "Internet of Things and embedded systems for smart agriculture"


def _render(chart) -> str:
    return Template("{{ c }}").render(Context({"c": chart}))


def _svg_text(html: str) -> str:
    return " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", html))


def test_bars_write_each_value_and_carry_an_axis_a_legend_and_a_table():
    chart = charts.hbars(
        [charts.Row("Cybersecurity", (40.0, 75.0)), charts.Row(LONG, (None, 10.0))],
        [charts.Key("MY covered", charts.PROGRESS), charts.Key("PK covered", charts.SECOND)],
        title="Coverage by theme",
        axis_label="Share covered (%)",
    )
    html = _render(chart)
    words = _svg_text(str(chart.svg))
    assert {"40%", "75%", "—", "10%"} <= set(words.split())
    assert "Share covered (%)" in words and "0%" in words and "100%" in words
    assert "MY covered" in html and "PK covered" in html and "Data as a table" in html
    assert chart.rows == [["Cybersecurity", "40%", "75%"], [LONG, "—", "10%"]]
    assert f'<th scope="row">{LONG}</th>' in html


def test_a_long_label_is_wrapped_whole_not_cut():
    lines = charts.wrap(LONG)
    assert len(lines) > 1 and " ".join(lines) == LONG
    assert all(len(line) <= charts.LINE_CHARS for line in lines)
    chart = charts.hbars(
        [charts.Row(LONG, (5.0,))], [charts.Key("x", charts.PROGRESS)], title="t", axis_label="a"
    )
    assert all(word in _svg_text(str(chart.svg)) for word in LONG.split())


def test_a_label_longer_than_three_lines_ends_in_an_ellipsis_in_the_drawing_only():
    label = "word " * 40
    assert charts.wrap(label)[-1].endswith("…") and len(charts.wrap(label)) == charts.MAX_LINES
    chart = charts.diverging(
        [(label, 0.1)],
        title="t",
        axis_label="a",
        positive=charts.Key("s", charts.SURPLUS),
        negative=charts.Key("d", charts.DEFICIT),
    )
    assert chart.rows[0][0] == label


def test_surplus_is_always_green_and_deficit_always_red():
    chart = charts.diverging(
        [("AI", 0.12), ("IoT", -0.05)],
        title="t",
        axis_label="Supply minus demand",
        positive=charts.Key("Surplus", charts.SURPLUS),
        negative=charts.Key("Deficit", charts.DEFICIT),
    )
    bars = re.findall(r'<rect[^>]*fill="(#[0-9a-f]{6})"><title>([^<]*)</title>', str(chart.svg))
    assert [(colour, title.split(":")[0]) for colour, title in bars] == [
        (charts.SURPLUS, "AI"),
        (charts.DEFICIT, "IoT"),
    ]
    assert chart.rows == [["AI", "+12.0", "Surplus"], ["IoT", "-5.0", "Deficit"]]
    even = charts.diverging(
        [("ML", 0.0)], title="t", axis_label="a", positive=chart.legend[0], negative=chart.legend[1]
    )
    assert "<title>ML" not in str(even.svg) and even.rows[0][2] == "No difference"
    assert "+12.0" in _svg_text(str(chart.svg)) and "Supply minus demand" in _svg_text(str(chart.svg))


def test_the_axis_ends_at_a_round_number_just_above_the_largest_value():
    assert charts._nice_max(3.2) == 5 and charts._nice_max(12) == 20 and charts._nice_max(0.07) == 0.1
    assert charts._nice_max(100) == 100 and charts._nice_max(0) == 1


def test_labels_are_escaped():
    chart = charts.hbars(
        [charts.Row("<script>alert(1)</script>", (1.0,))],
        [charts.Key("<b>", charts.PROGRESS)],
        title="<t>",
        axis_label="a",
    )
    html = _render(chart)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


def test_in_urdu_the_labels_run_right_to_left():
    with translation.override("ur"):
        chart = charts.hbars(
            [charts.Row("سائبر سیکیورٹی", (50.0,))],
            [charts.Key("x", charts.PROGRESS)],
            title="t",
            axis_label="a",
        )
    assert 'direction="rtl"' in str(chart.svg)


def test_heat_map_lines_timeline_and_graph_have_legends_and_tables():
    heat = charts.heat_map(
        [("Data protection", [3, 0])],
        ["Equivalent to", "Subset of"],
        title="t",
        row_axis="Theme",
        column_axis="Relationship",
    )
    assert heat.legend and heat.rows == [["Data protection", "3", "0"]] and "Relationship" in str(heat.svg)
    assert "Equivalent to" in _svg_text(str(heat.svg))  # column heads wrapped, not cut
    trend = charts.lines(
        [("AI", [1, 4, 2])], ["2026-01", "2026-02", "2026-03"], title="t", axis_label="Items"
    )
    assert trend.rows[1] == ["2026-02", "4"] and trend.legend[0].label == "AI" and "Items" in str(trend.svg)
    today = dt.date(2026, 6, 1)
    span = charts.Span("C-1 Data sharing", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 40.0, late=True)
    gantt = charts.timeline([span], title="t", today=today)
    assert gantt.rows == [["C-1 Data sharing", "2026-01-01", "2026-12-31", "40%", "yes"]]
    assert f'fill="{charts.DEFICIT}"' in str(gantt.svg) and "40%" in _svg_text(str(gantt.svg))
    graph = charts.dependency_graph(
        [charts.GraphNode(1, "C-1", 10.0), charts.GraphNode(2, "C-2", None, blocked=True)],
        [(2, 1)],
        {1: 0, 2: 1},
        title="t",
    )
    assert graph.rows[1] == ["C-2", "C-1", "—", "yes"] and len(graph.legend) == 3


def test_every_gap_chart_reads_supply_minus_demand(personas, as_user):
    from concord.talent import actions
    from tests.talent.conftest import make_opportunity, make_profile

    actions.do_import_esco(
        actor=personas.secretariat,
        directory=__import__("tests.talent.conftest", fromlist=["SAMPLE"]).SAMPLE,
    )
    from concord.talent.models import Skill

    esco = {s.uri.split("skill:")[-1]: s for s in Skill.objects.all()}
    make_opportunity(personas, esco)  # demand in Malaysia for Python and machine learning
    make_profile(personas.outsider, esco, country="PK", skills=("python",))  # supply in Pakistan
    page = as_user(personas.analyst_pk).get(reverse("talent:gaps")).content.decode()
    assert page.count('class="chart-figure"') == 4 and page.count("Data as a table") == 4
    assert page.count('<ul class="legend"') == 4 and page.count("Surplus: more supply than demand</li>") == 4
    within_my = page.split("Gap within Malaysia")[1].split("<figcaption")[0]
    # Malaysia asks for skills nobody in Malaysia offers: a deficit, drawn red, its value negative
    assert f'fill="{charts.DEFICIT}"' in within_my and f'fill="{charts.SURPLUS}"' not in within_my
    table_my = page.split("Supply share minus demand share in Malaysia, per skill group</caption>")[1]
    assert re.search(r"<td><bdi>-\d", table_my.split("</table>")[0])


def test_dated_lines_share_one_axis_and_carry_their_values_in_the_table():
    import datetime as dt

    from concord.core.charts import DatedSeries, dated_lines

    chart = dated_lines(
        [
            DatedSeries("MY uptake", ((dt.date(2023, 1, 1), 10.0), (dt.date(2024, 1, 1), 30.0))),
            DatedSeries(
                "PK uptake", ((dt.date(2023, 6, 1), 20.0),), marks=(("Target", dt.date(2025, 1, 1), 50),)
            ),
        ],
        title="Uptake",
        unit="%",
    )
    svg = str(chart.svg)
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert len(ys) == 3 and ys[0] > ys[1]  # 10 % sits lower than 30 % on the shared axis
    assert xs[0] < xs[2] < xs[1]  # June 2023 lies between the two January points
    assert svg.count("<path") == 1 and "2025-01" in svg  # the target, and the axis reaches its date
    assert [k.label for k in chart.legend] == ["MY uptake", "PK uptake", "Baseline or target"]
    assert ["PK uptake", "2025-01-01", "50 %", "Target"] in chart.rows


def test_dated_lines_draw_nothing_without_values():
    from concord.core.charts import DatedSeries, dated_lines

    assert dated_lines([DatedSeries("Empty", ())], title="T", unit="%") is None


def _value_ticks(chart) -> list[str]:
    return re.findall(r'text-anchor="end"[^>]*><tspan[^>]*>([^<]*)</tspan>', str(chart.svg))


def test_a_line_chart_of_counts_has_gridlines_on_whole_numbers_only():
    for peak, ticks in ((1, ["0", "1"]), (3, ["0", "1", "2", "3"]), (5, ["0", "1", "2", "3", "4", "5"])):
        trend = charts.lines([("AI", [0, peak])], ["2026-01", "2026-02"], title="t", axis_label="Items")
        assert _value_ticks(trend) == ticks, peak
    twenty = charts.lines([("AI", [0, 17])], ["2026-01", "2026-02"], title="t", axis_label="Items")
    assert _value_ticks(twenty) == ["0", "5", "10", "15", "20"]
