//! Fuzz target: a bearer token.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tandem_server::fuzzing::token(data);
});
