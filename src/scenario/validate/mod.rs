//! Semantic validation: raw TOML structs → a [`Scenario`] that cannot be invalid.

mod ai;
mod checker;
mod demand;
mod family;
mod plan;
mod quality;
mod routing;
mod team;
mod trace;

use super::error::{Issue, ScenarioError, SourceMap};
use super::limits::*;
use super::raw::*;
use super::{Channel, Complexity, Intent, Scenario, ServiceLevel, Simulation, SlBasis, Team};
use checker::{Checker, quoted};
use demand::DemandContext;
use std::path::Path;

/// An issue at the line with the most nesting (dots, brackets, braces
/// outside strings and comments), for reader errors that carry no position.
fn deepest_line(text: &str, message: &str) -> Issue {
    let depth = |line: &str| {
        let mut n = 0;
        let mut quote = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '#') => break,
                (None, '.' | '[' | '{') => n += 1,
                _ => {}
            }
        }
        n
    };
    let (index, line) = text
        .lines()
        .enumerate()
        .max_by_key(|(i, l)| (depth(l), std::cmp::Reverse(*i)))
        .unwrap_or((0, ""));
    // The key as written, shortened: the first segments of a dotted key.
    let key = line
        .trim_start()
        .trim_start_matches('[')
        .split(['=', ']'])
        .next()
        .unwrap_or("")
        .trim();
    let shown: Vec<&str> = key.split('.').map(str::trim).take(3).collect();
    let more = if key.split('.').count() > 3 {
        ".…"
    } else {
        ""
    };
    Issue {
        path: format!("{}{more}", shown.join(".")),
        position: Some((index + 1, 1)),
        message: format!(
            "{message}: the key or value on this line nests about {} levels deep, deeper than the TOML reader allows; allowed: a shallower nesting (a scenario needs fewer than 10 levels)",
            depth(line)
        ),
    }
}

/// Parses and validates, reporting every problem found. Relative paths in the
/// scenario (traces) are resolved against `base_dir`.
pub fn parse(text: &str, file: &str, base_dir: &Path) -> Result<Scenario, ScenarioError> {
    let map = SourceMap::new(text);
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map(|s| s.start);
            let path = offset
                .and_then(|o| map.path_at(o))
                .unwrap_or_default()
                .to_string();
            let issue = match offset {
                Some(o) => Issue {
                    path,
                    position: Some(map.line_col(o)),
                    message: e.message().trim().to_string(),
                },
                // The reader gives no position (its recursion limit on
                // dotted keys and table headers): point at the most deeply
                // nested line, which is where the limit was met.
                None => deepest_line(text, e.message().trim()),
            };
            return Err(ScenarioError::Invalid {
                file: file.to_string(),
                issues: vec![issue],
            });
        }
    };
    let mut checker = Checker {
        issues: Vec::new(),
        map: &map,
    };
    let scenario = scenario(&mut checker, raw, base_dir);
    if checker.issues.is_empty() {
        Ok(scenario)
    } else {
        let mut issues = checker.issues;
        issues.sort_by_key(|i| i.position.unwrap_or((usize::MAX, 0)));
        issues.dedup();
        Err(ScenarioError::Invalid {
            file: file.to_string(),
            issues,
        })
    }
}

