//! `tribune moderation …`: train the on-device scorer from the public data
//! sets, print its quality report, and score comments from standard input.

use anyhow::{bail, Context};
use clap::Subcommand;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tribune_moderation::datasets::{csv_column, PublicSets};
use tribune_moderation::evaluation;
use tribune_moderation::scorer::{Attribute, Model};
use tribune_moderation::training::{train, TrainOptions};

const DATA_LAYOUT: &str = "\
DIR holds one folder per public data set, with the files as each set's repository publishes them:
  civil-comments-toxic-spans/tsd_{train,trial,test}.csv       github.com/ipavlopoulos/toxic_spans (SemEval2021/data), CC0
  conversationai-unintended-bias/toxicity_nonfuzzed_testset.csv, en_sentence_templates.csv
                                                              github.com/conversationai/unintended-ml-bias-analysis, CC BY 4.0
  wikipedia-talk-context-toxicity/gc.csv, gn.csv, cat_small.csv
                                                              github.com/ipavlopoulos/context_toxicity (data/CAT_LARGE, CAT_SMALL), Apache-2.0
  jigsaw-toxic-train-first20k/text_comment_{1,2}.csv.gz       Kaggle Jigsaw Toxic Comment train.csv rows 0-19,999 (CC0), gzipped
  jigsaw-toxic-comments-sample/test_examples.csv, detoxify_{train,test}_head.csv
                                                              github.com/IBM/MAX-Toxic-Comment-Classifier, github.com/unitaryai/detoxify (eval only)
  davidson-hate-offensive/labeled_data.csv                    github.com/t-davidson/hate-speech-and-offensive-language, MIT
  youtube-spam-collection/Youtube0{1..5}-*.csv                UCI YouTube Spam Collection, CC BY 4.0
  profanity-ldnoobw/en.txt                                    github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words, CC BY 4.0
  hatecheck/test_suite_cases.csv                              github.com/paul-rottger/hatecheck-data, CC BY 4.0 (eval only)
  ethos-hate-speech/Ethos_Dataset_{Binary,Multi_Label}.csv    github.com/intelligence-csd-auth-gr/Ethos-Hate-Speech-Dataset, GPL-3.0 (eval only)
  hatexplain-binary/hatexplain_processed.csv                  HateXplain, MIT (eval only)
The last three are optional; docs/moderation-quality.md says more.";

#[derive(Debug, Subcommand)]
pub enum ModerationCommand {
    /// Train the scorer on the public data sets and write the model file.
    #[command(after_help = DATA_LAYOUT)]
    Train {
        /// The data directory (layout below).
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the quality report (Markdown): trains the comparison models, so it takes minutes.
    #[command(after_help = DATA_LAYOUT)]
    Eval {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The model whose bias, HateCheck and per-attribute figures are reported (default: the shipped one).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
    },
    /// Score comments read from standard input, one per line (or a CSV file with --csv).
    Score {
        /// A model file (default: the shipped one).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Read CSV with a header instead of one comment per line.
        #[arg(long)]
        csv: bool,
        /// The CSV column holding the comment.
        #[arg(long, default_value = "text", requires = "csv")]
        column: String,
    },
    /// Train the site's model from the public data and the site's own decisions; replace
    /// `[moderation] model_file` only if it is not worse on a held-out slice of them.
    #[command(after_help = DATA_LAYOUT)]
    Retrain {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Put back the model that the last retrain replaced.
    Restore,
    /// Keys for the Perspective-compatible endpoint (reads the configuration for the database).
    ApiKey {
        #[command(subcommand)]
        command: crate::api_keys_cli::ApiKeyCommand,
    },
}

pub fn run(command: ModerationCommand) -> anyhow::Result<()> {
    match command {
        ModerationCommand::Train { data, out } => train_model(&data, &out),
        ModerationCommand::Eval { data, model } => {
            let model = load_model(model.as_deref())?;
            let sets = load_sets(&data)?;
            let report = evaluation::report(&sets, &TrainOptions::default(), &model, &mut |line| eprintln!("{line}"));
            print!("{report}");
            Ok(())
        }
        ModerationCommand::Score { model, csv, column } => score(&load_model(model.as_deref())?, csv, &column),
        ModerationCommand::ApiKey { .. } | ModerationCommand::Retrain { .. } | ModerationCommand::Restore => {
            bail!("this command needs the configuration and the database")
        }
    }
}

fn load_sets(data: &Path) -> anyhow::Result<PublicSets> {
    PublicSets::load(data).with_context(|| format!("cannot load the data sets from {}", data.display()))
}

fn load_model(path: Option<&Path>) -> anyhow::Result<Model> {
    let Some(path) = path else { return Ok(Model::default_model().clone()) };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable model", path.display()))
}

fn train_model(data: &Path, out: &Path) -> anyhow::Result<()> {
    let sets = load_sets(data)?;
    let examples = evaluation::shipped_examples(&sets);
    let options = TrainOptions {
        description: format!("trained by `tribune moderation train` on {} public examples", examples.len()),
        ..TrainOptions::default()
    };
    eprintln!("training on {} examples…", examples.len());
    let bytes = train(&examples, &options).to_bytes();
    // Written beside the target and renamed, so a failure leaves no half file.
    let partial = out.with_extension("partial");
    std::fs::write(&partial, &bytes).with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, out).with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote {} ({} bytes) from {} examples", out.display(), bytes.len(), examples.len());
    Ok(())
}

fn score(model: &Model, csv: bool, column: &str) -> anyhow::Result<()> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).context("cannot read standard input")?;
    let comments = if csv {
        csv_column(input.as_slice(), column).context("cannot read the CSV on standard input")?
    } else {
        lines(&input)?
    };
    let mut out = std::io::stdout().lock();
    let header: Vec<&str> = Attribute::ALL.iter().map(|a| a.as_str()).collect();
    writeln!(out, "{}", header.join("\t"))?;
    for comment in comments {
        let scores = model.score(&comment);
        let row: Vec<String> = scores.iter().map(|(_, s)| format!("{s:.3}")).collect();
        writeln!(out, "{}", row.join("\t"))?;
    }
    Ok(())
}

/// One comment per line; every line must be UTF-8 (checked before any output).
fn lines(input: &[u8]) -> anyhow::Result<Vec<String>> {
    let mut comments = Vec::new();
    for (number, line) in input.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match std::str::from_utf8(line) {
            Ok(text) => comments.push(text.to_string()),
            Err(_) => bail!("line {} of standard input is not valid UTF-8", number + 1),
        }
    }
    if comments.last().is_some_and(String::is_empty) {
        comments.pop();
    }
    Ok(comments)
}
