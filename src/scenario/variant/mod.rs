//! `[[variant]]`: named overrides of a scenario, compared by `cxsim compare`.
//!
//! ```toml
//! [[variant]]
//! name = "more-agents"
//! description = "Four more voice agents"
//! set = { "team.voice.agents" = 66, "channel.voice.patience.mean" = "4m" }
//! ```
//!
//! # Contract
//! - A variant is the base file's TOML document with the `[[variant]]` array
//!   removed and each `set` value written at its path (see `path.rs` for the path
//!   forms). Overrides apply shortest path first, so a whole table can be
//!   replaced and then one of its keys set.
//! - The overridden document then goes through exactly the validation the base
//!   goes through, so a variant is valid on the same terms. Its problems are
//!   reported with the variant's name and, when a problem lies at or under (or
//!   above) an overridden path, that `set` entry and its position in the file:
//!   `variant "more-agents": set."team.voice.agnets": unknown field …`.
//! - The base ignores `[[variant]]` beyond its structure (`name`, optional
//!   `description`, `set`; nothing else), and a variant cannot set `variant`.

pub(crate) mod path;

use super::error::{Issue, ScenarioError, SourceMap};
use super::overrides::{Overrides, restate};
use super::{Scenario, validate};
use serde::Deserialize;
use std::path::Path;

/// Name of the unmodified scenario in a list of variants.
pub const BASE_NAME: &str = "base";

/// Most `[[variant]]` entries a file may hold (each is a full scenario to
/// validate and, in `compare`, to simulate).
pub const MAX_VARIANTS: usize = 64;

/// `[[variant]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    /// Variant name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Dotted path → new value.
    #[serde(default)]
    pub set: toml::Table,
}

/// A validated variant of a scenario (or the base itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// `base` for the unmodified scenario, else the `[[variant]]` name.
    pub name: String,
    /// Free text from the file.
    pub description: String,
    /// The overrides, in the order applied (empty for the base).
    pub set: Vec<Override>,
    /// The scenario with the overrides applied, validated.
    pub scenario: Scenario,
}

/// One `set` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The path as written, e.g. `team.voice.agents`.
    pub path: String,
    /// The key path it resolved to, as validation reports paths: `team[0].agents`.
    pub key_path: String,
    /// The new value as TOML text, e.g. `66` or `{ dist = "fixed", value = "3m" }`.
    pub value: String,
}

impl Variant {
    /// True when an override sets `key_path` or a table or element containing
    /// it (`simulation` covers `simulation.seed`).
    pub fn sets(&self, key_path: &str) -> bool {
        self.set
            .iter()
            .any(|o| within(key_path, &o.key_path) || within(&o.key_path, key_path))
    }
}

/// True when `inner` is `outer` or lies under it (`team[0].agents` under `team[0]`).
fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

impl Scenario {
    /// Reads a scenario file and validates the base and every `[[variant]]`;
    /// returns the base first (named [`BASE_NAME`]), then the variants in file
    /// order. Every problem of every variant is reported, each naming its variant.
    pub fn load_variants(path: impl AsRef<Path>) -> Result<Vec<Variant>, ScenarioError> {
        Scenario::load_variants_with(path, &Overrides::default(), &[])
    }

    /// [`Scenario::load_variants`] with command-line `overrides` applied to
    /// the base document before the variants' own (`--seed` and
    /// `--replications` once more after them: common random numbers), and
    /// `extra` variants (built by the program, e.g. a sensitivity analysis)
    /// after the file's.
    pub fn load_variants_with(
        path: impl AsRef<Path>,
        overrides: &Overrides,
        extra: &[RawVariant],
    ) -> Result<Vec<Variant>, ScenarioError> {
        let path = path.as_ref();
        let (text, file) = super::read_text(path)?;
        variants(
            &text,
            &file,
            path.parent().unwrap_or(Path::new(".")),
            overrides,
            extra,
        )
    }

