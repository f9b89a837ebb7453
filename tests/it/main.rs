//! Every integration test in one binary: one link instead of one per file
//! (the way ripgrep and mdBook lay out their tests). Fixtures stay in
//! `tests/`; each module here was a `tests/*.rs` file of its own.

mod common;

mod answers_text;
mod awkward_input;
mod browser;
mod browser_plans;
mod browser_random;
mod check_and_build_agree;
mod cli;
mod concurrent_builds;
mod conformance;
mod data_out;
mod diagnostics_text;
mod finder;
mod fuzz_loader;
mod graph_properties;
mod i18n;
mod incremental;
mod lifecycle;
mod limits;
mod lint;
mod moves;
mod new_scenario;
mod nextcloud_example;
mod plan_properties;
mod rebuilds;
mod route_properties;
mod scale;
mod search_languages;
mod search_stems;
mod series_support;
mod serve;
mod site;
mod stacks;
mod symlinks;
mod text_hygiene;
mod theme;
mod whole_answer;
mod writers;
