//! Override paths: `routing.strategy`, `team.metro_voice.agents`, `team[0].agents`.
//!
//! A path is dot-separated segments. A segment is a key, bare (any characters
//! but `.`, `[`, `]` and `"`) or double-quoted (`team."metro.voice".agents`),
//! followed by any number of `[N]` indices. A key applied to a table selects
//! that key; applied to an array of tables it selects the one element whose
//! `name` is the key. An index selects an array element.
//!
//! Only the last step may create something: every table and element on the way
//! must already exist, so a misspelt team or table is an error, not a new one.
//! The last key of a table may be new; whether the schema knows it is left to
//! validation (`deny_unknown_fields`), exactly as for the base scenario.

use toml::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A table key, or the name of an element of an array of tables.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Parses an override path into steps.
pub fn parse(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut chars = path.chars().peekable();
    loop {
        // One segment: a key, then optional indices.
        let key = if chars.peek() == Some(&'"') {
            chars.next();
            let mut key = String::new();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(c) => key.push(c),
                    None => return Err("unclosed quote".into()),
                }
            }
            key
        } else {
            let mut key = String::new();
            while let Some(&c) = chars.peek() {
                if matches!(c, '.' | '[' | ']' | '"') {
                    break;
                }
                key.push(c);
                chars.next();
            }
            if key.is_empty() {
                return Err("empty key (two dots in a row, or a leading or trailing dot?)".into());
            }
            key
        };
        steps.push(Step::Key(key));
        while chars.peek() == Some(&'[') {
            chars.next();
            let mut digits = String::new();
            loop {
                match chars.next() {
                    Some(']') => break,
                    Some(c) => digits.push(c),
                    None => return Err("unclosed `[`".into()),
                }
            }
            let index = digits
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("`[{digits}]`: an index is a whole number >= 0"))?;
            steps.push(Step::Index(index));
        }
        match chars.next() {
            None => return Ok(steps),
            Some('.') => {}
            Some(c) => return Err(format!("unexpected `{c}` (separate keys with `.`)")),
        }
    }
}

/// Sets `value` at `steps` inside `root`; returns the key path in the form
/// validation reports (`team[0].agents`), or why the path does not resolve.
pub fn set(root: &mut Value, steps: &[Step], value: Value) -> Result<String, String> {
    let (last, parents) = steps.split_last().ok_or("empty path")?;
    let mut at = String::new();
    let mut node = root;
    for step in parents {
        node = descend(node, step, &mut at)?;
    }
    match (node, last) {
        (Value::Table(table), Step::Key(key)) => {
            at = join(&at, key);
            table.insert(key.clone(), value);
        }
        (node @ Value::Array(_), step) => {
            *descend(node, step, &mut at)? = value;
        }
        (other, step) => return Err(not_container(&at, other, step)),
    }
    Ok(at)
}

/// The existing child of `node` at `step`; extends `at` with it.
fn descend<'a>(node: &'a mut Value, step: &Step, at: &mut String) -> Result<&'a mut Value, String> {
    match (node, step) {
        (Value::Table(table), Step::Key(key)) => {
            let path = join(at, key);
            let child = table.get_mut(key).ok_or_else(|| {
                format!(
                    "the scenario has no `{path}`: a variant can set keys only inside tables and \
                     elements that exist (set `{path}` as a whole instead)"
                )
            })?;
            *at = path;
            Ok(child)
        }
        (Value::Array(items), Step::Key(name)) => {
            let matches: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| element_name(item) == Some(name.as_str()))
                .map(|(i, _)| i)
                .collect();
            match matches[..] {
                [i] => {
                    *at = format!("{at}[{i}]");
                    Ok(&mut items[i])
                }
                [] => {
                    let named: Vec<String> = items
                        .iter()
                        .filter_map(element_name)
                        .map(|n| format!("{n:?}"))
                        .collect();
                    let known = if named.is_empty() {
                        "no element has a name".to_string()
                    } else {
                        format!("named: {}", named.join(", "))
                    };
                    Err(format!(
                        "no `{at}` element is named {name:?}; {known} (or select by index, `{at}[0]`)"
                    ))
                }
                _ => Err(format!(
                    "{} `{at}` elements are named {name:?}; select one by index, e.g. `{at}[{}]`",
                    matches.len(),
                    matches[0]
                )),
            }
        }
        (Value::Array(items), Step::Index(i)) => {
            let len = items.len();
            let child = items
                .get_mut(*i)
                .ok_or_else(|| format!("`{at}` has {len} element(s); index {i} is out of range"))?;
            *at = format!("{at}[{i}]");
            Ok(child)
        }
        (other, step) => Err(not_container(at, other, step)),
    }
}

