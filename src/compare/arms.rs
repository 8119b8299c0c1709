//! The arms of a comparison, loaded as `compare` runs them: the base, then
//! the chosen variants, all on common random numbers.
//!
//! # Common random numbers (the seed policy)
//! - Every variant starts from the base document, so it has the base's seed
//!   and replication count unless its own `set` changes them.
//! - `--seed` and `--replications` (in [`Overrides`]) are written into every
//!   arm after its own overrides: with them, every arm shares the same seed
//!   and replication indices whatever the variants set.
//! - Without them, a variant that sets its own seed or replication count
//!   keeps it, and a warning says what that costs (unpaired differences, or
//!   fewer pairs).

use crate::scenario::{BASE_NAME, Overrides, RawVariant, Scenario, ScenarioError, Variant};
use std::path::Path;

/// Why the arms could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ArmsError {
    /// The scenario, a variant or an override is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A variant asked for by name is not in the file.
    #[error("--variants: no variant named {name:?}; {known}")]
    UnknownVariant {
        /// The name asked for.
        name: String,
        /// The file's variants, for the message.
        known: String,
    },
}

/// Loads the base and the variants named in `names` (all the file's, in file
/// order, when `None`; the base is always first), then `extra` ones built by
/// the program, with `overrides` applied as described in the module docs.
/// Returns the arms and the warnings about variants that break the pairing.
pub fn load_arms(
    file: &Path,
    names: Option<&[String]>,
    overrides: &Overrides,
    extra: &[RawVariant],
) -> Result<(Vec<Variant>, Vec<String>), ArmsError> {
    let all = Scenario::load_variants_with(file, overrides, extra)?;
    let n_file = all.len() - extra.len();
    let (file_arms, extra_arms) = all.split_at(n_file);
    let mut arms = select(file_arms, names)?;
    arms.extend_from_slice(extra_arms);
    let base_sim = arms[0].scenario.simulation;
    let mut warnings = Vec::new();
    for v in &arms[1..] {
        let sim = &v.scenario.simulation;
        if overrides.seed.is_none() && v.sets("simulation.seed") {
            warnings.push(seed_warning(&v.name, sim.seed, base_sim.seed));
        }
        if overrides.replications.is_none() && v.sets("simulation.replications") {
            warnings.push(replications_warning(
                &v.name,
                sim.replications,
                base_sim.replications,
            ));
        }
    }
    Ok((arms, warnings))
}

/// The base, then the chosen variants in the order asked for.
fn select(all: &[Variant], names: Option<&[String]>) -> Result<Vec<Variant>, ArmsError> {
    let Some(names) = names else {
        return Ok(all.to_vec());
    };
    let mut chosen = vec![all[0].clone()];
    for name in names.iter().map(|n| n.trim()).filter(|n| *n != BASE_NAME) {
        let Some(v) = all.iter().skip(1).find(|v| v.name == name) else {
            let known = if all.len() > 1 {
                let names: Vec<String> = all
                    .iter()
                    .skip(1)
                    .map(|v| format!("{:?}", v.name))
                    .collect();
                format!("the file's variants are {}", names.join(", "))
            } else {
                "the file has no [[variant]]".to_string()
            };
            return Err(ArmsError::UnknownVariant {
                name: name.to_string(),
                known,
            });
        };
        if !chosen.iter().any(|c| c.name == v.name) {
            chosen.push(v.clone());
        }
    }
    Ok(chosen)
}

fn seed_warning(name: &str, seed: u64, base_seed: u64) -> String {
    if seed == base_seed {
        format!(
            "warning: variant {name:?} sets simulation.seed; it equals the base's ({base_seed}), \
             and compare gives every variant the base's seed anyway"
        )
    } else {
        format!(
            "warning: variant {name:?} sets simulation.seed = {seed} (base: {base_seed}): its \
             replications do not share random numbers with the base's, so its differences are \
             not paired and their intervals are wide; remove the override (or use --seed) to \
             compare on common random numbers"
        )
    }
}

fn replications_warning(name: &str, reps: u32, base_reps: u32) -> String {
    if reps == base_reps {
        format!(
            "warning: variant {name:?} sets simulation.replications; it equals the base's \
             ({base_reps}), and compare gives every variant the base's count anyway"
        )
    } else {
        format!(
            "warning: variant {name:?} sets simulation.replications = {reps} (base: {base_reps}): \
             differences use the {} replication(s) both ran (use --replications to run the same \
             number everywhere)",
            reps.min(base_reps)
        )
    }
}