fn scenario(ck: &mut Checker<'_>, raw: RawScenario, base_dir: &Path) -> Scenario {
    let name = raw.name.clone().unwrap_or_default();
    if name.trim().is_empty() {
        ck.fail("name", "missing or empty; give the scenario a name (it names the output folder), e.g. name = \"metro-week\"".into());
    } else if name
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
        || name == "."
        || name == ".."
    {
        ck.fail("name", format!("got {name:?}; allowed: a name without slashes or control characters (it names the output folder)"));
    }
    let (simulation, start_date) = simulation(ck, raw.simulation.clone().unwrap_or_default());

    let mut channels: Vec<Channel> = Vec::new();
    for (cname, rc) in &raw.channel {
        let path = format!("channel.{cname}");
        let patience = rc
            .patience
            .as_ref()
            .map(|d| ck.dist(&format!("{path}.patience"), d));
        let mut service_level = ServiceLevel::conventional(cname);
        if let Some(sl) = &rc.service_level {
            service_level.within_s = ck.duration(
                &format!("{path}.service_level.within"),
                &sl.within,
                0.0,
                MAX_DURATION_PARAM_S,
            );
            if !(sl.target.is_finite() && (0.0..=1.0).contains(&sl.target)) {
                ck.fail(
                    &format!("{path}.service_level.target"),
                    format!("got {}; allowed: a fraction between 0 and 1", sl.target),
                );
            }
            service_level.target = sl.target;
            service_level.explicit = true;
            if let Some(short) = &sl.short_abandon {
                service_level.short_abandon_s = ck.duration(
                    &format!("{path}.service_level.short_abandon"),
                    short,
                    0.0,
                    MAX_DURATION_PARAM_S,
                );
            }
            service_level.basis = match sl.basis.as_deref() {
                None | Some("finished") => SlBasis::Finished,
                Some("offered") => SlBasis::Offered,
                Some("answered") => SlBasis::Answered,
                Some(other) => {
                    ck.fail(
                        &format!("{path}.service_level.basis"),
                        format!(
                            "got {other:?}; allowed: \"finished\" (answered + abandoned), \"offered\" or \"answered\""
                        ),
                    );
                    SlBasis::Finished
                }
            };
        }
        let deferred = rc.deferred.unwrap_or(cname == "email");
        channels.push(Channel {
            name: cname.clone(),
            patience,
            service_level,
            deferred,
        });
    }

    // Intents, pass 1: names and shares (demand mixes refer to them).
    let intent_shares = intent_shares(ck, &raw.intent);
    let demand_raw = raw.demand.clone().unwrap_or_default();
    let ctx = DemandContext {
        intents: &intent_shares,
        start: start_date,
        base_dir,
    };
    let parts = demand::demand(ck, &demand_raw, &mut channels, &ctx);
    // Intents, pass 2: per-channel handle times, now that channels are known.
    let intents = intents(ck, &raw.intent, &intent_shares, &channels);

    if raw.team.is_empty() {
        ck.fail(
            "team",
            "no [[team]]: at least one team of agents is needed to answer contacts".into(),
        );
    }
    if raw.team.len() > MAX_TEAMS {
        ck.fail(
            "team",
            format!("{} teams; allowed: at most {MAX_TEAMS}", raw.team.len()),
        );
    }
    let mut teams: Vec<Team> = Vec::new();
    for (i, rt) in raw.team.iter().enumerate() {
        let path = format!("team[{i}]");
        if rt.name.trim().is_empty() {
            ck.fail(
                &format!("{path}.name"),
                "empty; give each team a name".into(),
            );
        }
        if teams.iter().any(|t| t.name == rt.name) {
            ck.fail(
                &format!("{path}.name"),
                format!(
                    "duplicate team name {:?}; team names must be unique",
                    rt.name
                ),
            );
        }
        teams.push(team::team(
            ck,
            &path,
            rt,
            &channels,
            &intents,
            &parts.languages,
            simulation.interval_s,
        ));
    }
    if channels.len() > MAX_CHANNELS {
        ck.fail(
            "channel",
            format!(
                "{} channels; allowed: at most {MAX_CHANNELS}",
                channels.len()
            ),
        );
    }
    for (ci, channel) in channels.iter().enumerate() {
        let has_demand = parts.sources.iter().any(|s| s.channel == ci);
        if has_demand && !teams.is_empty() && !teams.iter().any(|t| t.channels.contains(&ci)) {
            let path = demand_raw
                .stream
                .iter()
                .position(|s| s.channel == channel.name)
                .map_or_else(
                    || "demand".to_string(),
                    |i| format!("demand.stream[{i}].channel"),
                );
            ck.fail(
                &path,
                format!(
                    "no team serves channel {:?}; add it to some [[team]] channels",
                    channel.name
                ),
            );
        }
    }
    let routing = routing::routing(
        ck,
        raw.routing.as_ref(),
        &intents,
        &parts.tiers,
        &channels,
        &teams,
    );
    let ai_agent = raw.ai_agent.as_ref().and_then(|a| {
        ai::ai_agent(
            ck,
            a,
            &raw.intent,
            &channels,
            intents.len(),
            &parts.languages,
            &parts.tiers,
        )
    });
    let ivr = raw.ivr.as_ref().and_then(|v| ai::ivr(ck, v, &channels));
    if let (Some(a), Some(v)) = (&ai_agent, &ivr)
        && a.channels.iter().zip(&v.channels).any(|(x, y)| *x && *y)
    {
        ck.fail("ivr.channels", "a channel cannot be fronted by both the AI agent and the IVR; disable one (enabled = false) or split the channels".into());
    }
    let front_line = ai_agent.is_some() || ivr.is_some();
    let customers = ai::customers(
        ck,
        &raw.customers.clone().unwrap_or_default(),
        &channels,
        front_line,
    );
    let quality = quality::quality(
        ck,
        raw.quality.as_ref(),
        &raw.intent,
        intents.len(),
        ai_agent.as_ref(),
    );
    let back_office =
        quality::back_office(ck, &raw.system, &raw.outage, &raw.intent, intents.len());
    let targets = plan::targets(ck, raw.targets.as_ref(), &channels, &teams, &parts.tiers);
    let team_names: Vec<String> = teams.iter().map(|t| t.name.clone()).collect();
    let costs = plan::costs(ck, raw.costs.as_ref(), &team_names);
    let backlog = plan::backlog(ck, &raw.backlog, &channels);
    Scenario {
        name,
        description: raw.description.unwrap_or_default(),
        simulation,
        start_date,
        channels,
        regions: parts.regions,
        intents,
        languages: parts.languages,
        tiers: parts.tiers,
        sources: parts.sources,
        teams,
        routing,
        ai_agent,
        ivr,
        customers,
        quality,
        back_office,
        targets,
        costs,
        backlog,
    }
}

