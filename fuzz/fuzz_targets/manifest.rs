//! Fuzz target: manifest parsing, validation and diagnostic rendering (YAML and TOML).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| provision_fuzz::manifest(data));
