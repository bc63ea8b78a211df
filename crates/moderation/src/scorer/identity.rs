//! Words that name a group of people by orientation, gender, religion,
//! ethnicity or nationality, disability or age. The scorer reads every one
//! of them as the same placeholder word, so no group can score higher than
//! another by its name alone: what raises a score is what is said about
//! the group. Training data name some groups mostly in abuse ("gay" in
//! tweets, "jew" in slurs); a model that learnt those words on their own
//! held "I am a gay man" as often as an insult. Slurs are not on the list:
//! they stay words of their own and keep what they learnt.

/// What an identity word is read as; normalization never produces `#`
/// inside a word, so no comment's own word collides with it.
pub(crate) const PLACEHOLDER: &str = "#identity";

/// Sorted, folded as `normalize(..).folded(2)` folds (lower case, no
/// accents, letters repeated at most twice); a test checks both.
const TERMS: &[&str] = &[
    "aboriginal",
    "african",
    "africans",
    "agnostic",
    "agnostics",
    "american",
    "americans",
    "arab",
    "arabs",
    "asexual",
    "asian",
    "asians",
    "atheist",
    "atheists",
    "autistic",
    "bisexual",
    "bisexuals",
    "black",
    "blacks",
    "buddhist",
    "buddhists",
    "canadian",
    "canadians",
    "catholic",
    "catholics",
    "caucasian",
    "caucasians",
    "chinese",
    "christian",
    "christians",
    "cisgender",
    "deaf",
    "disabled",
    "elderly",
    "european",
    "europeans",
    "evangelical",
    "evangelicals",
    "female",
    "females",
    "gay",
    "gays",
    "heterosexual",
    "heterosexuals",
    "hindu",
    "hindus",
    "hispanic",
    "hispanics",
    "homosexual",
    "homosexuals",
    "immigrant",
    "immigrants",
    "indian",
    "indians",
    "indigenous",
    "intersex",
    "islam",
    "islamic",
    "japanese",
    "jew",
    "jewish",
    "jews",
    "korean",
    "koreans",
    "latina",
    "latinas",
    "latino",
    "latinos",
    "latinx",
    "lesbian",
    "lesbians",
    "lgbt",
    "lgbtq",
    "male",
    "males",
    "mexican",
    "mexicans",
    "migrant",
    "migrants",
    "mormon",
    "mormons",
    "muslim",
    "muslims",
    "nonbinary",
    "pansexual",
    "protestant",
    "protestants",
    "queer",
    "refugee",
    "refugees",
    "sikh",
    "sikhs",
    "trans",
    "transgender",
    "transsexual",
    "white",
    "whites",
    "woman",
    "women",
];

/// Whether `word` (a folded word of a comment) names a group of people.
pub(crate) fn is_identity_term(word: &str) -> bool {
    TERMS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn the_list_is_sorted_and_folded_as_comments_are() {
        assert!(TERMS.windows(2).all(|pair| pair[0] < pair[1]), "sorted, no duplicates");
        for term in TERMS {
            assert_eq!(normalize(term).folded(2), *term, "{term} is stored folded");
        }
    }

    #[test]
    fn names_of_groups_are_found_and_other_words_are_not() {
        assert!(is_identity_term("muslim"));
        assert!(is_identity_term("gay"));
        assert!(!is_identity_term("idiot"));
        assert!(!is_identity_term(PLACEHOLDER));
    }
}
