//! Fuzz target: a document of any kind loaded from bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tandem_core::document::read_untrusted(data);
});
