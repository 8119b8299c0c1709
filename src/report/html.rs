//! `report.html`: one self-contained page a CX leader opens from the output
//! folder — headline KPIs per channel and team, the charts, and the tables.
//!
//! Self-contained means no external reference of any kind: CSS is inline, the
//! charts are inline `<svg>` elements (their `xmlns` is dropped: HTML puts
//! `<svg>` in the SVG namespace by itself), there is no script and no web font.
//! Every scenario-provided text is escaped. The page has no timestamp, so the
//! same run gives the same bytes.

use super::charts::{Chart, channel_color_hex, team_color_hex};
use crate::metrics::{ChannelSummary, Estimate, Kpis, Summary, TeamSummary};
use crate::scenario::{Scenario, format_duration};
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; --card: #ffffff;
  --ok: #047857; --ok-bg: #ecfdf5; --warn: #92400e; --warn-bg: #fffbeb; --bad: #b91c1c; --bad-bg: #fef2f2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1040px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 32px; }
.eyebrow { margin: 0; color: var(--muted); font-size: 13px; letter-spacing: .06em; text-transform: uppercase; }
h1 { margin: 4px 0 8px; font-size: 30px; line-height: 1.2; }
h2 { margin: 36px 0 12px; font-size: 20px; }
h3 { margin: 0 0 6px; font-size: 16px; }
#tables h3 { margin: 20px 0 8px; }
.desc { margin: 0 0 8px; font-size: 16px; max-width: 760px; }
.meta { margin: 0; color: var(--muted); }
.warning { margin: 20px 0 0; padding: 12px 16px; border-left: 4px solid var(--bad);
  background: var(--bad-bg); color: var(--bad); border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 14px; }
.card { background: var(--card); border: 1px solid var(--line); border-top: 5px solid var(--muted);
  border-radius: 8px; padding: 14px 16px; }
.big { margin: 2px 0 0; font-size: 30px; font-weight: 650; line-height: 1.1; font-variant-numeric: tabular-nums; }
.ci { font-size: 14px; font-weight: 400; color: var(--muted); }
.label { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.status { display: inline-block; margin: 0 0 10px; padding: 1px 8px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.met { color: var(--ok); background: var(--ok-bg); }
.close { color: var(--warn); background: var(--warn-bg); }
.missed { color: var(--bad); background: var(--bad-bg); }
.none { color: var(--muted); background: var(--bg); }
dl { display: grid; grid-template-columns: auto auto; gap: 2px 12px; margin: 0; font-size: 14px; }
dt { color: var(--muted); }
dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 16px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
figure svg { display: block; width: 100%; height: auto; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); }
td { white-space: nowrap; }
td .ci { display: block; font-size: 12px; line-height: 1.2; }
th { text-align: left; color: var(--muted); font-weight: 600; background: #fafafa; vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: 0; }
tr.total td { font-weight: 650; border-top: 2px solid var(--line); }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
footer { padding: 24px 24px 40px; color: var(--muted); font-size: 13px; }
footer p { max-width: 760px; }
@media print { body { background: #fff; } figure, .card { break-inside: avoid; } }
"#;

/// Renders the whole page.
pub fn report_html(scenario: &Scenario, summary: &Summary, charts: &[Chart]) -> String {
    let mut out = String::new();
    let name = escape_html(&summary.scenario);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name} · cxsim report</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    );
    header(&mut out, scenario, summary);
    out.push_str("<main>\n");
    channel_cards(&mut out, scenario, summary);
    team_cards(&mut out, scenario, summary);
    if !charts.is_empty() {
        out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
        for chart in charts {
            let _ = writeln!(
                out,
                "<figure id=\"chart-{}\">\n{}</figure>",
                escape_html(chart.file_name.trim_end_matches(".svg")),
                inline_svg(chart)
            );
        }
        out.push_str("</section>\n");
    }
    tables(&mut out, scenario, summary);
    out.push_str("</main>\n");
    footer(&mut out, summary);
    out.push_str("</body>\n</html>\n");
    out
}

/// The chart's SVG ready to inline: no XML namespace URI, labelled for screen readers.
fn inline_svg(chart: &Chart) -> String {
    let svg = chart
        .svg
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            escape_html(&chart.title)
        ),
        1,
    )
}

