//! One loader per public set, returning its rows as typed values.

use super::{DatasetError, Table};
use std::path::Path;

/// A text with one yes/no label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledText {
    pub text: String,
    pub label: bool,
}

/// A Civil Comments post (all toxic) and the character ranges raters marked.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanPost {
    pub text: String,
    /// Toxic ranges, in characters (not bytes), end exclusive.
    pub spans: Vec<(usize, usize)>,
    /// `train`, `trial` or `test`.
    pub split: &'static str,
}

impl SpanPost {
    /// The post with its toxic spans cut out: what is left is near-clean.
    pub fn without_spans(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for (i, ch) in self.text.chars().enumerate() {
            if !self.spans.iter().any(|(s, e)| (*s..*e).contains(&i)) {
                out.push(ch);
            }
        }
        out
    }

    /// The post's sentences that share no character with a span, of at
    /// least `min_words` words: clean news prose from the same threads.
    pub fn clean_sentences(&self, min_words: usize) -> Vec<String> {
        let chars: Vec<char> = self.text.chars().collect();
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i <= chars.len() {
            // A line break ends a sentence; so does . ! or ? before a space.
            let end_here = i == chars.len()
                || chars[i] == '\n'
                || (matches!(chars[i], '.' | '!' | '?') && chars.get(i + 1).is_none_or(|c| c.is_whitespace()));
            if end_here {
                let end = (i + 1).min(chars.len());
                let overlaps = self.spans.iter().any(|(s, e)| *s < end && *e > start);
                let sentence: String = chars[start..end].iter().collect();
                let sentence = sentence.trim();
                if !overlaps && sentence.split_whitespace().count() >= min_words {
                    out.push(sentence.to_owned());
                }
                start = end;
            }
            i += 1;
        }
        out
    }

    /// The marked spans' text.
    pub fn span_texts(&self) -> Vec<String> {
        let chars: Vec<char> = self.text.chars().collect();
        self.spans.iter().map(|(s, e)| chars[(*s).min(chars.len())..(*e).min(chars.len())].iter().collect()).collect()
    }
}

/// A synthetic identity-term sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub family: String,
    pub toxic: bool,
    pub phrase: String,
}

/// A Wikipedia talk comment with its parent and Perspective's score.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextRow {
    pub text: String,
    pub parent: String,
    pub label: bool,
    pub perspective: f32,
}

/// A Jigsaw comment with its six labels (`None` where the set has no label).
#[derive(Debug, Clone, PartialEq)]
pub struct JigsawRow {
    pub text: String,
    /// toxic, severe_toxic, obscene, threat, insult, identity_hate
    pub labels: [Option<bool>; 6],
}

/// A tweet: 0 hate speech, 1 offensive, 2 neither.
#[derive(Debug, Clone, PartialEq)]
pub struct Tweet {
    pub text: String,
    pub class: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpamRow {
    pub video: String,
    pub text: String,
    pub spam: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HateCheckCase {
    pub functionality: String,
    pub text: String,
    pub hateful: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EthosRow {
    pub text: String,
    pub hate: bool,
    /// Share of raters who saw incitement to violence (hateful rows only).
    pub violence: Option<f32>,
}

impl Table {
    /// Every record as a text (column `text`) with its 0/1 label (column `label`).
    fn labelled_texts(&self, text: &str, label: &str) -> Result<Vec<LabelledText>, DatasetError> {
        let (text, label) = (self.column(text)?, self.column(label)?);
        self.records
            .iter()
            .enumerate()
            .map(|(i, r)| Ok(LabelledText { text: r[text].to_string(), label: flag(self, i, &r[label])? }))
            .collect()
    }
}

fn flag(table: &Table, record: usize, value: &str) -> Result<bool, DatasetError> {
    match value.trim() {
        "1" | "True" | "true" | "toxic" | "1.0" => Ok(true),
        "0" | "False" | "false" | "nontoxic" | "0.0" => Ok(false),
        other => Err(table.error(record, format!("expected a yes/no label, found {other:?}"))),
    }
}

fn number<T: std::str::FromStr>(table: &Table, record: usize, value: &str) -> Result<T, DatasetError> {
    value.trim().parse().map_err(|_| table.error(record, format!("expected a number, found {value:?}")))
}

pub fn civil_comments(dir: &Path) -> Result<Vec<SpanPost>, DatasetError> {
    let mut posts = Vec::new();
    for (file, split) in [("tsd_train.csv", "train"), ("tsd_trial.csv", "trial"), ("tsd_test.csv", "test")] {
        let table = Table::read(dir.join("civil-comments-toxic-spans").join(file), b',')?;
        let (spans_at, text_at) = (table.column("spans")?, table.column("text")?);
        for (i, record) in table.records.iter().enumerate() {
            let offsets: Vec<usize> = record[spans_at]
                .trim_matches(|c| c == '[' || c == ']')
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| number(&table, i, s))
                .collect::<Result<_, _>>()?;
            let mut spans: Vec<(usize, usize)> = Vec::new();
            for offset in offsets {
                match spans.last_mut() {
                    Some(last) if last.1 == offset => last.1 += 1,
                    _ => spans.push((offset, offset + 1)),
                }
            }
            posts.push(SpanPost { text: record[text_at].to_string(), spans, split });
        }
    }
    Ok(posts)
}

pub fn bias_testset(dir: &Path) -> Result<Vec<LabelledText>, DatasetError> {
    Table::read(dir.join("conversationai-unintended-bias/toxicity_nonfuzzed_testset.csv"), b',')?
        .labelled_texts("comment", "toxic")
}

pub fn bias_templates(dir: &Path) -> Result<Vec<Template>, DatasetError> {
    let table = Table::read(dir.join("conversationai-unintended-bias/en_sentence_templates.csv"), b',')?;
    let (family, toxic, phrase) = (table.column("template")?, table.column("toxicity")?, table.column("phrase")?);
    table
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(Template {
                family: r[family].to_string(),
                toxic: flag(&table, i, &r[toxic])?,
                phrase: r[phrase].to_string(),
            })
        })
        .collect()
}

