//! Integration tests, one binary (faster to link than one per file).

mod ai;
mod bad_input;
mod cli;
mod compare;
mod demand;
mod determinism;
mod erlang_validation;
mod golden;
mod hostile;
mod limits;
mod people;
mod plan;
mod quality;
mod reports;
mod routing;
mod scale;
mod scale_variants;
mod schedules;
mod support;