fn header(out: &mut String, scenario: &Scenario, s: &Summary) {
    out.push_str("<header>\n<p class=\"eyebrow\">cxsim simulation report</p>\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape_html(&s.scenario));
    let description = scenario.description.trim();
    if !description.is_empty() {
        let _ = writeln!(out, "<p class=\"desc\">{}</p>", escape_html(description));
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} replications × {} measured after {} warm-up · {} intervals · \
         seed {} · the horizon starts {}. Figures are means over replications \
         ± the 95% confidence half-width.</p>",
        s.replications,
        format_duration(s.horizon_s),
        format_duration(s.warmup_s),
        format_duration(s.interval_s),
        s.seed,
        scenario
            .start_date
            .map(|d| d.format("on %a %-d %b %Y").to_string())
            .unwrap_or_else(|| "on a Monday at 00:00".into()),
    );
    if s.stranded > 0.0 {
        let _ = writeln!(
            out,
            "<p class=\"warning\"><strong>Warning:</strong> on average {} contacts per \
             replication were still waiting at the end: no agent could take them.</p>",
            count(Some(s.stranded))
        );
    }
    out.push_str("</header>\n");
}

/// Whether the service-level target is met, judged against the 95% CI.
fn verdict(sl: &Estimate, target: f64) -> (&'static str, &'static str) {
    match (sl.mean, sl.ci95) {
        (None, _) => ("none", "No contacts"),
        (Some(m), Some(h)) if m - h >= target => ("met", "Target met"),
        (Some(m), Some(h)) if m + h < target => ("missed", "Target missed"),
        (Some(_), Some(_)) => ("close", "Too close to call"),
        (Some(m), None) if m >= target => ("met", "Target met (no CI)"),
        (Some(_), None) => ("missed", "Target missed (no CI)"),
    }
}

/// Channels in scenario order (as in the charts) with their chart colour.
fn channels<'a>(
    scenario: &Scenario,
    s: &'a Summary,
) -> Vec<(Option<String>, &'a str, &'a ChannelSummary)> {
    let mut list: Vec<_> = s
        .channels
        .iter()
        .map(|(name, c)| (scenario.channel_index(name), name.as_str(), c))
        .collect();
    list.sort_by_key(|(index, name, _)| (index.is_none(), *index, *name));
    list.into_iter()
        .map(|(index, name, c)| (index.map(channel_color_hex), name, c))
        .collect()
}

/// Teams in scenario order (as in the charts) with their chart colour.
fn teams<'a>(
    scenario: &Scenario,
    s: &'a Summary,
) -> Vec<(Option<String>, &'a str, &'a TeamSummary)> {
    let mut list: Vec<_> = s
        .teams
        .iter()
        .map(|(name, t)| {
            let index = scenario.teams.iter().position(|x| &x.name == name);
            (index, name.as_str(), t)
        })
        .collect();
    list.sort_by_key(|(index, name, _)| (index.is_none(), *index, *name));
    list.into_iter()
        .map(|(index, name, t)| (index.map(|i| team_color_hex(scenario, i)), name, t))
        .collect()
}

fn swatch(color: &Option<String>) -> String {
    color
        .as_ref()
        .map(|c| format!("<span class=\"swatch\" style=\"background:{c}\"></span>"))
        .unwrap_or_default()
}

fn border_color(color: &Option<String>) -> String {
    color
        .as_ref()
        .map(|c| format!(" style=\"border-top-color:{c}\""))
        .unwrap_or_default()
}

fn channel_cards(out: &mut String, scenario: &Scenario, s: &Summary) {
    out.push_str("<section id=\"channels\">\n<h2>Service by channel</h2>\n<div class=\"cards\">\n");
    for (color, name, c) in channels(scenario, s) {
        let k = &c.kpis;
        // Targets are human-queue targets; without an AI agent or IVR the
        // human-queue figures equal the end-to-end ones.
        let (class, text) = verdict(&k.human_service_level, c.sl_target);
        let border = border_color(&color);
        let _ = writeln!(
            out,
            "<article class=\"card\"{border}>\n<h3>{}</h3>\n\
             <p class=\"big\">{}<span class=\"ci\">{}</span></p>\n\
             <p class=\"label\">human-queue service level · target {:.0}% answered in {}</p>\n\
             <p class=\"status {class}\">{text}</p>\n<dl>\n\
             <dt>Offered</dt><dd>{}</dd>\n<dt>ASA</dt><dd>{}</dd>\n\
             <dt>Abandoned</dt><dd>{}</dd>\n<dt>Occupancy</dt><dd>{}</dd>\n\
             <dt>AI containment</dt><dd>{}</dd>\n<dt>FCR</dt><dd>{}</dd>\n</dl>\n</article>",
            escape_html(name),
            mean_pct(&k.human_service_level),
            ci_pct(&k.human_service_level),
            c.sl_target * 100.0,
            format_duration(c.sl_within_s),
            count(k.offered.mean),
            secs(&k.human_asa_s),
            pct(&k.human_abandon_rate),
            pct(&k.occupancy),
            pct(&k.containment),
            pct(&k.fcr),
        );
    }
    out.push_str("</div>\n</section>\n");
}