pub fn wiki_context(dir: &Path, file: &str) -> Result<Vec<ContextRow>, DatasetError> {
    let table = Table::read(dir.join("wikipedia-talk-context-toxicity").join(file), b',')?;
    let (text, parent, label, api) =
        (table.column("text")?, table.column("parent")?, table.column("label")?, table.column("api")?);
    table
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(ContextRow {
                text: r[text].to_string(),
                parent: r[parent].to_string(),
                label: flag(&table, i, &r[label])?,
                perspective: number(&table, i, &r[api])?,
            })
        })
        .collect()
}

/// The comments of `cat_small.csv`, each labelled as raters who saw only
/// the comment judged it (`label_oc`): how the scorer reads a comment.
pub fn wiki_cat_small(dir: &Path) -> Result<Vec<LabelledText>, DatasetError> {
    Table::read(dir.join("wikipedia-talk-context-toxicity").join("cat_small.csv"), b',')?
        .labelled_texts("text", "label_oc")
}

pub fn jigsaw_20k(dir: &Path) -> Result<Vec<LabelledText>, DatasetError> {
    let mut rows = Vec::new();
    for file in ["text_comment_1.csv.gz", "text_comment_2.csv.gz"] {
        let table = Table::read(dir.join("jigsaw-toxic-train-first20k").join(file), b',')?;
        rows.extend(table.labelled_texts("comment_text", "labels")?);
    }
    Ok(rows)
}

pub fn jigsaw_sample(dir: &Path) -> Result<Vec<JigsawRow>, DatasetError> {
    let names = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"];
    let mut rows = Vec::new();
    for file in ["test_examples.csv", "detoxify_train_head.csv", "detoxify_test_head.csv"] {
        let table = Table::read(dir.join("jigsaw-toxic-comments-sample").join(file), b',')?;
        let text = table.column("comment_text")?;
        let columns: Vec<usize> = names.iter().map(|n| table.column(n)).collect::<Result<_, _>>()?;
        for (i, r) in table.records.iter().enumerate() {
            let mut labels = [None; 6];
            for (label, at) in labels.iter_mut().zip(&columns) {
                *label = match r[*at].trim() {
                    "-1" => None,
                    value => Some(flag(&table, i, value)?),
                };
            }
            rows.push(JigsawRow { text: r[text].to_string(), labels });
        }
    }
    Ok(rows)
}

pub fn davidson(dir: &Path) -> Result<Vec<Tweet>, DatasetError> {
    let table = Table::read(dir.join("davidson-hate-offensive/labeled_data.csv"), b',')?;
    let (class, tweet) = (table.column("class")?, table.column("tweet")?);
    table
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| Ok(Tweet { text: unescape_html(&r[tweet]), class: number(&table, i, &r[class])? }))
        .collect()
}