    /// [`Scenario::load_variants`] on text; `file` names it in errors, and
    /// relative paths in it resolve against the current folder.
    pub fn variants_from_toml_str(text: &str, file: &str) -> Result<Vec<Variant>, ScenarioError> {
        variants(text, file, Path::new("."), &Overrides::default(), &[])
    }
}

fn variants(
    text: &str,
    file: &str,
    base_dir: &Path,
    overrides: &Overrides,
    extra: &[RawVariant],
) -> Result<Vec<Variant>, ScenarioError> {
    let mut base = validate::parse(text, file, base_dir);
    let map = SourceMap::new(text);
    // The base parse has checked the syntax and the [[variant]] structure; when
    // either is broken there is nothing more to read.
    let Ok(mut doc) = text.parse::<toml::Table>() else {
        return base.map(|_| Vec::new());
    };
    let mut raw: Vec<RawVariant> = match doc.remove("variant").map(toml::Value::try_into) {
        None => Vec::new(),
        Some(Ok(raw)) => raw,
        Some(Err(_)) => return base.map(|_| Vec::new()),
    };
    raw.extend_from_slice(extra);
    if base.is_ok() && !overrides.is_empty() {
        // The file is valid as written: the base is now the overridden file,
        // and every variant starts from it.
        let mut root = toml::Value::Table(std::mem::take(&mut doc));
        overrides.apply(&mut root, file)?;
        let overridden = toml::to_string(&root).map_err(|e| ScenarioError::Invalid {
            file: file.to_string(),
            issues: vec![Issue {
                path: String::new(),
                position: None,
                message: format!("cannot encode the overridden scenario: {e}"),
            }],
        })?;
        base = Ok(validate::parse(&overridden, file, base_dir).map_err(|e| restate(e, overrides))?);
        if let toml::Value::Table(table) = root {
            doc = table;
        }
    }
    let pinned = overrides.pinned().unwrap_or_default();
    let base_issues = match &base {
        Ok(_) => &[][..],
        Err(e) => e.issues(),
    };
    let mut issues: Vec<Issue> = base_issues.to_vec();
    check_names(&raw, &map, &mut issues);
    let context = Context {
        doc: &doc,
        file,
        base_dir,
        map: &map,
        base_issues,
        pinned: &pinned,
    };
    let mut out = Vec::new();
    for (i, rv) in raw.iter().enumerate() {
        match variant(i, rv, &context) {
            Ok(v) => out.push(v),
            Err(found) => issues.extend(found),
        }
    }
    match base {
        Ok(scenario) if issues.is_empty() => {
            let base = Variant {
                name: BASE_NAME.to_string(),
                description: scenario.description.clone(),
                set: Vec::new(),
                scenario,
            };
            Ok(std::iter::once(base).chain(out).collect())
        }
        _ => Err(ScenarioError::Invalid {
            file: file.to_string(),
            issues,
        }),
    }
}

/// What every variant is built from.
struct Context<'a> {
    /// The base document without `[[variant]]`.
    doc: &'a toml::Table,
    file: &'a str,
    base_dir: &'a Path,
    /// Positions in the file as written.
    map: &'a SourceMap,
    /// The base's own problems, which every variant inherits: listed once.
    base_issues: &'a [Issue],
    /// Keys every arm shares (`--seed`, `--replications`), written after
    /// the variant's own overrides.
    pinned: &'a [(String, toml::Value)],
}

/// Names must be usable on the command line (`--variants a,b`) and in tables.
fn check_names(raw: &[RawVariant], map: &SourceMap, issues: &mut Vec<Issue>) {
    if raw.len() > MAX_VARIANTS {
        issues.push(Issue {
            path: "variant".into(),
            position: map.locate("variant"),
            message: format!("{} variants; allowed: at most {MAX_VARIANTS}", raw.len()),
        });
    }
    for (i, rv) in raw.iter().enumerate() {
        let path = format!("variant[{i}].name");
        let problem = if rv.name.trim().is_empty() {
            Some("empty; give each variant a name".to_string())
        } else if rv.name == BASE_NAME {
            Some(format!(
                "{BASE_NAME:?} names the unmodified scenario; choose another name"
            ))
        } else if rv.name.chars().any(|c| c == ',' || c.is_control()) {
            Some(format!(
                "got {:?}; allowed: a name without commas or control characters (`--variants` takes a comma-separated list)",
                rv.name
            ))
        } else if raw[..i].iter().any(|o| o.name == rv.name) {
            Some(format!("duplicate variant name {:?}", rv.name))
        } else {
            None
        };
        if let Some(message) = problem {
            issues.push(Issue {
                position: map.locate(&path),
                path,
                message,
            });
        }
    }
}

