//! Fuzz target: saved-plan parsing, the write/read round trip and error rendering.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| provision_fuzz::plan(data));
