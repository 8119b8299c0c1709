//! Overrides from outside the file (`--set PATH=VALUE`, `--seed`,
//! `--replications`), applied to the scenario's TOML document **before**
//! validation, by the same path grammar as `[[variant]]` `set` entries.
//!
//! # Contract
//! - A validated [`Scenario`] is never edited afterwards: every change to a
//!   scenario (command-line overrides, variants, the arms of a sensitivity
//!   analysis) is a change to its TOML, followed by the full validation. A
//!   value that is valid for the file is valid here, and an invalid one is
//!   reported with the option that set it (`--set "team.voice.agents"`).
//! - Command-line overrides apply to the base document first; `[[variant]]`
//!   overrides then apply on top of it. `--seed` and `--replications` are
//!   applied once more after each variant's own `set`, so that every arm of a
//!   comparison runs on the same seed and replication indices (common random
//!   numbers) when they are given.

use super::error::{Issue, ScenarioError};
use super::variant::path;
use super::{Scenario, limits, validate};
use std::path::Path;

/// Changes to a scenario's TOML, in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// `--set` entries: (dotted path as written, value).
    pub set: Vec<(String, toml::Value)>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--replications`.
    pub replications: Option<u32>,
}

impl Overrides {
    /// True when nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.seed.is_none() && self.replications.is_none()
    }

    /// Parses one `--set` argument, `PATH=VALUE`. The value is read as a TOML
    /// value (`66`, `0.8`, `true`, `"4m"`, `{ dist = "fixed", value = "3m" }`);
    /// text that is not one (`4m`, `realtime`) is taken as a string.
    pub fn parse_set(arg: &str) -> Result<(String, toml::Value), String> {
        let Some((path, value)) = arg.split_once('=') else {
            return Err(format!(
                "--set {arg:?}: expected PATH=VALUE, e.g. team.voice.agents=66"
            ));
        };
        let path = path.trim();
        path::parse(path).map_err(|e| format!("--set {arg:?}: cannot read the path: {e}"))?;
        let value = value.trim();
        let parsed = read_value(value).unwrap_or_else(|| toml::Value::String(value.to_string()));
        Ok((path.to_string(), parsed))
    }

    /// Checks `--seed` and `--replications` against what a scenario allows.
    pub fn pinned_check(&self) -> Result<(), String> {
        self.pinned().map(|_| ())
    }

    /// The `simulation` keys that must hold in every arm of a comparison
    /// (`--seed`, `--replications`), as (path, value).
    pub(crate) fn pinned(&self) -> Result<Vec<(String, toml::Value)>, String> {
        let mut out = Vec::new();
        if let Some(seed) = self.seed {
            let seed = i64::try_from(seed).map_err(|_| {
                format!(
                    "--seed {seed}: allowed 0 to {} (the seed is a TOML integer)",
                    i64::MAX
                )
            })?;
            out.push(("simulation.seed".to_string(), toml::Value::Integer(seed)));
        }
        if let Some(r) = self.replications {
            if r == 0 || r > limits::MAX_REPLICATIONS {
                return Err(format!(
                    "--replications {r}: allowed 1 to {}",
                    limits::MAX_REPLICATIONS
                ));
            }
            out.push((
                "simulation.replications".to_string(),
                toml::Value::Integer(i64::from(r)),
            ));
        }
        Ok(out)
    }

    /// Writes every override into `root` (the `--set` entries, then the
    /// pinned keys). Problems name the option that caused them.
    pub(crate) fn apply(&self, root: &mut toml::Value, file: &str) -> Result<(), ScenarioError> {
        let pinned = self
            .pinned()
            .map_err(|message| invalid(file, "", message))?;
        for (p, value) in self.set.iter().chain(&pinned) {
            let steps = path::parse(p)
                .map_err(|e| invalid(file, p, format!("cannot read the path: {e}")))?;
            if steps.first() == Some(&path::Step::Key("variant".into())) {
                return Err(invalid(
                    file,
                    p,
                    "`variant` cannot be set from the command line".into(),
                ));
            }
            path::set(root, &steps, value.clone()).map_err(|e| invalid(file, p, e))?;
        }
        Ok(())
    }
}

/// A TOML value written as text (`66`, `"4m"`, `{ dist = "fixed" }`), read
/// back; `None` when the text is not one.
pub(crate) fn read_value(text: &str) -> Option<toml::Value> {
    format!("v = {text}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
}

/// `document` with a variant's own overrides written in (the text the
/// variant was validated from, before its `[[variant]]`-level checks).
pub(crate) fn variant_document(document: &toml::Table, arm: &super::Variant) -> toml::Value {
    let mut root = toml::Value::Table(document.clone());
    for o in &arm.set {
        if let (Some(value), Ok(steps)) = (read_value(&o.value), path::parse(&o.path)) {
            // The variant was validated with exactly these overrides: they apply.
            let _ = path::set(&mut root, &steps, value);
        }
    }
    root
}

/// A problem with one override, reported like a scenario problem.
fn invalid(file: &str, set_path: &str, message: String) -> ScenarioError {
    let message = if set_path.is_empty() {
        message
    } else {
        format!("--set {set_path:?}: {message}")
    };
    ScenarioError::Invalid {
        file: file.to_string(),
        issues: vec![Issue {
            path: String::new(),
            position: None,
            message,
        }],
    }
}

impl Scenario {
    /// Reads a scenario file, applies `overrides` to its TOML and validates
    /// the result. With no overrides this is [`Scenario::from_path`].
    pub fn load_with(
        path: impl AsRef<Path>,
        overrides: &Overrides,
    ) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        if overrides.is_empty() {
            return Scenario::from_path(path);
        }
        let (text, file) = super::read_text(path)?;
        // The file as written must be valid on its own terms first, so its
        // problems are reported at their lines.
        Scenario::from_toml_str_with(
            &text,
            &file,
            path.parent().unwrap_or(Path::new(".")),
            overrides,
        )
    }
}

impl Scenario {
    /// [`Scenario::load_with`] on text: `file` names it in errors, and
    /// relative paths in it resolve against `base_dir`.
    pub fn from_toml_str_with(
        text: &str,
        file: &str,
        base_dir: &Path,
        overrides: &Overrides,
    ) -> Result<Scenario, ScenarioError> {
        let scenario = validate::parse(text, file, base_dir)?;
        if overrides.is_empty() {
            return Ok(scenario);
        }
        let root = overridden_document(text, file, overrides)?;
        let text = toml::to_string(&root).map_err(|e| invalid(file, "", e.to_string()))?;
        validate::parse(&text, file, base_dir).map_err(|e| restate(e, overrides))
    }
}

impl Scenario {
    /// The file's TOML document with `overrides` applied and its
    /// `[[variant]]` array removed: what every variant starts from. For
    /// programs that build variants (`cxsim sensitivity`).
    pub fn load_document(
        path: impl AsRef<Path>,
        overrides: &Overrides,
    ) -> Result<toml::Table, ScenarioError> {
        let (text, file) = super::read_text(path.as_ref())?;
        match overridden_document(&text, &file, overrides)? {
            toml::Value::Table(mut t) => {
                t.remove("variant");
                Ok(t)
            }
            _ => Ok(toml::Table::new()),
        }
    }
}

/// The file's TOML document with `overrides` applied.
pub(crate) fn overridden_document(
    text: &str,
    file: &str,
    overrides: &Overrides,
) -> Result<toml::Value, ScenarioError> {
    let doc = text
        .parse::<toml::Table>()
        .map_err(|e| invalid(file, "", format!("not TOML: {e}")))?;
    let mut root = toml::Value::Table(doc);
    overrides.apply(&mut root, file)?;
    Ok(root)
}

/// A problem found after overriding is about an override (the file itself
/// was valid): say which options were given, since the text validated is not
/// the file as written (positions in it would mislead).
pub(crate) fn restate(e: ScenarioError, overrides: &Overrides) -> ScenarioError {
    let ScenarioError::Invalid { file, issues } = e else {
        return e;
    };
    let given: Vec<String> = overrides
        .set
        .iter()
        .map(|(p, _)| format!("--set {p:?}"))
        .chain(overrides.seed.map(|_| "--seed".to_string()))
        .chain(overrides.replications.map(|_| "--replications".to_string()))
        .collect();
    let issues = issues
        .into_iter()
        .map(|i| Issue {
            message: format!("after {}: {}", given.join(", "), i.message),
            position: None,
            ..i
        })
        .collect();
    ScenarioError::Invalid { file, issues }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_are_toml_or_else_text() {
        let (p, v) = Overrides::parse_set("team.voice.agents=66").unwrap();
        assert_eq!(
            (p.as_str(), v),
            ("team.voice.agents", toml::Value::Integer(66))
        );
        let (_, v) = Overrides::parse_set("channel.voice.patience.mean = 4m").unwrap();
        assert_eq!(v, toml::Value::String("4m".into()));
        let (_, v) = Overrides::parse_set("x.y={ dist = \"fixed\", value = \"3m\" }").unwrap();
        assert!(v.is_table());
        assert!(Overrides::parse_set("no-equals-sign").is_err());
        assert!(Overrides::parse_set("a..b=1").is_err());
    }

    #[test]
    fn seeds_beyond_a_toml_integer_are_refused() {
        let o = Overrides {
            seed: Some(u64::MAX),
            ..Overrides::default()
        };
        assert!(o.pinned().unwrap_err().contains("--seed"));
        let o = Overrides {
            replications: Some(0),
            ..Overrides::default()
        };
        assert!(o.pinned().unwrap_err().contains("--replications 0"));
    }
}
