//! Random bytes from the operating system (`getrandom` on Linux and Android,
//! `SecRandomCopyBytes` on iOS), through ring, which the TLS stack carries already: for keys,
//! nonces, salts and ids.

use ring::rand::{SecureRandom, SystemRandom};

/// `N` random bytes from the system's random source.
///
/// # Panics
/// When the operating system gives no random bytes, which no supported system does once it
/// has booted: nothing made without them (a key, a nonce) would be safe to use.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .expect("the system's random source gives bytes");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_draws_differ_and_are_not_all_zero() {
        let (a, b) = (super::bytes::<32>(), super::bytes::<32>());
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
    }
}
