//! One-time codes: enrolment codes the operator prints, invitation codes members ask for.
//!
//! A code is 12 characters of Crockford's base32 (60 random bits), shown in groups of four
//! (`7KQ2-M9XD-4WTR`) so that a person can read it out or type it. Reading is forgiving: case,
//! dashes and spaces do not matter, and `O`, `I`, `L` read as `0`, `1`, `1`. The server keeps
//! only the SHA-256 of the normalised code.

use std::sync::LazyLock;

use data_encoding::{Encoding, Specification};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How many characters a code has.
const LEN: usize = 12;
/// Characters that, appended to a code, make it a whole number of bytes (16 × 5 bits = 10 bytes),
/// so that decoding and encoding it again is exact.
const FILL: &str = "0000";

/// Crockford's base32, reading lower case and the look-alikes `O`, `I`, `L` as `0`, `1`, `1`.
static CROCKFORD: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzOoIiLl");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ001111");
    spec.encoding()
        .expect("Crockford's alphabet is a valid base32")
});

/// A fresh random code, grouped for reading: the first 12 characters (60 random bits) of
/// 10 random bytes in Crockford's base32.
pub fn generate() -> String {
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let text = CROCKFORD.encode(&bytes);
    let chars: Vec<char> = text[..LEN].chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code, or `None` when it cannot be one of ours: without dashes
/// and spaces, decoded (which refuses anything outside the alphabet and reads the look-alikes)
/// and encoded again.
pub fn normalise(typed: &str) -> Option<String> {
    let bare: String = typed
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect();
    if bare.chars().count() != LEN {
        return None;
    }
    let bytes = CROCKFORD.decode(format!("{bare}{FILL}").as_bytes()).ok()?;
    Some(CROCKFORD.encode(&bytes)[..LEN].to_string())
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
        assert_eq!(normalise("7kq2 m9xd 4wtr").unwrap(), "7KQ2M9XD4WTR");
        assert_eq!(
            normalise("ABCD-EFGH-JKMU"),
            None,
            "U is not in Crockford's alphabet"
        );
    }

    #[test]
    fn every_character_of_the_alphabet_can_appear_anywhere() {
        let mut seen = [
            std::collections::HashSet::new(),
            std::collections::HashSet::new(),
        ];
        for _ in 0..2000 {
            let code = normalise(&generate()).unwrap();
            seen[0].insert(code.chars().next().unwrap());
            seen[1].insert(code.chars().last().unwrap());
        }
        assert_eq!(seen[0].len(), 32, "first character: {:?}", seen[0]);
        assert_eq!(seen[1].len(), 32, "last character: {:?}", seen[1]);
    }
}
