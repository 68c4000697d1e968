//! One-time codes: enrolment codes the operator prints, invitation codes members ask for.
//!
//! A code is 12 characters of Crockford's base32 (60 random bits), shown in groups of four
//! (`7KQ2-M9XD-4WTR`) so that a person can read it out or type it. Reading is forgiving: case,
//! dashes and spaces do not matter, and `O`, `I`, `L` read as `0`, `1`, `1`. The server keeps
//! only the SHA-256 of the normalised code.

use rand::Rng;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LEN: usize = 12;

/// A fresh random code, grouped for reading.
pub fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> = (0..LEN)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code, or `None` when it cannot be one of ours.
pub fn normalise(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in typed.chars() {
        if c == '-' || c.is_whitespace() {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return None;
        }
        out.push(c);
    }
    (out.len() == LEN).then_some(out)
}

/// What the server stores for a code.
pub fn hash(normalised: &str) -> Vec<u8> {
    Sha256::digest(normalised.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_read_back_whatever_the_case_and_grouping() {
        let code = generate();
        assert_eq!(code.len(), 14);
        let canonical = normalise(&code).unwrap();
        assert_eq!(normalise(&code.to_lowercase()).unwrap(), canonical);
        assert_eq!(
            normalise(&format!(" {} ", code.replace('-', " "))).unwrap(),
            canonical
        );
        assert_eq!(hash(&canonical).len(), 32);
        assert_ne!(generate(), code);
    }

    #[test]
    fn look_alike_letters_read_as_digits_and_junk_is_refused() {
        assert_eq!(normalise("oooo-iiii-llll").unwrap(), "000011111111");
        assert_eq!(normalise("ABCD-EFGH-JKM"), None);
        assert_eq!(normalise("ABCD-EFGH-JKMNP"), None);
        assert_eq!(normalise("ABCD-EFGH-JKM!"), None);
        assert_eq!(normalise("ABCD-EFGH-JKMÜ"), None);
        assert_eq!(normalise(""), None);
    }
}
