//! Which language a comment is written in. The scorer was trained on
//! English only, so the Perspective-compatible endpoint reports what it
//! detected and, as Google's did, refuses to score a text it can tell is
//! in another language unless the client named the language itself.

use whatlang::Lang;

/// A detection that whatlang itself considers reliable; short or mixed
/// texts usually are not, and are then taken as English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// ISO 639-1, as Perspective's `detectedLanguages` used.
    pub code: &'static str,
}

impl Detected {
    pub fn is_english(self) -> bool {
        self.code == "en"
    }
}

/// The text's language, when it can be told with confidence.
pub fn detect(text: &str) -> Option<Detected> {
    let info = whatlang::detect(text)?;
    info.is_reliable().then(|| Detected { code: iso_639_1(info.lang()) })
}

/// whatlang names languages by ISO 639-3; clients expect two letters.
fn iso_639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_sentence_is_detected_as_english() {
        let text = "The council voted last night to close the library on Sundays, and readers are not happy about it.";
        assert_eq!(detect(text), Some(Detected { code: "en" }));
    }

    #[test]
    fn german_and_spanish_comments_are_told_apart_from_english() {
        let german = "Ich finde diesen Artikel sehr gut geschrieben, aber die Zahlen im zweiten Absatz stimmen nicht.";
        let spanish = "No estoy de acuerdo con el autor del artículo. Los datos del informe oficial dicen algo muy \
            diferente y la conclusión es falsa.";
        assert_eq!(detect(german).map(|d| d.code), Some("de"));
        assert_eq!(detect(spanish).map(|d| d.code), Some("es"));
    }

    #[test]
    fn a_text_too_short_to_tell_is_not_claimed() {
        assert_eq!(detect("ok"), None);
        assert_eq!(detect("👍👍"), None);
        assert_eq!(detect("hello"), None, "whatlang guesses Danish, but not reliably");
        assert_eq!(detect(&"a".repeat(2000)), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn every_language_whatlang_knows_has_a_two_letter_code() {
        for lang in Lang::all() {
            let code = iso_639_1(*lang);
            assert_eq!(code.len(), 2, "{lang:?}");
        }
    }
}
