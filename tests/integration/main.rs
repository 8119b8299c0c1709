//! Integration tests, one binary (faster to link than one per file).

mod ai;
mod architecture;
mod bad_input;
mod cli;
mod compare;
mod costs;
mod demand;
mod determinism;
mod erlang_validation;
mod forecast;
mod golden;
mod hostile;
mod hostile_input;
mod invariants;
mod limits;
mod overrides;
mod people;
mod plan;
mod quality;
mod reports;
mod routing;
mod runaway;
mod scale;
mod scale_variants;
mod sensitivity;
mod support;
