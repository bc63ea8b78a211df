//! Weak labels for the attributes the public sets do not label. The sets
//! say whether a comment is toxic; these cues say which kind: a toxic
//! comment with an insulting word is an insult, one with a threat phrase a
//! threat, and any comment with a word from the profanity list is profane.
//! The model then learns these from context and spelling variants too.
//! The lists are ours, short and plain on purpose; the quality report
//! measures the resulting attributes against human labels.

use crate::normalize::normalize;
use std::collections::BTreeSet;

/// Words that insult the person or group they are aimed at.
const INSULTS: &[&str] = &[
    "idiot",
    "idiots",
    "idiotic",
    "stupid",
    "moron",
    "morons",
    "moronic",
    "dumb",
    "dumbass",
    "loser",
    "losers",
    "fool",
    "fools",
    "foolish",
    "imbecile",
    "cretin",
    "retard",
    "retarded",
    "ignorant",
    "pathetic",
    "clown",
    "clowns",
    "scum",
    "scumbag",
    "jerk",
    "dimwit",
    "halfwit",
    "nitwit",
    "dope",
    "dunce",
    "liar",
    "liars",
    "hypocrite",
    "hypocrites",
    "coward",
    "cowards",
    "creep",
    "pig",
    "pigs",
    "trash",
    "garbage",
    "worthless",
    "disgusting",
    "ugly",
    "fat",
    "bitch",
    "bastard",
    "asshole",
    "dick",
    "prick",
    "twat",
    "cunt",
    "douche",
    "douchebag",
    "wanker",
    "tosser",
    "freak",
    "lunatic",
    "nutcase",
    "troll",
    "sheep",
    "snowflake",
    "brainless",
    "clueless",
    "incompetent",
    "sicko",
    "lowlife",
    "vermin",
    "parasite",
    "parasites",
    "degenerate",
    "hack",
];

/// Phrases that threaten harm (matched on whole words).
const THREATS: &[&str] = &[
    "kill you",
    "kill him",
    "kill her",
    "kill them",
    "kill yourself",
    "i will kill",
    "i'll kill",
    "ill kill",
    "gonna kill",
    "going to kill",
    "should be killed",
    "deserve to die",
    "deserves to die",
    "hope you die",
    "hope he dies",
    "hope she dies",
    "hope they die",
    "you will die",
    "you should die",
    "should be shot",
    "shoot you",
    "i will shoot",
    "gonna shoot",
    "beat you",
    "beat the shit",
    "punch you",
    "punch your",
    "slit your",
    "cut your throat",
    "hang you",
    "hang them",
    "should be hanged",
    "burn you",
    "burn your house",
    "find you",
    "hunt you",
    "break your",
    "smash your",
    "murder you",
    "rape you",
    "i will hurt",
    "hurt you",
    "watch your back",
    "you are dead",
    "you're dead",
    "dead meat",
    "bullet in",
    "put a bullet",
    "wipe them out",
    "exterminate",
    "gas them",
    "lynch",
];

/// Profanity-list entries that are ordinary words in news discussion
/// (anatomy, law, politics, a surname): not profanity there.
const NOT_PROFANE_IN_NEWS: &[&str] = &[
    "sex",
    "sexual",
    "sexually",
    "sexuality",
    "sexy",
    "rape",
    "raping",
    "rapist",
    "date rape",
    "daterape",
    "escort",
    "domination",
    "hardcore",
    "hard core",
    "big black",
    "nude",
    "nudity",
    "erotic",
    "erotism",
    "intercourse",
    "incest",
    "genitals",
    "penis",
    "vagina",
    "vulva",
    "rectum",
    "anus",
    "anal",
    "clitoris",
    "nipple",
    "nipples",
    "playboy",
    "swastika",
    "white power",
    "santorum",
    "negro",
    "lolita",
    "xx",
    "sadism",
    "bondage",
    "suck",
    "sucks",
    "butt",
    "pedophile",
    "paedophile",
    "how to kill",
    "how to murder",
    "eunuch",
    "grope",
    "tied up",
    "strip club",
    "viagra",
    "cialis",
    "hooker",
    "porn",
    "porno",
    "pornography",
    "panties",
    "panty",
    "girl on",
    "taste my",
    "tongue in a",
    "tight white",
    "hot chick",
    "huge fat",
    "ejaculation",
    "masturbation",
    "semen",
    "orgasm",
    "lovemaking",
    "fecal",
    "kinky",
    "horny",
    "voyeur",
    "snatch",
    "scat",
    "swinger",
    "threesome",
    "fingering",
    "humping",
    "mong",
    "poof",
    "spastic",
    "twink",
    "strap on",
    "pubes",
];

/// Phrases folded the way the scorer reads text, for whole-word lookup.
pub struct PhraseSet {
    phrases: BTreeSet<String>,
    longest: usize,
}

impl PhraseSet {
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> PhraseSet {
        let phrases: BTreeSet<String> =
            phrases.into_iter().map(|p| normalize(p).folded(2)).filter(|p| !p.is_empty()).collect();
        let longest = phrases.iter().map(|p| p.split(' ').count()).max().unwrap_or(0);
        PhraseSet { phrases, longest }
    }

    /// Whether any phrase occurs in `folded` as whole words.
    pub fn occurs_in(&self, folded: &str) -> bool {
        let words: Vec<&str> = folded.split(' ').collect();
        let mut phrase = String::new();
        for start in 0..words.len() {
            phrase.clear();
            for (n, word) in words[start..].iter().take(self.longest).enumerate() {
                if n > 0 {
                    phrase.push(' ');
                }
                phrase.push_str(word);
                if self.phrases.contains(&phrase) {
                    return true;
                }
            }
        }
        false
    }
}

/// The cue sets, built once per training run.
pub struct Cues {
    pub insult: PhraseSet,
    pub threat: PhraseSet,
    pub profanity: PhraseSet,
}

impl Cues {
    /// `profanity_list` is a public word list (e.g. LDNOOBW's `en`).
    pub fn new(profanity_list: &[String]) -> Cues {
        let excluded = PhraseSet::new(NOT_PROFANE_IN_NEWS.iter().copied());
        let profane =
            profanity_list.iter().map(String::as_str).filter(|w| !excluded.phrases.contains(&normalize(w).folded(2)));
        Cues {
            insult: PhraseSet::new(INSULTS.iter().copied()),
            threat: PhraseSet::new(THREATS.iter().copied()),
            profanity: PhraseSet::new(profane),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_through_disguises() {
        let set = PhraseSet::new(["kill you", "ass"]);
        let folded = |t: &str| normalize(t).folded(2);
        assert!(set.occurs_in(&folded("I will K1LL   you")));
        assert!(set.occurs_in(&folded("what an a$$")));
        assert!(!set.occurs_in(&folded("as the class passed")));
        assert!(!set.occurs_in(&folded("skill you have")));
    }

    #[test]
    fn news_words_are_left_out_of_profanity() {
        let cues = Cues::new(&["shit".to_string(), "sexual".to_string()]);
        assert!(cues.profanity.occurs_in("this is shit"));
        assert!(!cues.profanity.occurs_in("sexual harassment claims"));
    }
}
