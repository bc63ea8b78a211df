//! Articles: the parsed parts an editor writes, and Markdown files with front matter.

use crate::error::{FieldError, ValidationErrors};
use crate::markdown::render_article;
use crate::slug::Slug;
use crate::timestamp::Timestamp;

pub const MAX_HEADLINE_CHARS: usize = 200;
pub const MAX_STANDFIRST_CHARS: usize = 600;
pub const MAX_BYLINE_CHARS: usize = 120;
pub const MAX_SECTION_CHARS: usize = 60;
pub const MAX_ARTICLE_BODY_CHARS: usize = 200_000;
pub const MAX_TAG_CHARS: usize = 40;
pub const MAX_TAGS: usize = 10;

fn one_line(field: &'static str, raw: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let text = raw.trim();
    if required && text.is_empty() {
        return Err(FieldError::new(field, "empty", format!("The {field} must not be empty.")));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(field, "too_long", format!("The {field} may be at most {max} characters.")));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(field, "invalid_characters", format!("The {field} must be one line of text.")));
    }
    Ok(text.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr, $required:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                one_line($field, raw, $max, $required).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(/// The article's title.
    Headline, "headline", MAX_HEADLINE_CHARS, true);
text_type!(/// The summary under the headline (the dek); may be empty.
    Standfirst, "standfirst", MAX_STANDFIRST_CHARS, false);
text_type!(/// Who wrote it.
    Byline, "byline", MAX_BYLINE_CHARS, true);
text_type!(/// The site section ("World", "Science").
    Section, "section", MAX_SECTION_CHARS, true);

text_type!(/// A subject an article is filed under besides its section ("Elections").
    Tag, "tags", MAX_TAG_CHARS, true);

impl Tag {
    pub fn slug(&self) -> Slug {
        Slug::from_headline(&self.0)
    }
}

/// Parses tags, keeping the first of any two with the same slug.
fn parse_tags(raw: &[String], errors: &mut ValidationErrors) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    for tag in raw.iter().filter(|t| !t.trim().is_empty()) {
        if let Some(tag) = errors.check(Tag::parse(tag)) {
            if !tags.iter().any(|kept| kept.slug() == tag.slug()) {
                tags.push(tag);
            }
        }
    }
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new("tags", "too_many", format!("An article may have at most {MAX_TAGS} tags.")));
    }
    tags
}

impl Section {
    pub fn slug(&self) -> Slug {
        Slug::from_headline(&self.0)
    }
}

/// An article ready to be stored, its body already rendered.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub slug: Slug,
    pub headline: Headline,
    pub standfirst: Standfirst,
    pub byline: Byline,
    pub section: Section,
    /// Distinct by slug, at most `MAX_TAGS`.
    pub tags: Vec<Tag>,
    pub body_markdown: String,
    pub body_html: String,
    /// `None` keeps it a draft; a future time schedules it.
    pub published_at: Option<Timestamp>,
    pub comments_open: bool,
    pub created_at: Timestamp,
    /// Draft, scheduled or published (see `ArticleStatus::for_new`).
    pub status: crate::authoring::ArticleStatus,
    /// The account writing it in the newsroom; `None` from a file or the admin token.
    pub author: Option<crate::authoring::Writer>,
}

/// The loosely typed fields an article arrives with, from the API or a file.
#[derive(Debug, Clone, Default)]
pub struct ArticleFields {
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub published_at: Option<String>,
    pub comments_open: Option<bool>,
    pub body: String,
}

