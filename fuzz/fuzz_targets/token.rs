//! Fuzz target: a bearer token.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    quiet_caught_panics();
    tandem_server::fuzzing::token(data);
});

/// libfuzzer-sys's panic hook aborts on every panic, even one our code catches on purpose
/// (automerge's loader panics on some malformed bytes, and the store and the server catch it:
/// see `tandem_core::document::no_panic`). A panic that escapes the entry point is still a
/// crash: libfuzzer-sys aborts when one unwinds out of this closure.
fn quiet_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}