pub fn youtube_spam(dir: &Path) -> Result<Vec<SpamRow>, DatasetError> {
    let folder = dir.join("youtube-spam-collection");
    let mut rows = Vec::new();
    for video in ["Youtube01-Psy", "Youtube02-KatyPerry", "Youtube03-LMFAO", "Youtube04-Eminem", "Youtube05-Shakira"] {
        let table = Table::read(folder.join(format!("{video}.csv")), b',')?;
        let (content, class) = (table.column("CONTENT")?, table.column("CLASS")?);
        for (i, r) in table.records.iter().enumerate() {
            let text = strip_markup(&r[content]);
            rows.push(SpamRow { video: video.to_string(), text, spam: flag(&table, i, &r[class])? });
        }
    }
    Ok(rows)
}

pub fn profanity_words(dir: &Path) -> Result<Vec<String>, DatasetError> {
    let path = dir.join("profanity-ldnoobw/en.txt");
    let text = std::fs::read_to_string(&path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => DatasetError::Missing(path.clone()),
        _ => DatasetError::Io { path: path.clone(), source },
    })?;
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
}

pub fn hatecheck(dir: &Path) -> Result<Vec<HateCheckCase>, DatasetError> {
    let table = Table::read(dir.join("hatecheck/test_suite_cases.csv"), b',')?;
    let (functionality, text, label) =
        (table.column("functionality")?, table.column("test_case")?, table.column("label_gold")?);
    Ok(table
        .records
        .iter()
        .map(|r| HateCheckCase {
            functionality: r[functionality].to_string(),
            text: r[text].trim().to_string(),
            hateful: &r[label] == "hateful",
        })
        .collect())
}

pub fn ethos(dir: &Path) -> Result<Vec<EthosRow>, DatasetError> {
    let binary = Table::read(dir.join("ethos-hate-speech/Ethos_Dataset_Binary.csv"), b';')?;
    let multi = Table::read(dir.join("ethos-hate-speech/Ethos_Dataset_Multi_Label.csv"), b';')?;
    let (text, hate) = (binary.column("comment")?, binary.column("isHate")?);
    let (multi_text, violence) = (multi.column("comment")?, multi.column("violence")?);
    let mut violence_of = std::collections::BTreeMap::new();
    for (i, r) in multi.records.iter().enumerate() {
        violence_of.insert(r[multi_text].to_string(), number::<f32>(&multi, i, &r[violence])?);
    }
    binary
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(EthosRow {
                text: r[text].to_string(),
                hate: number::<f32>(&binary, i, &r[hate])? >= 0.5,
                violence: violence_of.get(&r[text]).copied(),
            })
        })
        .collect()
}

pub fn hatexplain(dir: &Path) -> Result<Vec<LabelledText>, DatasetError> {
    Table::read(dir.join("hatexplain-binary/hatexplain_processed.csv"), b',')?.labelled_texts("tweet", "label")
}

/// The few HTML entities the sets carry (`&amp;`, `&#39;` …).
fn unescape_html(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// YouTube comments are HTML: line breaks and links become plain text, as
/// a comment typed into Tribune would be; a trailing U+FEFF goes.
fn strip_markup(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        if tag.starts_with("br") {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    unescape_html(&out).trim_end_matches('\u{FEFF}').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_plain_text() {
        assert_eq!(
            strip_markup("Hi<br />see <a href=\"http://x.com\">http://x.com</a> &amp; it&#39;s\u{FEFF}"),
            "Hi\nsee http://x.com & it's"
        );
    }

    #[test]
    fn spans_cut_out_by_character_not_byte() {
        let post = SpanPost { text: "Tú idiota, go".into(), spans: vec![(3, 9)], split: "train" };
        assert_eq!(post.without_spans(), "Tú , go");
        assert_eq!(post.span_texts(), vec!["idiota"]);
    }

    #[test]
    fn clean_sentences_are_those_no_span_touches() {
        let text =
            "The vote was on Tuesday. Only an idiot would back it! Was the count right?\nSee the é-mail list\nYes.";
        let idiot = text.chars().collect::<Vec<_>>();
        let start = (0..idiot.len()).find(|i| idiot[*i..].starts_with(&['i', 'd', 'i', 'o', 't'])).unwrap();
        let post = SpanPost { text: text.into(), spans: vec![(start, start + 5)], split: "train" };
        assert_eq!(
            post.clean_sentences(4),
            vec!["The vote was on Tuesday.", "Was the count right?", "See the é-mail list"],
            "the insulting sentence and the short one are left out"
        );
        let whole = SpanPost { text: "You fool.".into(), spans: vec![(0, 9)], split: "train" };
        assert!(whole.clean_sentences(1).is_empty());
    }
}
