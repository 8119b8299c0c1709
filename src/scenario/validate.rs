//! Semantic validation: raw TOML structs → a [`Scenario`] that cannot be invalid.

use super::dist::{DIST_NAMES, Dist};
use super::duration::{DURATION_HELP, parse_duration_s};
use super::error::{Issue, ScenarioError, SourceMap};
use super::limits::*;
use super::raw::*;
use super::{Channel, Routing, Scenario, ServiceLevel, Simulation, Stream, Team};

/// Parses and validates, reporting every problem found.
pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let map = SourceMap::new(text);
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map(|s| s.start);
            let path = offset
                .and_then(|o| map.path_at(o))
                .unwrap_or_default()
                .to_string();
            let issue = Issue {
                path,
                position: offset.map(|o| map.line_col(o)),
                message: e.message().trim().to_string(),
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
    let scenario = checker.scenario(raw);
    if checker.issues.is_empty() {
        Ok(scenario)
    } else {
        let mut issues = checker.issues;
        issues.sort_by_key(|i| i.position.unwrap_or((usize::MAX, 0)));
        Err(ScenarioError::Invalid {
            file: file.to_string(),
            issues,
        })
    }
}

/// Collects issues while building the validated scenario; on any issue the
/// partially built scenario is discarded.
struct Checker<'a> {
    issues: Vec<Issue>,
    map: &'a SourceMap,
}