/// A `set` key parsed into steps, or why it does not parse.
type ParsedPath = Result<Vec<path::Step>, String>;

/// Applies one variant's overrides to the base document and validates it.
fn variant(index: usize, rv: &RawVariant, cx: &Context<'_>) -> Result<Variant, Vec<Issue>> {
    let map = cx.map;
    let here = |set_path: &str, message: String| Issue {
        path: String::new(),
        position: map.locate(&format!("variant[{index}].set.{set_path}")),
        message: format!("variant {:?}: set.{set_path:?}: {message}", rv.name),
    };
    let mut entries: Vec<(&String, &toml::Value, ParsedPath)> =
        rv.set.iter().map(|(p, v)| (p, v, path::parse(p))).collect();
    // Shortest path first: a whole table, then keys inside it.
    entries.sort_by(|a, b| {
        let len = |e: &ParsedPath| e.as_ref().map_or(0, Vec::len);
        len(&a.2).cmp(&len(&b.2)).then(a.0.cmp(b.0))
    });
    let mut root = toml::Value::Table(cx.doc.clone());
    let mut set = Vec::new();
    let mut issues = Vec::new();
    for (p, value, steps) in entries {
        let applied = steps
            .map_err(|e| format!("cannot read the path: {e}"))
            .and_then(|steps| {
                if steps.first() == Some(&path::Step::Key("variant".into())) {
                    Err("a variant cannot set `variant`: variants do not nest".into())
                } else {
                    path::set(&mut root, &steps, value.clone())
                }
            });
        match applied {
            Ok(key_path) => set.push(Override {
                path: p.clone(),
                key_path,
                value: value.to_string(),
            }),
            Err(message) => issues.push(here(p, message)),
        }
    }
    for (p, value) in cx.pinned {
        let steps = path::parse(p).expect("pinned paths are fixed and valid");
        path::set(&mut root, &steps, value.clone()).expect("simulation is a table");
    }
    // Validate even when some paths did not resolve: the other overrides'
    // problems are worth reporting in the same pass.
    let text = toml::to_string(&root).map_err(|e| {
        vec![Issue {
            path: format!("variant[{index}]"),
            position: map.locate(&format!("variant[{index}]")),
            message: format!(
                "variant {:?}: cannot encode the overridden scenario: {e}",
                rv.name
            ),
        }]
    })?;
    match validate::parse(&text, cx.file, cx.base_dir) {
        Ok(scenario) if issues.is_empty() => {
            return Ok(Variant {
                name: rv.name.clone(),
                description: rv.description.clone().unwrap_or_default(),
                set,
                scenario,
            });
        }
        Ok(_) => {}
        Err(e) => issues.extend(
            e.issues()
                .iter()
                .filter(|issue| {
                    !cx.base_issues
                        .iter()
                        .any(|b| b.path == issue.path && b.message == issue.message)
                })
                .map(|issue| attribute(issue, &set, &rv.name, map, &here)),
        ),
    }
    issues.sort_by_key(|i| i.position.unwrap_or((usize::MAX, 0)));
    Err(issues)
}

