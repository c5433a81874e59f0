from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from authorities.selectors.assessment import Chart
from authorities.selectors.assessment import assessment_results as _assessment_results

register = template.Library()


@register.simple_tag
def assessment_results(process):
    """`{% assessment_results process as results %}`: rounds, table rows and chart of the self-check."""
    return _assessment_results(process)


# A server-made horizontal bar chart (the selectors build its geometry: selectors.assessment.Chart),
# written with the markup the template `authorities/_chart.html` wrote: its 25 elements of a few
# numbers each through the template engine were the largest part of the process page's self-check
# (issue 18). Numbers print unlocalized, as SVG wants them.
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img"'
    ' aria-labelledby="{id}-title {id}-desc" class="portal-chart__svg" font-size="14">\n'
    '  <title id="{id}-title">{title}</title>\n'
    '  <desc id="{id}-desc">{description}</desc>\n'
    "  {legend}{grid}{labels}{bars}\n"
    "</svg>"
)
LEGEND = (
    '<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{fill}" class="{css} portal-chart__key"/>\n'
    '    <text x="{text_x}" y="{text_y}" fill="#131525" class="portal-chart__text">{text}</text>\n  '
)
GRID = (
    '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="#c0c3d5" stroke-width="1"'
    ' class="portal-chart__grid"/>\n'
    '    <text x="{x}" y="{label_y}" text-anchor="middle" fill="#51577a"'
    ' class="portal-chart__muted">{label}</text>\n  '
)
LABEL = '<text text-anchor="end" fill="#131525" class="portal-chart__text">{}</text>\n  '
LINE = '<tspan x="{}" y="{}">{}</tspan>'
BAR = (
    '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}" class="{css}"/>\n'
    '    <text x="{value_x}" y="{value_y}" fill="#131525" class="portal-chart__text">{value}</text>\n  '
)


@register.simple_tag
def chart_svg(chart: Chart, prefix: str, key: object) -> SafeString:
    """`{% chart_svg chart "selbstcheck" process.pk %}`: the chart as inline SVG, its title and
    description named `<prefix>-<key>-title` and `-desc`."""
    labels = (
        (format_html_join("", LINE, ((label.x, y, text) for y, text in label.lines)),)
        for label in chart.labels
    )
    return format_html(
        SVG,
        width=chart.width,
        height=chart.height,
        id=f"{prefix}-{key}",
        title=chart.title,
        description=chart.description,
        legend=format_html_join("", LEGEND, chart.legend),
        grid=format_html_join("", GRID, chart.grid),
        labels=format_html_join("", LABEL, labels),
        bars=format_html_join("", BAR, (vars(bar) for bar in chart.bars)),
    )
