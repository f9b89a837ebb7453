//! cargo fuzz run check: load -> resolve -> graph on content files cut
//! from each input (see `fuzz/exercise.rs`).
#![no_main]

#[path = "../exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise::exercise(data));
