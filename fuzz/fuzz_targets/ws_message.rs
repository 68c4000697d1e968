//! Fuzz target: a WebSocket message to the server.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tandem_server::fuzzing::ws_message(data);
});