fn element_name(item: &Value) -> Option<&str> {
    item.as_table()?.get("name")?.as_str()
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn not_container(at: &str, node: &Value, step: &Step) -> String {
    let what = match step {
        Step::Key(key) => format!("key {key:?}"),
        Step::Index(i) => format!("index [{i}]"),
    };
    let kind = match node {
        Value::Table(_) => "a table (select keys with `.key`, not `[N]`)".to_string(),
        Value::Array(_) => "an array".to_string(),
        other => format!("a value of type {}", other.type_str()),
    };
    format!("`{at}` is {kind}; it has no {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        Value::Table(
            r#"
            [routing]
            strategy = "fifo"
            [channel.voice]
            patience = { dist = "exponential", mean = "3m" }
            [[team]]
            name = "metro_voice"
            agents = 10
            [[team]]
            name = "digital"
            agents = 5
            "#
            .parse()
            .unwrap(),
        )
    }

    fn key(k: &str) -> Step {
        Step::Key(k.into())
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(
            parse("routing.strategy").unwrap(),
            [key("routing"), key("strategy")]
        );
        assert_eq!(
            parse("team[0].agents").unwrap(),
            [key("team"), Step::Index(0), key("agents")]
        );
        assert_eq!(
            parse("team.\"metro.voice\".agents").unwrap(),
            [key("team"), key("metro.voice"), key("agents")]
        );
        assert_eq!(
            parse("a[1][2]").unwrap(),
            [key("a"), Step::Index(1), Step::Index(2)]
        );
        for bad in ["", "a..b", ".a", "a.", "a[x]", "a[1", "\"a", "a]b", "a[1]b"] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn sets_by_key_name_and_index() {
        let mut d = doc();
        let p = set(&mut d, &parse("team.digital.agents").unwrap(), 7.into()).unwrap();
        assert_eq!(p, "team[1].agents");
        let p = set(&mut d, &parse("team[0].agents").unwrap(), 12.into()).unwrap();
        assert_eq!(p, "team[0].agents");
        let p = set(
            &mut d,
            &parse("channel.voice.patience.mean").unwrap(),
            "4m".into(),
        )
        .unwrap();
        assert_eq!(p, "channel.voice.patience.mean");
        set(&mut d, &parse("routing.strategy").unwrap(), "x".into()).unwrap();
        assert_eq!(d["team"][1]["agents"].as_integer(), Some(7));
        assert_eq!(d["team"][0]["agents"].as_integer(), Some(12));
        assert_eq!(
            d["channel"]["voice"]["patience"]["mean"].as_str(),
            Some("4m")
        );
        assert_eq!(d["routing"]["strategy"].as_str(), Some("x"));
    }

    #[test]
    fn replaces_whole_elements_and_tables() {
        let mut d = doc();
        let mut t = toml::Table::new();
        t.insert("name".into(), "digital".into());
        t.insert("agents".into(), 9.into());
        let p = set(&mut d, &parse("team.digital").unwrap(), Value::Table(t)).unwrap();
        assert_eq!(p, "team[1]");
        assert_eq!(d["team"][1]["agents"].as_integer(), Some(9));
        let p = set(
            &mut d,
            &parse("channel.chat").unwrap(),
            toml::Table::new().into(),
        )
        .unwrap();
        assert_eq!(p, "channel.chat");
    }

    #[test]
    fn missing_parents_are_errors() {
        let cases = [
            ("team.vioce.agents", "no `team` element is named \"vioce\""),
            ("team[5].agents", "index 5 is out of range"),
            ("simulation.seed", "no `simulation`"),
            ("channel.chat.patience", "no `channel.chat`"),
            ("routing[0].strategy", "`routing` is a table"),
            (
                "team.digital.agents.max",
                "`team[1].agents` is a value of type integer",
            ),
        ];
        for (path, needle) in cases {
            let err = set(&mut doc(), &parse(path).unwrap(), 1.into()).unwrap_err();
            assert!(err.contains(needle), "{path}: {err}");
        }
    }
}