fn team_cards(out: &mut String, scenario: &Scenario, s: &Summary) {
    out.push_str("<section id=\"teams\">\n<h2>Occupancy by team</h2>\n<div class=\"cards\">\n");
    for (color, name, t) in teams(scenario, s) {
        let border = border_color(&color);
        let _ = writeln!(
            out,
            "<article class=\"card\"{border}>\n<h3>{}</h3>\n\
             <p class=\"big\">{}<span class=\"ci\">{}</span></p>\n\
             <p class=\"label\">occupancy · {} agents</p>\n</article>",
            escape_html(name),
            mean_pct(&t.occupancy),
            ci_pct(&t.occupancy),
            t.agents,
        );
    }
    out.push_str("</div>\n</section>\n");
}

fn tables(out: &mut String, scenario: &Scenario, s: &Summary) {
    out.push_str("<section id=\"tables\">\n<h2>Tables</h2>\n");
    let mut rows: Vec<TableRow> = channels(scenario, s)
        .into_iter()
        .map(|(color, name, c)| TableRow {
            label: format!("{}{}", swatch(&color), escape_html(name)),
            kpis: &c.kpis,
            target: Some(format!(
                "{:.0}% in {}",
                c.sl_target * 100.0,
                format_duration(c.sl_within_s)
            )),
            total: false,
        })
        .collect();
    rows.push(TableRow {
        label: "all channels".into(),
        kpis: &s.overall,
        target: None,
        total: true,
    });
    kpi_table(out, "Channels", "channel", &rows, true);
    out.push_str(
        "<h3>Teams</h3>\n<div class=\"table-wrap\">\n<table>\n<thead><tr><th>team</th>\
         <th class=\"num\">agents</th><th class=\"num\">occupancy</th></tr></thead>\n<tbody>\n",
    );
    for (color, name, t) in teams(scenario, s) {
        let _ = writeln!(
            out,
            "<tr><td>{}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            swatch(&color),
            escape_html(name),
            t.agents,
            pct(&t.occupancy)
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    tier_targets(out, s);
    // Breakdowns of the contacts; shown only when they split the demand.
    for (heading, first, map) in [
        ("Regions", "region", &s.regions),
        ("Intents", "intent", &s.intents),
        ("Value tiers", "tier", &s.tiers),
        ("Languages", "language", &s.languages),
    ] {
        if map.len() < 2 {
            continue;
        }
        let rows: Vec<TableRow> = map
            .iter()
            .map(|(name, kpis)| TableRow {
                label: escape_html(name),
                kpis,
                target: None,
                total: false,
            })
            .collect();
        kpi_table(out, heading, first, &rows, false);
    }
    out.push_str("</section>\n");
}

/// Each value tier with a target against it (only with `[targets.tier]`,
/// so a scenario without tier targets renders as before), with the same
/// status marks as the channel targets.
fn tier_targets(out: &mut String, s: &Summary) {
    use crate::metrics::Verdict;
    let Some(level) = s.tier_targets.values().next().map(|t| t.confidence) else {
        return;
    };
    let _ = writeln!(
        out,
        "<h3>Value tier targets</h3>\n<p class=\"meta\">Human queue over the horizon, all \
         the tier's channels; ± the {:.0}% confidence half-width.</p>\n\
         <div class=\"table-wrap\">\n<table>\n<thead><tr><th>tier</th>\
         <th class=\"num\">service level</th><th class=\"num\">target</th>\
         <th class=\"num\">abandoned</th><th class=\"num\">max abandoned</th>\
         <th>verdict</th></tr></thead>\n<tbody>",
        level * 100.0
    );
    let target = |t: Option<f64>| t.map_or_else(|| "–".into(), |t| format!("{:.0}%", t * 100.0));
    for (name, t) in &s.tier_targets {
        let verdict = match t.verdict {
            Verdict::Miss => "<span class=\"status missed\">missed</span>",
            Verdict::Short => "<span class=\"status close\">short (within confidence)</span>",
            Verdict::Meets => "<span class=\"status close\">met (within confidence)</span>",
            Verdict::Clear => "<span class=\"status met\">met</span>",
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{verdict}</td></tr>",
            escape_html(name),
            escape_html(&super::format::pct_ci(
                t.service_level.mean,
                t.service_level.half
            )),
            target(t.sl_target),
            escape_html(&super::format::pct_ci(
                t.abandon_rate.mean,
                t.abandon_rate.half
            )),
            target(t.max_abandon),
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// A row of a KPI table; `label` is already HTML.
struct TableRow<'a> {
    label: String,
    kpis: &'a Kpis,
    target: Option<String>,
    total: bool,
}

/// A table of contact KPIs; `per_channel` adds the target and occupancy columns.
fn kpi_table(out: &mut String, heading: &str, first: &str, rows: &[TableRow], per_channel: bool) {
    let num = |h: &str| format!("<th class=\"num\">{h}</th>");
    let mut head = format!("<th>{first}</th>");
    for h in ["offered", "answered", "abandoned", "service level"] {
        head.push_str(&num(h));
    }
    if per_channel {
        head.push_str(&num("target"));
    }
    for h in ["ASA (s)", "waited", "abandon rate", "AHT (s)"] {
        head.push_str(&num(h));
    }
    if per_channel {
        head.push_str(&num("occupancy"));
    }
    let _ = writeln!(
        out,
        "<h3>{heading}</h3>\n<div class=\"table-wrap\">\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>"
    );
    for row in rows {
        let k = row.kpis;
        let cell = |v: String| format!("<td class=\"num\">{v}</td>");
        let mut cells = format!("<td>{}</td>", row.label);
        for v in [
            count(k.offered.mean),
            count(k.answered.mean),
            count(k.abandoned.mean),
            pct(&k.service_level),
        ] {
            cells.push_str(&cell(v));
        }
        if per_channel {
            cells.push_str(&cell(row.target.clone().unwrap_or_default()));
        }
        for v in [
            secs(&k.asa_s),
            pct(&k.p_wait),
            pct(&k.abandon_rate),
            secs(&k.aht_s),
        ] {
            cells.push_str(&cell(v));
        }
        if per_channel {
            cells.push_str(&cell(pct(&k.occupancy)));
        }
        let attrs = if row.total { " class=\"total\"" } else { "" };
        let _ = writeln!(out, "<tr{attrs}>{cells}</tr>");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

fn footer(out: &mut String, s: &Summary) {
    let _ = writeln!(
        out,
        "<footer>\n<p>Service level = answered within the threshold ÷ (answered + abandoned). \
         ASA = mean wait of answered contacts. Abandon rate = abandoned ÷ (answered + abandoned). \
         Occupancy = busy ÷ available agent time (for a channel, of the teams serving it). \
         Counts are means per replication over the measured horizon; ± is the half-width of the \
         95% Student-t confidence interval over {} replications. \
         “Too close to call” means that interval contains the target.</p>\n\
         <p>Interval detail: intervals.csv and agents.csv; charts as SVG files in charts/. \
         Generated by cxsim {}.</p>\n</footer>",
        s.replications,
        env!("CARGO_PKG_VERSION")
    );
}

/// A count with thousands separators, e.g. `12,480`.
fn count(x: Option<f64>) -> String {
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return "–".into();
    };
    let digits = format!("{:.0}", x.abs());
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(d);
    }
    if x < -0.5 {
        grouped.insert(0, '-');
    }
    grouped
}

fn mean_pct(e: &Estimate) -> String {
    e.mean
        .map(|m| format!("{:.1}%", m * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn ci_pct(e: &Estimate) -> String {
    match (e.mean, e.ci95) {
        (Some(_), Some(h)) => format!(" ± {:.1}", h * 100.0),
        _ => String::new(),
    }
}

/// A percentage with its half-width in a muted span (a table or card cell).
fn pct(e: &Estimate) -> String {
    match e.mean {
        Some(_) => format!("{}<span class=\"ci\">{}</span>", mean_pct(e), ci_pct(e)),
        None => "–".into(),
    }
}

/// Seconds with their half-width in a muted span.
fn secs(e: &Estimate) -> String {
    match (e.mean, e.ci95) {
        (Some(m), Some(h)) => format!("{m:.1}<span class=\"ci\"> ± {h:.1}</span>"),
        (Some(m), None) => format!("{m:.1}"),
        _ => "–".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<b>"A&B's"</b>"#),
            "&lt;b&gt;&quot;A&amp;B&#39;s&quot;&lt;/b&gt;"
        );
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(count(Some(0.0)), "0");
        assert_eq!(count(Some(999.4)), "999");
        assert_eq!(count(Some(12480.0)), "12,480");
        assert_eq!(count(Some(1234567.0)), "1,234,567");
        assert_eq!(count(None), "–");
    }

    #[test]
    fn verdict_uses_the_confidence_interval() {
        let e = |m, h| Estimate {
            mean: Some(m),
            ci95: h,
        };
        assert_eq!(verdict(&e(0.85, Some(0.02)), 0.8).0, "met");
        assert_eq!(verdict(&e(0.81, Some(0.02)), 0.8).0, "close");
        assert_eq!(verdict(&e(0.79, Some(0.02)), 0.8).0, "close");
        assert_eq!(verdict(&e(0.70, Some(0.02)), 0.8).0, "missed");
        assert_eq!(verdict(&e(0.80, None), 0.8).0, "met");
        assert_eq!(verdict(&Estimate::default(), 0.8).0, "none");
    }
}
