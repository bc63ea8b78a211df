//! The report's sections, one function each.

use super::metrics::{average_precision, roc_auc, share_at_least};
use super::{Lab, SHIPPED_THRESHOLD};
use crate::datasets::PublicSets;
use crate::scorer::{Attribute, Model};
use crate::settings::{DEFAULT_THINK_BEFORE_POSTING, DEFAULT_TOXICITY_HOLD};
use crate::training::recipe::{
    names_held_out_identity, site_decisions, text_key, Recipe, Source, CLEAN_SENTENCE_MIN_WORDS, HELD_OUT_IDENTITIES,
    SITE_DECISION_WEIGHT,
};
use std::collections::BTreeSet;
use std::fmt::Write;

fn fmt(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

fn toxicity(model: &Model, text: &str) -> f32 {
    model.score(text).get(Attribute::Toxicity)
}

fn without(source: Source) -> Recipe {
    Recipe { without: BTreeSet::from([source]), ..Recipe::default() }
}

pub(super) fn wikipedia_context(lab: &Lab, log: &mut dyn FnMut(&str)) -> String {
    let mut out = String::from("## Wikipedia talk comments (wikipedia-talk-context-toxicity), against Perspective\n\n");
    out.push_str(
        "Each file scored by a model trained without it (and without any training text equal to one of its rows).\n\n",
    );
    out.push_str("| file | rows | toxic | ROC-AUC ours | ROC-AUC Perspective | PR-AUC ours | PR-AUC Perspective |\n|---|---|---|---|---|---|---|\n");
    for (name, rows, source) in
        [("gc.csv", &lab.sets.wiki_gc, Source::WikiGc), ("gn.csv", &lab.sets.wiki_gn, Source::WikiGn)]
    {
        let mut recipe = without(source);
        recipe.never = rows.iter().map(|r| text_key(&r.text)).collect();
        let model = lab.train(recipe, Vec::new(), log);
        let ours: Vec<(f32, bool)> = rows.iter().map(|r| (toxicity(&model, &r.text), r.label)).collect();
        let theirs: Vec<(f32, bool)> = rows.iter().map(|r| (r.perspective, r.label)).collect();
        let toxic = rows.iter().filter(|r| r.label).count();
        let _ = writeln!(
            out,
            "| {name} | {} | {toxic} | {} | {} | {} | {} |",
            rows.len(),
            fmt(roc_auc(&ours)),
            fmt(roc_auc(&theirs)),
            fmt(average_precision(&ours)),
            fmt(average_precision(&theirs))
        );
    }
    out.push('\n');
    out
}

/// Models trained without one source, kept for the learning experiment.
pub(super) struct CrossDomain {
    pub markdown: String,
    pub without_civil_comments: Model,
    pub without_jigsaw: Model,
    pub without_davidson: Model,
}

pub(super) fn cross_domain(lab: &Lab, log: &mut dyn FnMut(&str)) -> CrossDomain {
    let mut out = String::from("## Cross-domain: trained without a set, tested on it\n\n");
    out.push_str("| left out and tested on | attribute | rows | ROC-AUC | notes |\n|---|---|---|---|---|\n");
    let sets = lab.sets;

    let without_civil_comments = lab.train(without(Source::CivilComments), Vec::new(), log);
    let model = &without_civil_comments;
    let toxic: Vec<f32> = sets.civil_comments.iter().map(|p| toxicity(model, &p.text)).collect();
    let mut points: Vec<(f32, bool)> = toxic.iter().map(|s| (*s, true)).collect();
    let clean: Vec<f32> = sets
        .civil_comments
        .iter()
        .filter(|p| !p.spans.is_empty())
        .map(|p| toxicity(model, &p.without_spans()))
        .collect();
    points.extend(clean.iter().map(|s| (*s, false)));
    let _ = writeln!(
        out,
        "| civil-comments-toxic-spans (news comments) | TOXICITY | {} toxic + {} spans cut out | {} | toxic posts scored ≥ {SHIPPED_THRESHOLD}: {:.1} %; the same posts with their toxic spans cut out: {:.1} % |",
        toxic.len(),
        clean.len(),
        fmt(roc_auc(&points)),
        100.0 * share_at_least(&toxic, SHIPPED_THRESHOLD),
        100.0 * share_at_least(&clean, SHIPPED_THRESHOLD)
    );

    let without_jigsaw = lab.train(without(Source::Jigsaw20k), Vec::new(), log);
    let rows: Vec<_> = sets.jigsaw_20k.iter().filter(|r| !lab.eval_only.contains(&text_key(&r.text))).collect();
    let points: Vec<(f32, bool)> = rows.iter().map(|r| (toxicity(&without_jigsaw, &r.text), r.label)).collect();
    let _ = writeln!(
        out,
        "| jigsaw-toxic-train-first20k (Wikipedia talk) | TOXICITY | {} | {} | |",
        rows.len(),
        fmt(roc_auc(&points))
    );

    let without_davidson = lab.train(without(Source::Davidson), Vec::new(), log);
    let points: Vec<(f32, bool)> =
        sets.davidson.iter().map(|t| (toxicity(&without_davidson, &t.text), t.class < 2)).collect();
    let hate: Vec<(f32, bool)> = sets
        .davidson
        .iter()
        .map(|t| (without_davidson.score(&t.text).get(Attribute::IdentityAttack), t.class == 0))
        .collect();
    let _ = writeln!(
        out,
        "| davidson-hate-offensive (tweets) | TOXICITY | {} | {} | hate or offensive vs neither |",
        points.len(),
        fmt(roc_auc(&points))
    );
    let _ = writeln!(
        out,
        "| davidson-hate-offensive (tweets) | IDENTITY_ATTACK | {} | {} | hate speech vs the rest |",
        hate.len(),
        fmt(roc_auc(&hate))
    );

    let video = "Youtube05-Shakira";
    let recipe = Recipe { without_videos: BTreeSet::from([video.to_string()]), ..Recipe::default() };
    let model = lab.train(recipe, Vec::new(), log);
    let points: Vec<(f32, bool)> = sets
        .youtube_spam
        .iter()
        .filter(|r| r.video == video)
        .map(|r| (model.score(&r.text).get(Attribute::Spam), r.spam))
        .collect();
    let spam: Vec<f32> = points.iter().filter(|p| p.1).map(|p| p.0).collect();
    let ham: Vec<f32> = points.iter().filter(|p| !p.1).map(|p| p.0).collect();
    let _ = writeln!(
        out,
        "| youtube-spam-collection, the Shakira video (trained on the other four) | SPAM | {} | {} | spam scored ≥ {SHIPPED_THRESHOLD}: {:.1} %, ham: {:.1} % |",
        points.len(),
        fmt(roc_auc(&points)),
        100.0 * share_at_least(&spam, SHIPPED_THRESHOLD),
        100.0 * share_at_least(&ham, SHIPPED_THRESHOLD)
    );
    out.push('\n');
    CrossDomain { markdown: out, without_civil_comments, without_jigsaw, without_davidson }
}

/// News comments the model never saw: trained with Civil Comments' `train`
/// and `trial` posts, scored on its `test` posts (all toxic) against those
/// posts' sentences that no toxic span touches (clean news prose) and
/// against the posts with their spans cut out.
pub(super) fn news_split(lab: &Lab, log: &mut dyn FnMut(&str)) -> String {
    let mut train_sets = lab.sets.clone();
    train_sets.civil_comments.retain(|p| p.split != "test");
    let model = Lab { sets: &train_sets, options: lab.options, eval_only: lab.eval_only.clone() }.train(
        Recipe::default(),
        Vec::new(),
        log,
    );
    let (mut toxic, mut sentences, mut cut) = (Vec::new(), Vec::new(), Vec::new());
    for post in lab.sets.civil_comments.iter().filter(|p| p.split == "test") {
        toxic.push(toxicity(&model, &post.text));
        if !post.spans.is_empty() {
            cut.push(toxicity(&model, &post.without_spans()));
            sentences.extend(post.clean_sentences(CLEAN_SENTENCE_MIN_WORDS).iter().map(|s| toxicity(&model, s)));
        }
    }
    let against = |clean: &[f32]| {
        let points: Vec<(f32, bool)> =
            toxic.iter().map(|s| (*s, true)).chain(clean.iter().map(|s| (*s, false))).collect();
        fmt(roc_auc(&points))
    };
    let flagged = |scores: &[f32]| 100.0 * share_at_least(scores, SHIPPED_THRESHOLD);
    let mut out = String::from("## News comments held out (Civil Comments `test` split)\n\n");
    let _ = writeln!(
        out,
        "Trained on every set with Civil Comments' `train` and `trial` posts only; scored on its {} `test` posts.\n",
        toxic.len()
    );
    out.push_str("| toxic posts against | rows | ROC-AUC | scored ≥ 0.5 |\n|---|---|---|---|\n");
    let _ = writeln!(out, "| (the toxic posts themselves) | {} | | {:.1} % |", toxic.len(), flagged(&toxic));
    let sentences_row = format!("their sentences no toxic span touches ({CLEAN_SENTENCE_MIN_WORDS} words or more)");
    for (label, clean) in
        [(sentences_row.as_str(), &sentences), ("the same posts with their toxic spans cut out", &cut)]
    {
        let _ = writeln!(out, "| {label} | {} | {} | {:.1} % |", clean.len(), against(clean), flagged(clean));
    }
    out.push('\n');
    out
}

/// 500 decisions of one "site" (a set the base model never saw) join the
/// public sets; both models are measured on the site's other comments.
pub(super) fn learning(lab: &Lab, cross: &CrossDomain, log: &mut dyn FnMut(&str)) -> String {
    let mut out = String::from("## Learning from a site's moderator decisions\n\n");
    let _ = writeln!(
        out,
        "The base model never saw the site's set; {SITE_DECISIONS} of the site's comments with their labels join training as moderator decisions (weight {SITE_DECISION_WEIGHT} each); both models are scored on the site's other comments.\n"
    );
    out.push_str(
        "| site | held-out comments | ROC-AUC before | ROC-AUC after 500 decisions | change |\n|---|---|---|---|---|\n",
    );
    let sets = lab.sets;
    let jigsaw: Vec<(String, bool)> = sets
        .jigsaw_20k
        .iter()
        .filter(|r| !lab.eval_only.contains(&text_key(&r.text)))
        .map(|r| (r.text.clone(), r.label))
        .collect();
    let davidson: Vec<(String, bool)> = sets.davidson.iter().map(|t| (t.text.clone(), t.class < 2)).collect();
    for (name, (decisions, rest), source, before) in [
        ("jigsaw-toxic-train-first20k", every_nth(&jigsaw, SITE_DECISIONS), Source::Jigsaw20k, &cross.without_jigsaw),
        ("davidson-hate-offensive", every_nth(&davidson, SITE_DECISIONS), Source::Davidson, &cross.without_davidson),
        (
            "civil-comments-toxic-spans (news: toxic posts and their clean sentences)",
            news_site(sets, SITE_DECISIONS),
            Source::CivilComments,
            &cross.without_civil_comments,
        ),
    ] {
        let extra = site_decisions(&decisions, &sets.profanity_words, SITE_DECISION_WEIGHT);
        let after = lab.train(without(source), extra, log);
        let score = |model: &Model| -> Option<f64> {
            let points: Vec<(f32, bool)> = rest.iter().map(|(text, label)| (toxicity(model, text), *label)).collect();
            roc_auc(&points)
        };
        let (b, a) = (score(before), score(&after));
        let change = a.zip(b).map(|(a, b)| format!("{:+.3}", a - b)).unwrap_or_default();
        let _ = writeln!(out, "| {name} | {} | {} | {} | {change} |", rest.len(), fmt(b), fmt(a));
    }
    out.push('\n');
    out
}

/// How many of a site's comments a moderator decides in the experiment.
const SITE_DECISIONS: usize = 500;

/// A site's labelled comments (text, rejected as toxic), split into the
/// moderator's decisions and the comments held out to score.
type DecidedAndRest = (Vec<(String, bool)>, Vec<(String, bool)>);

/// A fixed, order-independent pick: every n-th comment is a decision, until
/// there are `count`; the rest are held out.
fn every_nth(rows: &[(String, bool)], count: usize) -> DecidedAndRest {
    let step = (rows.len() / count).max(1);
    let (decided, rest): (Vec<_>, Vec<_>) =
        rows.iter().enumerate().partition(|(i, _)| i % step == 0 && i / step < count);
    (decided.into_iter().map(|(_, r)| r.clone()).collect(), rest.into_iter().map(|(_, r)| r.clone()).collect())
}

/// A news site: Civil Comments' toxic posts, and as clean comments their
/// sentences no toxic span touches. Decided and held-out comments come from
/// different posts, so no held-out post contains a decided sentence.
fn news_site(sets: &PublicSets, count: usize) -> DecidedAndRest {
    let posts: Vec<Vec<(String, bool)>> = sets
        .civil_comments
        .iter()
        .filter(|p| !p.spans.is_empty())
        .map(|p| {
            let sentences = p.clean_sentences(CLEAN_SENTENCE_MIN_WORDS).into_iter().map(|s| (s, false));
            std::iter::once((p.text.clone(), true)).chain(sentences).collect()
        })
        .collect();
    // Posts are picked evenly across the set; one in two at least stays out.
    let comments: usize = posts.iter().map(Vec::len).sum();
    let step = (comments / count.max(1)).max(2);
    let (mut decided, mut rest) = (Vec::new(), Vec::new());
    for (i, post) in posts.into_iter().enumerate() {
        if i % step == 0 && decided.len() < count {
            decided.extend(post);
        } else {
            rest.extend(post);
        }
    }
    // The last decided post's sentences past the `count`th are left out of both.
    decided.truncate(count);
    (decided, rest)
}

pub(super) fn bias(lab: &Lab, shipped: &Model, log: &mut dyn FnMut(&str)) -> String {
    let mut out = String::from("## Identity bias on held-out identity templates\n\n");
    let _ = writeln!(
        out,
        "A model trained by the shipped recipe but without the templates naming {} identities ({}) is scored on those templates. False-positive rate = share of non-toxic templates scored ≥ {SHIPPED_THRESHOLD} on TOXICITY. The last column is the shipped model, which trained on every identity's templates (in-sample, for reference).\n",
        HELD_OUT_IDENTITIES.len(),
        HELD_OUT_IDENTITIES.join(", ")
    );
    let model = lab.train(Recipe { hold_out_identities: true, ..Recipe::default() }, Vec::new(), log);
    let held: Vec<_> = lab.sets.bias_templates.iter().filter(|t| names_held_out_identity(&t.phrase)).collect();
    let scored: Vec<(f32, bool, String, f32)> = held
        .iter()
        .map(|t| (toxicity(&model, &t.phrase), t.toxic, t.phrase.to_lowercase(), toxicity(shipped, &t.phrase)))
        .collect();
    let clean: Vec<f32> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    let overall = share_at_least(&clean, SHIPPED_THRESHOLD);
    let overall_auc = roc_auc(&scored.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>());
    let shipped_overall =
        share_at_least(&scored.iter().filter(|s| !s.1).map(|s| s.3).collect::<Vec<_>>(), SHIPPED_THRESHOLD);
    out.push_str("| identity | non-toxic templates | false-positive rate | toxic caught | ROC-AUC | shipped model's false-positive rate |\n|---|---|---|---|---|---|\n");
    let mut worst: f64 = 0.0;
    for identity in HELD_OUT_IDENTITIES {
        let rows: Vec<&(f32, bool, String, f32)> =
            scored.iter().filter(|s| s.2.split_whitespace().any(|w| w == identity)).collect();
        let clean: Vec<f32> = rows.iter().filter(|s| !s.1).map(|s| s.0).collect();
        let toxic: Vec<f32> = rows.iter().filter(|s| s.1).map(|s| s.0).collect();
        let shipped_clean: Vec<f32> = rows.iter().filter(|s| !s.1).map(|s| s.3).collect();
        let fpr = share_at_least(&clean, SHIPPED_THRESHOLD);
        worst = worst.max(fpr);
        let points: Vec<(f32, bool)> = rows.iter().map(|s| (s.0, s.1)).collect();
        let _ = writeln!(
            out,
            "| {identity} | {} | {:.2} % | {:.1} % | {} | {:.2} % |",
            clean.len(),
            100.0 * fpr,
            100.0 * share_at_least(&toxic, SHIPPED_THRESHOLD),
            fmt(roc_auc(&points)),
            100.0 * share_at_least(&shipped_clean, SHIPPED_THRESHOLD)
        );
    }
    let _ = writeln!(
        out,
        "| **all held-out** | {} | {:.2} % | {:.1} % | {} | {:.2} % |\n\nWorst group {:.2} % against {:.2} % overall (target: no group above 2x the overall rate).\n",
        clean.len(),
        100.0 * overall,
        100.0 * share_at_least(&scored.iter().filter(|s| s.1).map(|s| s.0).collect::<Vec<_>>(), SHIPPED_THRESHOLD),
        fmt(overall_auc),
        100.0 * shipped_overall,
        100.0 * worst,
        100.0 * overall
    );
    // Where a site with the default settings first acts on a comment.
    let acting = DEFAULT_THINK_BEFORE_POSTING;
    let overall_acting = share_at_least(&clean, acting);
    let mut worst_acting = (0.0_f64, "");
    for identity in HELD_OUT_IDENTITIES {
        let group: Vec<f32> =
            scored.iter().filter(|s| !s.1 && s.2.split_whitespace().any(|w| w == identity)).map(|s| s.0).collect();
        let fpr = share_at_least(&group, acting);
        if fpr > worst_acting.0 {
            worst_acting = (fpr, identity);
        }
    }
    let _ = writeln!(
        out,
        "At the lowest threshold a site acts on out of the box ({acting}: think before posting; comments are held at {DEFAULT_TOXICITY_HOLD}), the held-out model's false-positive rate is {:.2} % overall and {:.2} % in the worst group{}.\n",
        100.0 * overall_acting,
        100.0 * worst_acting.0,
        if worst_acting.1.is_empty() { String::new() } else { format!(" ({})", worst_acting.1) }
    );
    out
}

pub(super) fn hatecheck(sets: &PublicSets, model: &Model) -> String {
    let mut out = String::from("## HateCheck: pass rate per functionality\n\n");
    if sets.hatecheck.is_empty() {
        out.push_str("HateCheck is not in the data directory.\n\n");
        return out;
    }
    let _ = writeln!(
        out,
        "A hateful case passes when TOXICITY ≥ {SHIPPED_THRESHOLD}, a non-hateful one when it is below.\n"
    );
    out.push_str("| functionality | cases | passed |\n|---|---|---|\n");
    let functionalities: BTreeSet<&str> = sets.hatecheck.iter().map(|c| c.functionality.as_str()).collect();
    let (mut passed_all, mut total) = (0usize, 0usize);
    for functionality in functionalities {
        let cases: Vec<_> = sets.hatecheck.iter().filter(|c| c.functionality == functionality).collect();
        let passed = cases.iter().filter(|c| (toxicity(model, &c.text) >= SHIPPED_THRESHOLD) == c.hateful).count();
        passed_all += passed;
        total += cases.len();
        let _ = writeln!(
            out,
            "| {functionality} | {} | {:.1} % |",
            cases.len(),
            100.0 * passed as f64 / cases.len() as f64
        );
    }
    let _ = writeln!(out, "| **all** | {total} | {:.1} % |\n", 100.0 * passed_all as f64 / total.max(1) as f64);
    out
}

/// Each attribute against the human labels that exist for it, on sets the
/// model never trained on.
pub(super) fn attributes(sets: &PublicSets, model: &Model) -> String {
    let mut out = String::from("## Each attribute against human labels (evaluation-only sets)\n\n");
    out.push_str("| attribute | test set | positives / rows | ROC-AUC |\n|---|---|---|---|\n");
    let mut row = |attribute: Attribute, set: &str, points: Vec<(f32, bool)>| {
        let positives = points.iter().filter(|p| p.1).count();
        let _ = writeln!(out, "| {attribute} | {set} | {positives} / {} | {} |", points.len(), fmt(roc_auc(&points)));
    };
    let jigsaw_columns = [
        (Attribute::Toxicity, 0, "toxic"),
        (Attribute::SevereToxicity, 1, "severe_toxic"),
        (Attribute::Profanity, 2, "obscene"),
        (Attribute::Threat, 3, "threat"),
        (Attribute::Insult, 4, "insult"),
        (Attribute::IdentityAttack, 5, "identity_hate"),
    ];
    let jigsaw_scores: Vec<_> = sets.jigsaw_sample.iter().map(|r| model.score(&r.text)).collect();
    for (attribute, column, name) in jigsaw_columns {
        let points = sets
            .jigsaw_sample
            .iter()
            .zip(&jigsaw_scores)
            .filter_map(|(r, s)| r.labels[column].map(|l| (s.get(attribute), l)))
            .collect();
        row(attribute, &format!("jigsaw-toxic-comments-sample `{name}`"), points);
    }
    let hatecheck_scores: Vec<_> = sets.hatecheck.iter().map(|c| model.score(&c.text)).collect();
    let hatecheck = |attribute: Attribute, positive: &dyn Fn(&str) -> bool| -> Vec<(f32, bool)> {
        sets.hatecheck
            .iter()
            .zip(&hatecheck_scores)
            .map(|(c, s)| (s.get(attribute), positive(&c.functionality)))
            .collect()
    };
    row(
        Attribute::Threat,
        "hatecheck: threat_* vs all other cases",
        hatecheck(Attribute::Threat, &|f| f.starts_with("threat")),
    );
    row(
        Attribute::IdentityAttack,
        "hatecheck: hateful vs non-hateful",
        sets.hatecheck
            .iter()
            .zip(&hatecheck_scores)
            .map(|(c, s)| (s.get(Attribute::IdentityAttack), c.hateful))
            .collect(),
    );
    row(
        Attribute::Profanity,
        "hatecheck: profanity_* vs all other cases",
        hatecheck(Attribute::Profanity, &|f| f.starts_with("profanity")),
    );
    let ethos_scores: Vec<_> = sets.ethos.iter().map(|r| model.score(&r.text)).collect();
    row(
        Attribute::Toxicity,
        "ethos (GPL, evaluation only): hate",
        sets.ethos.iter().zip(&ethos_scores).map(|(r, s)| (s.get(Attribute::Toxicity), r.hate)).collect(),
    );
    row(
        Attribute::IdentityAttack,
        "ethos: hate",
        sets.ethos.iter().zip(&ethos_scores).map(|(r, s)| (s.get(Attribute::IdentityAttack), r.hate)).collect(),
    );
    row(
        Attribute::Threat,
        "ethos: violence ≥ 0.5",
        sets.ethos
            .iter()
            .zip(&ethos_scores)
            .map(|(r, s)| (s.get(Attribute::Threat), r.violence.unwrap_or(0.0) >= 0.5))
            .collect(),
    );
    row(
        Attribute::Toxicity,
        "hatexplain (Twitter, Gab; evaluation only)",
        sets.hatexplain.iter().map(|r| (toxicity(model, &r.text), r.label)).collect(),
    );
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::eval_only_texts;
    use crate::training::TrainOptions;

    #[test]
    fn the_news_section_scores_only_the_held_out_split() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data");
        let sets = PublicSets::load(&dir).expect("fixture sets load");
        let options = TrainOptions { hash_bits: 12, epochs: 1, ..TrainOptions::default() };
        let lab = Lab { sets: &sets, options: &options, eval_only: eval_only_texts(&sets) };
        let mut trained_on = 0;
        let section = news_split(&lab, &mut |line| trained_on += usize::from(line.starts_with("training on")));

        let held_out: Vec<_> = sets.civil_comments.iter().filter(|p| p.split == "test").collect();
        assert!(!held_out.is_empty() && held_out.len() < sets.civil_comments.len());
        assert_eq!(trained_on, 1);
        assert!(section.contains(&format!("scored on its {} `test` posts", held_out.len())), "{section}");
        let sentences: usize = held_out
            .iter()
            .filter(|p| !p.spans.is_empty())
            .map(|p| p.clean_sentences(CLEAN_SENTENCE_MIN_WORDS).len())
            .sum();
        let row = format!(
            "| their sentences no toxic span touches ({CLEAN_SENTENCE_MIN_WORDS} words or more) | {sentences} | "
        );
        assert!(section.contains(&row), "{section}");
        assert_eq!(section.lines().filter(|l| l.starts_with("| ")).count(), 4, "header and three rows: {section}");
    }

    #[test]
    fn a_news_sites_decisions_and_held_out_comments_come_from_different_posts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data");
        let sets = PublicSets::load(&dir).expect("fixture sets load");
        let (decided, rest) = news_site(&sets, 20);
        assert!(!decided.is_empty() && decided.len() <= 20 && !rest.is_empty(), "{} {}", decided.len(), rest.len());
        assert!(decided.iter().any(|d| d.1) && decided.iter().any(|d| !d.1), "toxic posts and clean sentences");
        for (sentence, _) in decided.iter().filter(|d| !d.1) {
            assert!(!rest.iter().any(|(text, toxic)| *toxic && text.contains(sentence.as_str())), "{sentence}");
        }
        let (jigsaw_decided, jigsaw_rest) =
            every_nth(&sets.jigsaw_20k.iter().map(|r| (r.text.clone(), r.label)).collect::<Vec<_>>(), 20);
        assert_eq!(jigsaw_decided.len() + jigsaw_rest.len(), sets.jigsaw_20k.len());
        assert_eq!(jigsaw_decided.len(), 20);
    }
}