fn intent_shares(ck: &mut Checker<'_>, raw: &[RawIntent]) -> Vec<(String, f64)> {
    if raw.is_empty() {
        return vec![("general".to_string(), 1.0)];
    }
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut total = 0.0;
    for (i, ri) in raw.iter().enumerate() {
        let path = format!("intent[{i}]");
        if ri.name.trim().is_empty() {
            ck.fail(
                &format!("{path}.name"),
                "empty; give each intent a name".into(),
            );
        }
        if out.iter().any(|(n, _)| n == &ri.name) {
            ck.fail(
                &format!("{path}.name"),
                format!("duplicate intent {:?}", ri.name),
            );
        }
        let share = if ri.share.is_finite() && (0.0..=1.0).contains(&ri.share) {
            ri.share
        } else {
            ck.fail(
                &format!("{path}.share"),
                format!("got {}; allowed: a share between 0 and 1", ri.share),
            );
            0.0
        };
        total += share;
        out.push((ri.name.clone(), share));
    }
    if (total - 1.0).abs() > checker::SHARE_TOLERANCE {
        ck.fail(
            "intent",
            format!(
                "intent shares sum to {total}; allowed: 1 (within {})",
                checker::SHARE_TOLERANCE
            ),
        );
    }
    out
}

fn intents(
    ck: &mut Checker<'_>,
    raw: &[RawIntent],
    shares: &[(String, f64)],
    channels: &[Channel],
) -> Vec<Intent> {
    if raw.is_empty() {
        return vec![Intent {
            name: shares[0].0.clone(),
            share: 1.0,
            complexity: Complexity::Medium,
            emotional: false,
            repetitive: false,
            handle_time: vec![None; channels.len()],
            wrap_up: vec![None; channels.len()],
            human_resolution: 0.8,
        }];
    }
    raw.iter()
        .enumerate()
        .map(|(i, ri)| {
            let path = format!("intent[{i}]");
            let complexity = match ri.complexity.as_deref() {
                None | Some("medium") => Complexity::Medium,
                Some("low") => Complexity::Low,
                Some("high") => Complexity::High,
                Some(other) => {
                    ck.fail(
                        &format!("{path}.complexity"),
                        format!("got {other:?}; allowed: \"low\", \"medium\", \"high\""),
                    );
                    Complexity::Medium
                }
            };
            let mut handle_time = vec![None; channels.len()];
            for (cname, rd) in &ri.handle_time {
                let hpath = format!("{path}.handle_time.{cname}");
                match channels.iter().position(|c| &c.name == cname) {
                    Some(c) => handle_time[c] = Some(ck.dist(&hpath, rd)),
                    None => ck.fail(
                        &hpath,
                        format!(
                            "unknown channel {cname:?}; known: {}",
                            quoted(channels.iter().map(|c| c.name.as_str()))
                        ),
                    ),
                }
            }
            let mut wrap_up = vec![None; channels.len()];
            for (cname, rd) in &ri.wrap_up {
                let wpath = format!("{path}.wrap_up.{cname}");
                match channels.iter().position(|c| &c.name == cname) {
                    Some(c) => wrap_up[c] = Some(ck.dist(&wpath, rd)),
                    None => ck.fail(&wpath, format!("unknown channel {cname:?}")),
                }
            }
            let human_resolution = match ri.human_resolution {
                Some(v) if v.is_finite() && (0.0..=1.0).contains(&v) => v,
                Some(v) => {
                    ck.fail(
                        &format!("{path}.human_resolution"),
                        format!("got {v}; allowed: a probability between 0 and 1"),
                    );
                    0.8
                }
                None => 0.8,
            };
            Intent {
                name: ri.name.clone(),
                share: shares[i].1,
                complexity,
                emotional: ri.emotional,
                repetitive: ri.repetitive,
                handle_time,
                wrap_up,
                human_resolution,
            }
        })
        .collect()
}

