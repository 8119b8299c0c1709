//! Integration tests, one binary (faster to link than one per file).

mod bad_input;
mod cli;
mod demand;
mod determinism;
mod erlang_validation;
mod people;
mod plan;
mod reports;
mod scale;
mod support;
