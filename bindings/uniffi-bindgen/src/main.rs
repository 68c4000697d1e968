//! `uniffi-bindgen`: generates Tandem's Kotlin, Swift and Python bindings from the built
//! `tandem_ffi` library (see scripts/bindings).

fn main() {
    uniffi::uniffi_bindgen_main()
}