/// Restates a problem found in a variant's document in terms of the file: the
/// `set` entry responsible when there is one, else the base key's position.
fn attribute(
    issue: &Issue,
    set: &[Override],
    name: &str,
    map: &SourceMap,
    here: &dyn Fn(&str, String) -> Issue,
) -> Issue {
    // The most specific override containing the problem, else one it contains.
    let cause = set
        .iter()
        .filter(|o| within(&issue.path, &o.key_path))
        .max_by_key(|o| o.key_path.len())
        .or_else(|| set.iter().find(|o| within(&o.key_path, &issue.path)));
    match cause {
        Some(o) if o.key_path == issue.path => here(&o.path, issue.message.clone()),
        Some(o) => here(&o.path, format!("`{}`: {}", issue.path, issue.message)),
        None if issue.path.is_empty() => Issue {
            path: String::new(),
            position: None,
            message: format!("variant {name:?}: {}", issue.message),
        },
        None => Issue {
            path: String::new(),
            position: map.locate(&issue.path),
            message: format!("variant {name:?}: `{}`: {}", issue.path, issue.message),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
name = "v"
[simulation]
seed = 3
horizon = "1d"
replications = 2
[[demand.stream]]
channel = "voice"
rate_per_hour = 60
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[[team]]
name = "voice"
agents = 3
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

    fn load(variants: &str) -> Result<Vec<Variant>, ScenarioError> {
        Scenario::variants_from_toml_str(&format!("{BASE}{variants}"), "t.toml")
    }

    #[test]
    fn base_first_then_variants_in_file_order() {
        let vs = load(
            "[[variant]]\nname = \"b\"\nset = { \"team.voice.agents\" = 4 }\n\
             [[variant]]\nname = \"a\"\ndescription = \"same\"\n",
        )
        .unwrap();
        let names: Vec<_> = vs.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["base", "b", "a"]);
        assert_eq!(vs[1].scenario.teams[0].headcount(), 4);
        assert_eq!(vs[1].set[0].key_path, "team[0].agents");
        assert_eq!(vs[1].set[0].value, "4");
        // No overrides: the same validated scenario as the base.
        assert_eq!(vs[2].scenario, vs[0].scenario);
        assert_eq!(vs[2].description, "same");
        assert!(vs[1].sets("team[0]") && vs[1].sets("team[0].agents"));
        assert!(!vs[1].sets("team[0].agents_per_interval") && !vs[1].sets("simulation.seed"));
    }

    #[test]
    fn base_ignores_variants() {
        let plain = Scenario::from_toml_str(BASE, "t.toml").unwrap();
        let with =
            format!("{BASE}[[variant]]\nname = \"x\"\nset = {{ \"team.voice.agents\" = 9 }}\n");
        assert_eq!(Scenario::from_toml_str(&with, "t.toml").unwrap(), plain);
    }

    #[test]
    fn problems_name_variant_and_path() {
        let err = load(
            "[[variant]]\nname = \"typo\"\nset = { \"team.voice.agnets\" = 4 }\n\
             [[variant]]\nname = \"neg\"\nset = { \"team.voice.agents\" = -4, \"team.nope.agents\" = 1 }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("variant \"typo\": set.\"team.voice.agnets\": unknown field `agnets`"),
            "{err}"
        );
        assert!(
            err.contains(
                "variant \"neg\": set.\"team.nope.agents\": no `team` element is named \"nope\""
            ),
            "{err}"
        );
        let text =
            format!("{BASE}[[variant]]\nname = \"typo\"\nset = {{ \"team.voice.agnets\" = 4 }}\n");
        let err = Scenario::variants_from_toml_str(&text, "t.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("agnets")).unwrap() + 1;
        assert_eq!(err.issues()[0].position.map(|p| p.0), Some(line), "{err}");
    }

    #[test]
    fn names_and_nesting_are_checked() {
        let err = load(
            "[[variant]]\nname = \"base\"\n[[variant]]\nname = \"x\"\n[[variant]]\nname = \"x\"\n\
             [[variant]]\nname = \"n\"\nset = { \"variant\" = [] }\n",
        )
        .unwrap_err()
        .to_string();
        for needle in [
            "names the unmodified",
            "duplicate variant name \"x\"",
            "variants do not nest",
        ] {
            assert!(err.contains(needle), "{needle}: {err}");
        }
        let err = load("[[variant]]\nname = \"x\"\nsets = {}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `sets`"), "{err}");
    }
}
