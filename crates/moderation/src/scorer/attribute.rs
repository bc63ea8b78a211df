//! The attributes the scorer rates, named as Perspective named them so that
//! code written against Perspective keeps its vocabulary.

use std::fmt;

/// One thing a comment can be rated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    Toxicity,
    SevereToxicity,
    IdentityAttack,
    Insult,
    Profanity,
    Threat,
    Spam,
}

impl Attribute {
    /// Every attribute, in the order the model file stores them.
    pub const ALL: [Attribute; 7] = [
        Attribute::Toxicity,
        Attribute::SevereToxicity,
        Attribute::IdentityAttack,
        Attribute::Insult,
        Attribute::Profanity,
        Attribute::Threat,
        Attribute::Spam,
    ];

    /// How many attributes there are.
    pub const COUNT: usize = Self::ALL.len();

    /// The Perspective name, e.g. `SEVERE_TOXICITY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Toxicity => "TOXICITY",
            Attribute::SevereToxicity => "SEVERE_TOXICITY",
            Attribute::IdentityAttack => "IDENTITY_ATTACK",
            Attribute::Insult => "INSULT",
            Attribute::Profanity => "PROFANITY",
            Attribute::Threat => "THREAT",
            Attribute::Spam => "SPAM",
        }
    }

    /// Reads a Perspective name, also in its `_EXPERIMENTAL` form
    /// (`THREAT_EXPERIMENTAL`) and in any letter case.
    pub fn parse(name: &str) -> Option<Attribute> {
        let upper = name.trim().to_ascii_uppercase();
        let base = upper.strip_suffix("_EXPERIMENTAL").unwrap_or(&upper);
        Self::ALL.into_iter().find(|attribute| attribute.as_str() == base)
    }

    /// Position in [`Attribute::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_attribute() {
        for attribute in Attribute::ALL {
            assert_eq!(Attribute::parse(attribute.as_str()), Some(attribute));
            assert_eq!(Attribute::ALL[attribute.index()], attribute);
        }
    }

    #[test]
    fn experimental_aliases_and_lower_case_are_accepted() {
        assert_eq!(Attribute::parse("THREAT_EXPERIMENTAL"), Some(Attribute::Threat));
        assert_eq!(Attribute::parse("identity_attack_experimental"), Some(Attribute::IdentityAttack));
        assert_eq!(Attribute::parse("severe_toxicity"), Some(Attribute::SevereToxicity));
    }

    #[test]
    fn unknown_names_are_refused() {
        assert_eq!(Attribute::parse("FLIRTATION"), None);
        assert_eq!(Attribute::parse(""), None);
        assert_eq!(Attribute::parse("_EXPERIMENTAL"), None);
    }
}
