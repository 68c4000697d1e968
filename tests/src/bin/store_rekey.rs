//! Changes a store's key, for the crash test of encryption at rest (`tests/encryption.rs`).
//!
//! `store_rekey <store path> <old key: 64 hex digits, or "plain"> <new key: 64 hex digits>`
//! re-seals the store with the new key (a plain store is encrypted in place), then prints
//! `done`. The test kills it with SIGKILL at random moments on the way.

use std::process::ExitCode;

use tandem_core::StoreKey;

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("done");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("store_rekey: {err}");
            ExitCode::FAILURE
        }
    }
}

fn key(hex: &str) -> Result<StoreKey, Box<dyn std::error::Error>> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).ok_or("odd hex")?, 16).map_err(Into::into))
        .collect::<Result<Vec<u8>, Box<dyn std::error::Error>>>()?;
    Ok(StoreKey::from_bytes(&bytes)?)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, old, new] = args.as_slice() else {
        return Err("usage: store_rekey <store path> <old key hex | plain> <new key hex>".into());
    };
    let old = match old.as_str() {
        "plain" => None,
        hex => Some(key(hex)?),
    };
    tandem_core::store::seal::rekey(std::path::Path::new(path), old.as_ref(), &key(new)?)?;
    Ok(())
}
