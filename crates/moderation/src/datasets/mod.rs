//! Loaders for the public data sets the scorer is trained and evaluated
//! on. **This is the only module of the crate that reads files**; the rest
//! takes what these loaders return.
//!
//! A data directory has one folder per set, each holding the files exactly
//! as the set's public repository publishes them (see
//! `docs/moderation-quality.md` for where each comes from):
//!
//! ```text
//! DATA/civil-comments-toxic-spans/tsd_{train,trial,test}.csv
//! DATA/conversationai-unintended-bias/{toxicity_nonfuzzed_testset,en_sentence_templates}.csv
//! DATA/wikipedia-talk-context-toxicity/{gc,gn,cat_small}.csv
//! DATA/jigsaw-toxic-train-first20k/text_comment_{1,2}.csv.gz
//! DATA/jigsaw-toxic-comments-sample/{test_examples,detoxify_train_head,detoxify_test_head}.csv
//! DATA/davidson-hate-offensive/labeled_data.csv
//! DATA/youtube-spam-collection/Youtube0{1..5}-*.csv
//! DATA/profanity-ldnoobw/en.txt
//! DATA/hatecheck/test_suite_cases.csv            (evaluation only)
//! DATA/ethos-hate-speech/Ethos_Dataset_{Binary,Multi_Label}.csv   (evaluation only, GPL)
//! DATA/hatexplain-binary/hatexplain_processed.csv (evaluation only)
//! ```

mod sets;

use std::path::{Path, PathBuf};

pub use sets::*;

/// Why a data set could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{} does not exist (see docs/moderation-quality.md for the expected layout)", .0.display())]
    Missing(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}, record {record}: {message}", path.display())]
    Format { path: PathBuf, record: usize, message: String },
}

/// Every set in a data directory, parsed.
#[derive(Debug, Clone, Default)]
pub struct PublicSets {
    pub civil_comments: Vec<SpanPost>,
    pub bias_testset: Vec<LabelledText>,
    pub bias_templates: Vec<Template>,
    pub wiki_gc: Vec<ContextRow>,
    pub wiki_gn: Vec<ContextRow>,
    pub wiki_cat_small: Vec<LabelledText>,
    pub jigsaw_20k: Vec<LabelledText>,
    pub jigsaw_sample: Vec<JigsawRow>,
    pub davidson: Vec<Tweet>,
    pub youtube_spam: Vec<SpamRow>,
    pub profanity_words: Vec<String>,
    pub hatecheck: Vec<HateCheckCase>,
    pub ethos: Vec<EthosRow>,
    pub hatexplain: Vec<LabelledText>,
}

impl PublicSets {
    /// Reads every set under `dir`. Evaluation-only sets that are absent
    /// are left empty; a training set that is absent is an error.
    pub fn load(dir: &Path) -> Result<PublicSets, DatasetError> {
        if !dir.is_dir() {
            return Err(DatasetError::Missing(dir.to_path_buf()));
        }
        Ok(PublicSets {
            civil_comments: civil_comments(dir)?,
            bias_testset: bias_testset(dir)?,
            bias_templates: bias_templates(dir)?,
            wiki_gc: wiki_context(dir, "gc.csv")?,
            wiki_gn: wiki_context(dir, "gn.csv")?,
            wiki_cat_small: wiki_cat_small(dir)?,
            jigsaw_20k: jigsaw_20k(dir)?,
            jigsaw_sample: jigsaw_sample(dir)?,
            davidson: davidson(dir)?,
            youtube_spam: youtube_spam(dir)?,
            profanity_words: profanity_words(dir)?,
            hatecheck: optional(hatecheck(dir))?,
            ethos: optional(ethos(dir))?,
            hatexplain: optional(hatexplain(dir))?,
        })
    }
}

fn optional<T>(loaded: Result<Vec<T>, DatasetError>) -> Result<Vec<T>, DatasetError> {
    match loaded {
        Err(DatasetError::Missing(_)) => Ok(Vec::new()),
        other => other,
    }
}

/// A CSV file's records, each field looked up by its header name.
struct Table {
    path: PathBuf,
    headers: csv::StringRecord,
    records: Vec<csv::StringRecord>,
}

impl Table {
    fn read(path: PathBuf, delimiter: u8) -> Result<Table, DatasetError> {
        let file = open(&path)?;
        let reader: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::read::GzDecoder::new(file))
        } else {
            Box::new(file)
        };
        Table::parse(path, reader, delimiter)
    }

    fn parse(path: PathBuf, reader: impl std::io::Read, delimiter: u8) -> Result<Table, DatasetError> {
        let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(reader);
        let format = |record: usize, error: csv::Error| DatasetError::Format {
            path: path.clone(),
            record,
            message: error.to_string(),
        };
        let headers = csv.headers().map_err(|e| format(0, e))?.clone();
        let mut records = Vec::new();
        for (i, record) in csv.records().enumerate() {
            records.push(record.map_err(|e| format(i + 1, e))?);
        }
        Ok(Table { path, headers, records })
    }

    fn column(&self, name: &str) -> Result<usize, DatasetError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| DatasetError::Format {
            path: self.path.clone(),
            record: 0,
            message: format!("no column named {name:?}"),
        })
    }

    fn error(&self, record: usize, message: impl Into<String>) -> DatasetError {
        DatasetError::Format { path: self.path.clone(), record: record + 1, message: message.into() }
    }
}

fn open(path: &Path) -> Result<std::fs::File, DatasetError> {
    std::fs::File::open(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => DatasetError::Missing(path.to_path_buf()),
        _ => DatasetError::Io { path: path.to_path_buf(), source },
    })
}

/// Reads a CSV table from any reader: what the CLI's `score --csv` uses
/// for a file of comments. Returns the values of `column`.
pub fn csv_column(reader: impl std::io::Read, column: &str) -> Result<Vec<String>, DatasetError> {
    let table = Table::parse(PathBuf::from("standard input"), reader, b',')?;
    let at = table.column(column)?;
    Ok(table.records.iter().map(|r| r.get(at).unwrap_or("").to_string()).collect())
}