impl ArticleFields {
    /// Parses every field, reporting all problems at once. Without a
    /// `published_at` the article is published `now`.
    pub fn parse(self, now: Timestamp) -> Result<NewArticle, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let headline = errors.check(Headline::parse(&self.headline));
        let standfirst = errors.check(Standfirst::parse(&self.standfirst));
        let byline = errors.check(Byline::parse(&self.byline));
        let section = errors.check(Section::parse(&self.section));
        let tags = parse_tags(&self.tags, &mut errors);
        let slug = match (&self.slug, &headline) {
            (Some(raw), _) if !raw.trim().is_empty() => errors.check(Slug::parse(raw.trim())),
            (_, Some(headline)) => Some(Slug::from_headline(headline.as_str())),
            _ => None,
        };
        let published_at = match self.published_at.as_deref().map(str::trim) {
            None | Some("") => Some(now),
            Some(raw) => errors.check(Timestamp::parse(raw).ok_or_else(|| {
                FieldError::new("published_at", "invalid_date", "Use a date like 2026-11-29 or 2026-11-29T08:00:00Z.")
            })),
        };
        if self.body.chars().count() > MAX_ARTICLE_BODY_CHARS {
            errors.push(FieldError::new(
                "body",
                "too_long",
                format!("An article body may be at most {MAX_ARTICLE_BODY_CHARS} characters."),
            ));
        }
        match (headline, standfirst, byline, section, slug, published_at) {
            (Some(headline), Some(standfirst), Some(byline), Some(section), Some(slug), Some(published_at))
                if errors.is_empty() =>
            {
                Ok(NewArticle {
                    slug,
                    headline,
                    standfirst,
                    byline,
                    section,
                    tags,
                    body_html: render_article(&self.body),
                    body_markdown: self.body,
                    published_at: Some(published_at),
                    comments_open: self.comments_open.unwrap_or(true),
                    created_at: now,
                    status: crate::authoring::ArticleStatus::for_new(Some(published_at), now),
                    author: None,
                })
            }
            _ => Err(errors),
        }
    }

    /// Reads a Markdown file that starts with front matter: `key: value` lines
    /// between two `---` lines. Known keys: headline, standfirst, byline,
    /// section, tags (separated by commas), slug, published_at, comments (open|closed).
    pub fn from_markdown_file(text: &str) -> Result<Self, ValidationErrors> {
        let missing = || {
            ValidationErrors::from(FieldError::new(
                "front_matter",
                "missing",
                "The file must start with front matter between two lines of ---.",
            ))
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")).ok_or_else(missing)?;
        let (front, body) = split_front_matter(rest).ok_or_else(missing)?;
        let mut fields = ArticleFields { body: body.trim_start_matches(['\r', '\n']).to_owned(), ..Default::default() };
        let mut errors = ValidationErrors::default();
        for (number, line) in front.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                errors.push(FieldError::new(
                    "front_matter",
                    "invalid_line",
                    format!("Front matter line {} is not `key: value`.", number + 2),
                ));
                continue;
            };
            let value = unquote(value.trim()).to_owned();
            match key.trim() {
                "headline" | "title" => fields.headline = value,
                "standfirst" | "dek" => fields.standfirst = value,
                "byline" | "author" => fields.byline = value,
                "section" => fields.section = value,
                "tags" => fields.tags = value.split(',').map(|tag| unquote(tag.trim()).to_owned()).collect(),
                "slug" => fields.slug = Some(value),
                "published_at" | "date" => fields.published_at = Some(value),
                "comments" => match value.as_str() {
                    "open" => fields.comments_open = Some(true),
                    "closed" => fields.comments_open = Some(false),
                    _ => errors.push(FieldError::new("comments", "invalid_value", "comments must be open or closed.")),
                },
                other => errors.push(FieldError::new(
                    "front_matter",
                    "unknown_key",
                    format!("Unknown front matter key `{other}` on line {}.", number + 2),
                )),
            }
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(errors)
        }
    }
}

fn split_front_matter(rest: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "---\nheadline: \"Tides rise\"\nstandfirst: A dek\nbyline: Sam Reporter\nsection: Science\npublished_at: 2026-11-01\n---\n\nBody *text*.\n";

    #[test]
    fn a_markdown_file_with_front_matter_becomes_an_article() {
        let article = ArticleFields::from_markdown_file(FILE).unwrap().parse(Timestamp(0)).unwrap();
        assert_eq!(article.headline.as_str(), "Tides rise");
        assert_eq!(article.slug.as_str(), "tides-rise");
        assert_eq!(article.section.slug().as_str(), "science");
        assert_eq!(article.published_at, Timestamp::parse("2026-11-01"));
        assert!(article.body_html.contains("<em>text</em>"));
    }

    #[test]
    fn tags_come_from_front_matter_once_each() {
        let file = FILE.replace("section: Science\n", "section: Science\ntags: Climate, \"Sea level\", climate\n");
        let article = ArticleFields::from_markdown_file(&file).unwrap().parse(Timestamp(0)).unwrap();
        let tags: Vec<_> = article.tags.iter().map(|t| (t.as_str(), t.slug().as_str().to_owned())).collect();
        assert_eq!(tags, [("Climate", "climate".to_owned()), ("Sea level", "sea-level".to_owned())]);
    }

    #[test]
    fn more_than_ten_tags_or_a_long_one_is_refused() {
        let fields = |tags: Vec<String>| ArticleFields {
            headline: "H".into(),
            byline: "B".into(),
            section: "S".into(),
            tags,
            ..Default::default()
        };
        let errors = fields((0..11).map(|n| format!("tag {n}")).collect()).parse(Timestamp(0)).unwrap_err();
        assert_eq!(errors.for_field("tags").unwrap().code, "too_many");
        let errors = fields(vec!["x".repeat(41)]).parse(Timestamp(0)).unwrap_err();
        assert_eq!(errors.for_field("tags").unwrap().code, "too_long");
    }

    #[test]
    fn a_file_without_front_matter_is_rejected() {
        let errors = ArticleFields::from_markdown_file("# Just markdown\n").unwrap_err();
        assert_eq!(errors.0[0].code, "missing");
    }

    #[test]
    fn unknown_front_matter_keys_are_named() {
        let errors = ArticleFields::from_markdown_file("---\nheadline: x\ncolour: red\n---\n").unwrap_err();
        assert!(errors.0[0].message.contains("colour"));
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errors = ArticleFields::default().parse(Timestamp(0)).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["headline", "byline", "section"]);
    }

    #[test]
    fn a_bad_slug_or_date_is_rejected() {
        let fields = ArticleFields {
            headline: "H".into(),
            byline: "B".into(),
            section: "S".into(),
            slug: Some("Bad Slug".into()),
            published_at: Some("soon".into()),
            ..Default::default()
        };
        let errors = fields.parse(Timestamp(0)).unwrap_err();
        assert!(errors.for_field("slug").is_some());
        assert!(errors.for_field("published_at").is_some());
    }
}
