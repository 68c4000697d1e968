//! Fuzz target: a JSON body of the server's HTTP API.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tandem_server::fuzzing::api_body(data);
});