impl Checker<'_> {
    fn fail(&mut self, path: &str, message: String) {
        self.issues.push(Issue {
            path: path.to_string(),
            position: self.map.locate(path),
            message,
        });
    }

    fn duration(&mut self, path: &str, text: &str, min_s: f64, max_s: f64) -> f64 {
        match parse_duration_s(text) {
            Some(s) if s >= min_s && s <= max_s => s,
            Some(s) => {
                self.fail(
                    path,
                    format!(
                        "got {text:?} ({s} s); allowed: between {} and {}",
                        super::format_duration(min_s),
                        super::format_duration(max_s)
                    ),
                );
                min_s.max(1.0)
            }
            None => {
                self.fail(path, format!("got {text:?}; expected {DURATION_HELP}"));
                min_s.max(1.0)
            }
        }
    }

    fn positive(&mut self, path: &str, value: f64, max: f64) -> f64 {
        if value.is_finite() && value > 0.0 && value <= max {
            value
        } else {
            self.fail(
                path,
                format!("got {value}; allowed: a finite number > 0 and <= {max}"),
            );
            1.0
        }
    }

    fn dist(&mut self, path: &str, raw: &RawDist) -> Dist {
        let used = |name: &str, present: bool, wanted: bool, me: &mut Self| {
            if present && !wanted {
                me.fail(
                    &format!("{path}.{name}"),
                    format!("`{name}` is not used by dist = {:?}", raw.dist),
                );
            }
        };
        let kind = raw.dist.as_str();
        let (mean, cv, value, bounds) = match kind {
            "exponential" => (true, false, false, false),
            "lognormal" | "gamma" => (true, true, false, false),
            "fixed" => (false, false, true, false),
            "uniform" => (false, false, false, true),
            other => {
                self.fail(
                    &format!("{path}.dist"),
                    format!("got {other:?}; allowed: {DIST_NAMES}"),
                );
                return Dist::exponential(1.0);
            }
        };
        used("mean", raw.mean.is_some(), mean, self);
        used("cv", raw.cv.is_some(), cv, self);
        used("value", raw.value.is_some(), value, self);
        used("min", raw.min.is_some(), bounds, self);
        used("max", raw.max.is_some(), bounds, self);
        let required = |name: &str, v: &Option<String>, me: &mut Self| -> f64 {
            match v {
                Some(text) => {
                    me.duration(&format!("{path}.{name}"), text, 0.0, MAX_DURATION_PARAM_S)
                }
                None => {
                    me.fail(
                        path,
                        format!("dist = {kind:?} needs `{name}` ({DURATION_HELP})"),
                    );
                    1.0
                }
            }
        };
        match kind {
            "exponential" | "lognormal" | "gamma" => {
                let mean_s = required("mean", &raw.mean, self);
                if mean_s <= 0.0 && raw.mean.is_some() {
                    self.fail(&format!("{path}.mean"), "got 0; allowed: a mean > 0".into());
                }
                let mean_s = mean_s.max(1e-3);
                if kind == "exponential" {
                    return Dist::exponential(mean_s);
                }
                let cv = match raw.cv {
                    Some(cv) if cv.is_finite() && cv > 0.0 && cv <= 10.0 => cv,
                    Some(cv) => {
                        self.fail(
                            &format!("{path}.cv"),
                            format!("got {cv}; allowed: a coefficient of variation > 0 and <= 10"),
                        );
                        1.0
                    }
                    None => {
                        self.fail(path, format!("dist = {kind:?} needs `cv` (e.g. cv = 0.6)"));
                        1.0
                    }
                };
                let built = if kind == "lognormal" {
                    Dist::lognormal(mean_s, cv)
                } else {
                    Dist::gamma(mean_s, cv)
                };
                built.unwrap_or_else(|| {
                    self.fail(path, format!("mean {mean_s} s with cv {cv} is not usable"));
                    Dist::exponential(mean_s)
                })
            }
            "fixed" => Dist::Fixed {
                value_s: required("value", &raw.value, self),
            },
            _ => {
                let min_s = required("min", &raw.min, self);
                let max_s = required("max", &raw.max, self);
                if max_s < min_s {
                    self.fail(
                        &format!("{path}.max"),
                        format!("max ({max_s} s) is below min ({min_s} s); allowed: max >= min"),
                    );
                }
                Dist::Uniform { min_s, max_s }
            }
        }
    }

    fn scenario(&mut self, raw: RawScenario) -> Scenario {
        let name = raw.name.unwrap_or_default();
        if name.trim().is_empty() {
            self.fail("name", "missing or empty; give the scenario a name (it names the output folder), e.g. name = \"metro-week\"".into());
        } else if name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
            || name == "."
            || name == ".."
        {
            self.fail("name", format!("got {name:?}; allowed: a name without slashes or control characters (it names the output folder)"));
        }
        let simulation = self.simulation(raw.simulation.unwrap_or_default());

        // Channels: those configured, then those only named by streams or teams.
        let mut channels: Vec<Channel> = Vec::new();
        for (cname, rc) in &raw.channel {
            let path = format!("channel.{cname}");
            let patience = rc
                .patience
                .as_ref()
                .map(|d| self.dist(&format!("{path}.patience"), d));
            let mut service_level = ServiceLevel::conventional(cname);
            if let Some(sl) = &rc.service_level {
                service_level.within_s = self.duration(
                    &format!("{path}.service_level.within"),
                    &sl.within,
                    0.0,
                    MAX_DURATION_PARAM_S,
                );
                if !(sl.target.is_finite() && (0.0..=1.0).contains(&sl.target)) {
                    self.fail(
                        &format!("{path}.service_level.target"),
                        format!("got {}; allowed: a fraction between 0 and 1", sl.target),
                    );
                }
                service_level.target = sl.target;
                service_level.explicit = true;
            }
            channels.push(Channel {
                name: cname.clone(),
                patience,
                service_level,
            });
        }
        let demand = raw.demand.unwrap_or_default();
        if demand.stream.is_empty() {
            self.fail(
                "demand",
                "no demand: add at least one [[demand.stream]] with a channel and rate_per_hour"
                    .into(),
            );
        }
        if demand.stream.len() > MAX_STREAMS {
            self.fail(
                "demand.stream",
                format!(
                    "{} streams; allowed: at most {MAX_STREAMS}",
                    demand.stream.len()
                ),
            );
        }
        let mut streams = Vec::new();
        for (i, rs) in demand.stream.iter().enumerate() {
            let path = format!("demand.stream[{i}]");
            let channel = channel_id(&mut channels, &rs.channel);
            let rate_per_hour = if rs.rate_per_hour == 0.0 {
                0.0
            } else {
                self.positive(
                    &format!("{path}.rate_per_hour"),
                    rs.rate_per_hour,
                    MAX_RATE_PER_HOUR,
                )
            };
            let name = rs
                .name
                .clone()
                .unwrap_or_else(|| format!("{}-{i}", rs.channel));
            streams.push(Stream {
                name,
                channel,
                rate_per_hour,
            });
        }
        if raw.team.is_empty() {
            self.fail(
                "team",
                "no [[team]]: at least one team of agents is needed to answer contacts".into(),
            );
        }
        if raw.team.len() > MAX_TEAMS {
            self.fail(
                "team",
                format!("{} teams; allowed: at most {MAX_TEAMS}", raw.team.len()),
            );
        }
        let mut teams = Vec::new();
        for (i, rt) in raw.team.iter().enumerate() {
            let path = format!("team[{i}]");
            if rt.name.trim().is_empty() {
                self.fail(
                    &format!("{path}.name"),
                    "empty; give each team a name".into(),
                );
            }
            if teams.iter().any(|t: &Team| t.name == rt.name) {
                self.fail(
                    &format!("{path}.name"),
                    format!(
                        "duplicate team name {:?}; team names must be unique",
                        rt.name
                    ),
                );
            }
            let agents = if (0..=i64::from(MAX_AGENTS_PER_TEAM)).contains(&rt.agents) {
                rt.agents as u32
            } else {
                self.fail(
                    &format!("{path}.agents"),
                    format!("got {}; allowed: 0 to {MAX_AGENTS_PER_TEAM}", rt.agents),
                );
                0
            };
            if rt.channels.is_empty() {
                self.fail(
                    &format!("{path}.channels"),
                    "empty; list the channels this team answers, e.g. [\"voice\"]".into(),
                );
            }
            let mut team_channels: Vec<usize> = Vec::new();
            for (j, cname) in rt.channels.iter().enumerate() {
                let known = channels.iter().any(|c| &c.name == cname);
                if !known {
                    self.fail(&format!("{path}.channels[{j}]"), format!("channel {cname:?} has no demand and no [channel.{cname}] table; known channels: {}", names(&channels)));
                    continue;
                }
                let id = channel_id(&mut channels, cname);
                if !team_channels.contains(&id) {
                    team_channels.push(id);
                }
            }
            let handle_time = self.dist(&format!("{path}.handle_time"), &rt.handle_time);
            teams.push(Team {
                name: rt.name.clone(),
                agents,
                channels: team_channels,
                handle_time,
            });
        }
        if channels.len() > MAX_CHANNELS {
            self.fail(
                "channel",
                format!(
                    "{} channels; allowed: at most {MAX_CHANNELS}",
                    channels.len()
                ),
            );
        }
        for (i, stream) in streams.iter().enumerate() {
            if !teams.is_empty() && !teams.iter().any(|t| t.channels.contains(&stream.channel)) {
                let cname = &channels[stream.channel].name;
                self.fail(
                    &format!("demand.stream[{i}].channel"),
                    format!(
                        "no team serves channel {cname:?}; add {cname:?} to some [[team]] channels"
                    ),
                );
            }
        }
        let routing = match raw.routing.as_ref().map(|r| r.strategy.as_str()) {
            None | Some("fifo") => Routing::Fifo,
            Some(other) => {
                self.fail(
                    "routing.strategy",
                    format!("got {other:?}; allowed: \"fifo\""),
                );
                Routing::Fifo
            }
        };
        Scenario {
            name,
            description: raw.description.unwrap_or_default(),
            simulation,
            channels,
            streams,
            teams,
            routing,
        }
    }

    fn simulation(&mut self, raw: RawSimulation) -> Simulation {
        let seed = match raw.seed {
            Some(s) if s >= 0 => s as u64,
            Some(s) => {
                self.fail(
                    "simulation.seed",
                    format!("got {s}; allowed: an integer >= 0"),
                );
                0
            }
            None => 1,
        };
        let horizon_s = match &raw.horizon {
            Some(h) => self.duration("simulation.horizon", h, 60.0, MAX_SIMULATED_S),
            None => 7.0 * 86_400.0,
        };
        let warmup_s = match &raw.warmup {
            Some(w) => self.duration("simulation.warmup", w, 0.0, MAX_SIMULATED_S),
            None => 0.0,
        };
        if horizon_s + warmup_s > MAX_SIMULATED_S {
            self.fail(
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
                self.fail(
                    "simulation.replications",
                    format!("got {r}; allowed: 1 to {MAX_REPLICATIONS}"),
                );
                1
            }
            None => 5,
        };
        let interval_s = match &raw.interval {
            Some(i) => self.duration("simulation.interval", i, MIN_INTERVAL_S, MAX_INTERVAL_S),
            None => 900.0,
        };
        let sim = Simulation {
            seed,
            horizon_s,
            warmup_s,
            replications,
            interval_s,
        };
        if sim.intervals() > MAX_INTERVALS {
            self.fail("simulation.interval", format!("the horizon has {} intervals; allowed: at most {MAX_INTERVALS} (use a longer interval)", sim.intervals()));
        }
        sim
    }
}

fn channel_id(channels: &mut Vec<Channel>, name: &str) -> usize {
    if let Some(i) = channels.iter().position(|c| c.name == name) {
        return i;
    }
    channels.push(Channel {
        name: name.to_string(),
        patience: None,
        service_level: ServiceLevel::conventional(name),
    });
    channels.len() - 1
}

fn names(channels: &[Channel]) -> String {
    let list: Vec<String> = channels.iter().map(|c| format!("{:?}", c.name)).collect();
    list.join(", ")
}
