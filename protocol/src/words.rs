//! Enums written as words: in documents, in the API's JSON, and on the command line.

/// A fieldless enum whose every variant is one stable snake_case word, declared with
/// [`word_enum!`](crate::word_enum).
pub trait Word: Sized + Copy + Send + Sync + 'static {
    /// What the word names, for messages: "life area".
    const WHAT: &'static str;
    /// Every variant, in declaration order.
    fn all() -> &'static [Self];
    /// The word stored in documents, sent in the API and accepted on the command line.
    fn word(self) -> &'static str;
    /// The variant a stored word names; `None` for a word this version does not know.
    fn from_word(word: &str) -> Option<Self>;
}

/// Declares a fieldless enum written as a stable snake_case word, with what it names:
///
/// ```
/// tandem_protocol::word_enum!(
///     /// How a thing went.
///     Outcome "outcome" {
///         Done = "done",
///         NotDone = "not_done",
///     }
/// );
/// assert_eq!(Outcome::parse("not_done"), Some(Outcome::NotDone));
/// assert_eq!(Outcome::Done.to_string(), "done");
/// ```
///
/// The enum derives serde with the same words, has `ALL`, `as_str`, `parse` and `Display`, and
/// implements [`Word`]. The calling crate depends on `serde`.
#[macro_export]
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident $what:literal { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in documents and accepted on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Parses the stored word; `None` for a word this version does not know.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::Word for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] { $name::ALL }
            fn word(self) -> &'static str { self.as_str() }
            fn from_word(word: &str) -> Option<Self> { $name::parse(word) }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::Word;

    crate::word_enum!(
        /// A test enum.
        Weather "weather" {
            Sunny = "sunny",
            LightRain = "light_rain",
        }
    );

    #[test]
    fn a_word_enum_reads_and_writes_its_words_the_same_everywhere() {
        for weather in Weather::ALL {
            assert_eq!(Weather::parse(weather.as_str()), Some(*weather));
            let json = serde_json::to_string(weather).unwrap();
            assert_eq!(json, format!("\"{}\"", weather.as_str()));
            assert_eq!(Weather::from_word(&weather.to_string()), Some(*weather));
        }
        assert_eq!(Weather::LightRain.as_str(), "light_rain");
        assert_eq!(Weather::parse("hail"), None);
        assert_eq!(Weather::WHAT, "weather");
        assert_eq!(Weather::all().len(), 2);
    }
}
