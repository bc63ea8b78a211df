//! Accounts: roles and passwords as parsed from what a person typed.

use crate::error::FieldError;
use serde::Serialize;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// What an account may do. Ordered: each role can do everything the ones
/// before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A registered reader.
    Commenter,
    /// Writes drafts and submits them for review (see `authoring::check`);
    /// moderates nothing.
    Author,
    /// Moderates comments and bans commenters.
    Moderator,
    /// Writes and publishes articles, and moderates.
    Editor,
    /// Everything, including site settings and users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Commenter, Role::Author, Role::Moderator, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Commenter => "commenter",
            Self::Author => "author",
            Self::Moderator => "moderator",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw.trim()).ok_or_else(|| {
            FieldError::new("role", "invalid_role", "A role is one of commenter, author, moderator, editor or admin.")
        })
    }

    /// Whether this role includes everything `needed` may do.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// A new password: long enough to resist guessing, short enough to hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                "password",
                "too_short",
                format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(FieldError::new(
                "password",
                "too_long",
                format!("A password may be at most {MAX_PASSWORD_CHARS} characters."),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never print a password, not even in debug output.
impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_roles_below_them() {
        assert!(Role::Admin.allows(Role::Editor));
        assert!(Role::Editor.allows(Role::Moderator));
        assert!(!Role::Moderator.allows(Role::Editor));
        assert!(!Role::Commenter.allows(Role::Moderator));
        assert!(!Role::Author.allows(Role::Moderator));
        assert!(Role::Author.allows(Role::Commenter));
    }

    #[test]
    fn roles_parse_by_name_only() {
        assert_eq!(Role::parse("editor").unwrap(), Role::Editor);
        assert_eq!(Role::parse("root").unwrap_err().code, "invalid_role");
    }

    #[test]
    fn passwords_have_length_limits_in_characters() {
        assert_eq!(Password::parse("short").unwrap_err().code, "too_short");
        assert!(Password::parse("correct horse").is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert_eq!(Password::parse(&"é".repeat(129)).unwrap_err().code, "too_long");
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