fn simulation(ck: &mut Checker<'_>, raw: RawSimulation) -> (Simulation, Option<chrono::NaiveDate>) {
    let seed = match raw.seed {
        Some(s) if s >= 0 => s as u64,
        Some(s) => {
            ck.fail(
                "simulation.seed",
                format!("got {s}; allowed: an integer >= 0"),
            );
            0
        }
        None => 1,
    };
    let horizon_s = match &raw.horizon {
        Some(h) => ck.duration("simulation.horizon", h, 60.0, MAX_SIMULATED_S),
        None => 7.0 * 86_400.0,
    };
    let warmup_s = match &raw.warmup {
        Some(w) => ck.duration("simulation.warmup", w, 0.0, MAX_SIMULATED_S),
        None => 0.0,
    };
    if horizon_s + warmup_s > MAX_SIMULATED_S {
        ck.fail(
            "simulation.warmup",
            format!(
                "warm-up plus horizon is {} days; allowed: at most {} days",
                (horizon_s + warmup_s) / 86_400.0,
                MAX_SIMULATED_S / 86_400.0
            ),
        );
    }
    let replications = match raw.replications {
        Some(r) if (1..=i64::from(MAX_REPLICATIONS)).contains(&r) => r as u32,
        Some(r) => {
            ck.fail(
                "simulation.replications",
                format!("got {r}; allowed: 1 to {MAX_REPLICATIONS}"),
            );
            1
        }
        None => 5,
    };
    let interval_s = match &raw.interval {
        Some(i) => ck.duration("simulation.interval", i, MIN_INTERVAL_S, MAX_INTERVAL_S),
        None => 900.0,
    };
    let start = raw
        .start
        .as_ref()
        .and_then(|d| ck.date("simulation.start", d));
    let sim = Simulation {
        seed,
        horizon_s,
        warmup_s,
        replications,
        interval_s,
    };
    if sim.intervals() > MAX_INTERVALS {
        ck.fail("simulation.interval", format!("the horizon has {} intervals; allowed: at most {MAX_INTERVALS} (use a longer interval)", sim.intervals()));
    }
    (sim, start)
}
