//! `comments:analyze` and `comments:suggestscore` as Google's Perspective
//! API defined them: the request and answer shapes, and the checks whose
//! failures clients know by name (`COMMENT_EMPTY` …).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_moderation::language::{self, Detected};
use tribune_moderation::scorer::{Attribute, Model};

/// Perspective refused longer comments; so does Tribune (20 KB of UTF-8).
pub const MAX_COMMENT_BYTES: usize = 20 * 1024;

/// The one language the scorer was trained on.
const ENGLISH: &str = "en";

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnalyzeRequest {
    pub comment: Option<TextEntry>,
    pub requested_attributes: Option<BTreeMap<String, Option<AttributeParameters>>>,
    pub languages: Option<Vec<String>>,
    pub do_not_store: bool,
    pub client_token: Option<String>,
    pub span_annotations: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TextEntry {
    pub text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AttributeParameters {
    pub score_threshold: Option<f32>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Score {
    pub value: f32,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

impl Score {
    fn probability(value: f32) -> Self {
        Self { value, kind: "PROBABILITY" }
    }
}

#[derive(Debug, Serialize, PartialEq)]
pub struct SpanScore {
    /// UTF-16 code units, as JavaScript and Java count them; end exclusive.
    pub begin: usize,
    pub end: usize,
    pub score: Score,
}

#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AttributeScores {
    pub span_scores: Vec<SpanScore>,
    pub summary_score: Score,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyzeResponse {
    /// By the name the client asked for (`THREAT_EXPERIMENTAL` stays so).
    pub attribute_scores: BTreeMap<String, AttributeScores>,
    pub languages: Vec<String>,
    pub detected_languages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

/// Why a request is refused; each is `400 INVALID_ARGUMENT` with this
/// `errorType`.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnalyzeError {
    #[error("Comment must be non-empty.")]
    CommentEmpty,
    #[error("Comment text too long: at most {MAX_COMMENT_BYTES} bytes of UTF-8.")]
    CommentTooLong,
    #[error("No requested attributes: name at least one in requestedAttributes.")]
    NoRequestedAttributes,
    #[error("Unknown attribute {0:?}.")]
    UnknownAttribute(String),
    #[error("Attribute {attribute} does not support request languages: {language}.")]
    LanguageNotSupported { attribute: String, language: String },
}

impl AnalyzeError {
    pub fn error_type(&self) -> &'static str {
        match self {
            AnalyzeError::CommentEmpty => "COMMENT_EMPTY",
            AnalyzeError::CommentTooLong => "COMMENT_TOO_LONG",
            AnalyzeError::NoRequestedAttributes => "NO_REQUESTED_ATTRIBUTES",
            AnalyzeError::UnknownAttribute(_) => "UNKNOWN_ATTRIBUTE",
            AnalyzeError::LanguageNotSupported { .. } => "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        }
    }
}

/// A checked request: the text and the attributes by their requested names.
#[derive(Debug)]
pub struct Checked<'a> {
    pub text: &'a str,
    pub attributes: Vec<(&'a str, Attribute, Option<f32>)>,
    /// The text's language when it could be told; English is assumed otherwise.
    pub detected: Option<Detected>,
}

/// The comment's text and its attributes, or why the request is refused.
pub fn check(request: &AnalyzeRequest) -> Result<Checked<'_>, AnalyzeError> {
    let text = request.comment.as_ref().and_then(|c| c.text.as_deref()).unwrap_or("");
    if text.trim().is_empty() {
        return Err(AnalyzeError::CommentEmpty);
    }
    if text.len() > MAX_COMMENT_BYTES {
        return Err(AnalyzeError::CommentTooLong);
    }
    let requested = request.requested_attributes.as_ref().filter(|r| !r.is_empty());
    let requested = requested.ok_or(AnalyzeError::NoRequestedAttributes)?;
    let mut attributes = Vec::new();
    for (name, parameters) in requested {
        let attribute = Attribute::parse(name).ok_or_else(|| AnalyzeError::UnknownAttribute(cut(name)))?;
        attributes.push((name.as_str(), attribute, parameters.as_ref().and_then(|p| p.score_threshold)));
    }
    let unsupported = |language: &str| AnalyzeError::LanguageNotSupported {
        attribute: attributes[0].0.to_owned(),
        language: cut(language),
    };
    let named = request.languages.as_deref().unwrap_or_default();
    if let Some(language) = named.iter().find(|l| !is_english(l)) {
        return Err(unsupported(language));
    }
    let detected = language::detect(text);
    // As Google's did: a client that names no language has the text's own
    // judged, and an English-only model must not pretend to score another.
    if let Some(other) = detected.filter(|d| named.is_empty() && !d.is_english()) {
        return Err(unsupported(other.code));
    }
    Ok(Checked { text, attributes, detected })
}

/// Scores a checked request as Perspective answered: every requested
/// attribute at or above its threshold, with its spans in UTF-16 units.
pub fn analyze(model: &Model, request: &AnalyzeRequest) -> Result<AnalyzeResponse, AnalyzeError> {
    let checked = check(request)?;
    let text = checked.text;
    let scores = model.score(text);
    let whole = utf16_len(text);
    let mut attribute_scores = BTreeMap::new();
    for (name, attribute, threshold) in checked.attributes {
        let value = scores.get(attribute);
        if threshold.is_some_and(|t| value < t) {
            continue;
        }
        let span_scores = if request.span_annotations {
            model
                .spans(text, attribute)
                .into_iter()
                .map(|s| SpanScore {
                    begin: utf16_len(&text[..s.begin]),
                    end: utf16_len(&text[..s.end]),
                    score: Score::probability(s.score),
                })
                .collect()
        } else {
            // Without span annotations Perspective scored the whole text as one span.
            vec![SpanScore { begin: 0, end: whole, score: Score::probability(value) }]
        };
        attribute_scores
            .insert(name.to_owned(), AttributeScores { span_scores, summary_score: Score::probability(value) });
    }
    let detected = checked.detected.map_or(ENGLISH, |d| d.code).to_owned();
    let languages = match &request.languages {
        Some(languages) if !languages.is_empty() => languages.clone(),
        _ => vec![detected.clone()],
    };
    Ok(AnalyzeResponse {
        attribute_scores,
        languages,
        detected_languages: vec![detected],
        client_token: request.client_token.clone(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SuggestRequest {
    pub comment: Option<TextEntry>,
    pub attribute_scores: BTreeMap<String, SuggestedScores>,
    pub do_not_store: bool,
    pub client_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SuggestedScores {
    pub summary_score: Option<SuggestedScore>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuggestedScore {
    pub value: f32,
}

/// Scores by attribute name, 0 to 1.
pub type Labels = Vec<(String, f32)>;

/// The comment's text and its suggested labels, or why they are refused.
pub fn check_suggestion(request: &SuggestRequest) -> Result<(&str, Labels), AnalyzeError> {
    let text = request.comment.as_ref().and_then(|c| c.text.as_deref()).unwrap_or("");
    if text.trim().is_empty() {
        return Err(AnalyzeError::CommentEmpty);
    }
    if text.len() > MAX_COMMENT_BYTES {
        return Err(AnalyzeError::CommentTooLong);
    }
    if request.attribute_scores.is_empty() {
        return Err(AnalyzeError::NoRequestedAttributes);
    }
    let mut labels = Vec::new();
    for (name, scores) in &request.attribute_scores {
        let attribute = Attribute::parse(name).ok_or_else(|| AnalyzeError::UnknownAttribute(cut(name)))?;
        let value = scores.summary_score.as_ref().map_or(0.0, |s| s.value).clamp(0.0, 1.0);
        labels.push((attribute.as_str().to_owned(), value));
    }
    Ok((text, labels))
}

fn is_english(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    primary.eq_ignore_ascii_case(ENGLISH)
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// A client's value, short enough to quote in a message.
fn cut(value: &str) -> String {
    value.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GERMAN: &str =
        "Ich finde diesen Artikel sehr gut geschrieben, aber die Zahlen im zweiten Absatz stimmen nicht.";

    fn request(json: &str) -> AnalyzeRequest {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn spans_count_utf16_code_units_end_exclusive() {
        let text = "😀 café idiot";
        let body = serde_json::json!({
            "comment": {"text": text}, "requestedAttributes": {"INSULT": {}}, "spanAnnotations": true
        });
        let answer = analyze(Model::default_model(), &request(&body.to_string())).unwrap();
        let spans = &answer.attribute_scores["INSULT"].span_scores;
        let units: Vec<u16> = text.encode_utf16().collect();
        let idiot = spans.iter().find(|s| String::from_utf16(&units[s.begin..s.end]).unwrap() == "idiot");
        assert!(idiot.is_some(), "{spans:?}");
        assert_eq!(idiot.unwrap().begin, 8, "the emoji is 2 units, é is 1");
    }

    #[test]
    fn checks_name_what_is_wrong() {
        let cases = [
            (r#"{"comment":{"text":"  "},"requestedAttributes":{"TOXICITY":{}}}"#, "COMMENT_EMPTY"),
            (r#"{"requestedAttributes":{"TOXICITY":{}}}"#, "COMMENT_EMPTY"),
            (r#"{"comment":{"text":"hi"}}"#, "NO_REQUESTED_ATTRIBUTES"),
            (r#"{"comment":{"text":"hi"},"requestedAttributes":{}}"#, "NO_REQUESTED_ATTRIBUTES"),
            (r#"{"comment":{"text":"hi"},"requestedAttributes":{"FLIRTATION":{}}}"#, "UNKNOWN_ATTRIBUTE"),
            (
                r#"{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}},"languages":["de"]}"#,
                "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(check(&request(body)).unwrap_err().error_type(), expected, "{body}");
        }
        let long = serde_json::json!({"comment": {"text": "a".repeat(MAX_COMMENT_BYTES + 1)},
            "requestedAttributes": {"TOXICITY": {}}});
        assert_eq!(check(&request(&long.to_string())).unwrap_err(), AnalyzeError::CommentTooLong);
        let german = serde_json::json!({"comment": {"text": GERMAN}, "requestedAttributes": {"TOXICITY": {}}});
        assert_eq!(
            check(&request(&german.to_string())).unwrap_err(),
            AnalyzeError::LanguageNotSupported { attribute: "TOXICITY".to_owned(), language: "de".to_owned() },
            "a text detected as German, with no language named, is refused as Google refused it"
        );
        let fine =
            r#"{"comment":{"text":"hi"},"requestedAttributes":{"threat_experimental":null},"languages":["en-GB"]}"#;
        assert_eq!(check(&request(fine)).unwrap().attributes[0].1, Attribute::Threat);
    }

    #[test]
    fn a_score_below_its_threshold_is_left_out() {
        let body = r#"{"comment":{"text":"Thanks for the article"},
            "requestedAttributes":{"TOXICITY":{"scoreThreshold":0.99},"SPAM":{}},"clientToken":"t-1"}"#;
        let answer = analyze(Model::default_model(), &request(body)).unwrap();
        assert_eq!(answer.attribute_scores.keys().collect::<Vec<_>>(), vec!["SPAM"]);
        assert_eq!(answer.client_token.as_deref(), Some("t-1"));
        assert_eq!((answer.languages, answer.detected_languages), (vec!["en".to_owned()], vec!["en".to_owned()]));
    }

    #[test]
    fn the_detected_language_is_reported_and_a_named_one_wins() {
        let english = serde_json::json!({"comment": {"text": "The mayor promised a new bridge, and the council agreed to pay for it."},
            "requestedAttributes": {"TOXICITY": {}}});
        let answer = analyze(Model::default_model(), &request(&english.to_string())).unwrap();
        assert_eq!((answer.languages, answer.detected_languages), (vec!["en".to_owned()], vec!["en".to_owned()]));
        let named = serde_json::json!({"comment": {"text": GERMAN}, "requestedAttributes": {"TOXICITY": {}},
            "languages": ["en"]});
        let answer = analyze(Model::default_model(), &request(&named.to_string())).unwrap();
        assert_eq!(answer.languages, vec!["en".to_owned()], "the client's word is kept");
        assert_eq!(answer.detected_languages, vec!["de".to_owned()], "and what the text is, reported");
    }
}
