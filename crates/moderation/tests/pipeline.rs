//! The policy pipeline, step by step and in the combinations that matter,
//! without a server or a database.

use std::collections::BTreeMap;
use tribune_domain::moderation::Step;
use tribune_domain::{CommentStatus, Timestamp};
use tribune_moderation::pipeline::{
    cooldown_remaining, evaluate, held_by_reports, think_before_posting, Author, AuthorKind, Decision, ExternalAnswer,
    PastComment, Submission, Verdict,
};
use tribune_moderation::settings::{DiscussionSettings, ModerationSettings, Policy, Premoderation, ScoreThresholds};

const NOW: Timestamp = Timestamp(1_800_000_000_000);
const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

fn policy(change: impl FnOnce(&mut ModerationSettings)) -> Policy {
    let mut settings = ModerationSettings::default();
    change(&mut settings);
    Policy::compile(settings).expect("valid settings")
}

fn account(history: &[PastComment]) -> Author<'_> {
    Author { kind: AuthorKind::Account, always_premoderate: false, history }
}

fn judge(policy: &Policy, text: &str, author: Author<'_>) -> Verdict {
    judge_with(policy, &DiscussionSettings::default(), text, author, &[])
}

fn judge_with(
    policy: &Policy,
    article: &DiscussionSettings,
    text: &str,
    author: Author<'_>,
    scores: &[(String, f32)],
) -> Verdict {
    evaluate(policy, article, &Submission { text, author, scores, now: NOW })
}

fn codes(verdict: &Verdict) -> Vec<&str> {
    verdict.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn past(status: CommentStatus, minutes_ago: i64) -> PastComment {
    PastComment { status, created_at: Timestamp(NOW.0 - minutes_ago * MINUTE), fingerprint: None }
}

fn published(n: usize) -> Vec<PastComment> {
    (0..n).map(|i| past(CommentStatus::Published, 100 + i as i64)).collect()
}

#[test]
fn a_plain_comment_by_default_is_published_without_reasons() {
    let verdict = judge(&policy(|_| {}), "I enjoyed this report on the harbour.", account(&[]));
    assert_eq!(verdict.decision, Decision::Publish);
    assert!(verdict.reasons.is_empty());
    assert_eq!(verdict.author_message, None);
}

#[test]
fn premoderation_all_holds_everyone_but_trusted_commenters_and_staff() {
    let all = policy(|s| s.premoderation = Premoderation::All);
    let verdict = judge(&all, "Hello", account(&[]));
    assert_eq!((verdict.decision, codes(&verdict)), (Decision::Hold, vec!["premoderation_all"]));
    let trusted = published(10);
    assert_eq!(judge(&all, "Hello", account(&trusted)).decision, Decision::Publish);
    let mut once_rejected = published(10);
    once_rejected.push(past(CommentStatus::Rejected, 5 * 24 * 60));
    assert_eq!(judge(&all, "Hello", account(&once_rejected)).decision, Decision::Hold, "a recent rejection ends trust");
    let staff = Author { kind: AuthorKind::Staff, always_premoderate: false, history: &[] };
    assert_eq!(judge(&all, "Hello", staff).decision, Decision::Publish);
}

#[test]
fn new_commenters_are_held_until_enough_comments_are_published() {
    let new = policy(|s| {
        s.premoderation = Premoderation::NewCommenters;
        s.new_commenter_approvals = 2;
    });
    assert_eq!(codes(&judge(&new, "Hi", account(&published(1)))), vec!["new_commenter"]);
    assert_eq!(judge(&new, "Hi", account(&published(2))).decision, Decision::Publish);
}

#[test]
fn guests_and_links_modes_hold_only_what_they_name() {
    let guests = policy(|s| s.premoderation = Premoderation::Guests);
    let guest = Author { kind: AuthorKind::Guest, always_premoderate: false, history: &[] };
    assert_eq!(codes(&judge(&guests, "Hi", guest.clone())), vec!["guest"]);
    assert_eq!(judge(&guests, "Hi", account(&[])).decision, Decision::Publish);
    let links = policy(|s| s.premoderation = Premoderation::Links);
    assert_eq!(codes(&judge(&links, "See https://example.org", guest.clone())), vec!["contains_links"]);
    assert_eq!(judge(&links, "No link here", guest).decision, Decision::Publish);
}

#[test]
fn an_article_overrides_the_sites_premoderation() {
    let open = policy(|_| {});
    let strict = DiscussionSettings { premoderation: Some(Premoderation::All), ..Default::default() };
    assert_eq!(judge_with(&open, &strict, "Hi", account(&[]), &[]).decision, Decision::Hold);
    let all = policy(|s| s.premoderation = Premoderation::All);
    let relaxed = DiscussionSettings { premoderation: Some(Premoderation::None), ..Default::default() };
    assert_eq!(judge_with(&all, &relaxed, "Hi", account(&[]), &[]).decision, Decision::Publish);
}

#[test]
fn an_author_marked_always_premoderate_is_held_even_when_trusted() {
    let history = published(50);
    let author = Author { kind: AuthorKind::Account, always_premoderate: true, history: &history };
    assert_eq!(codes(&judge(&policy(|_| {}), "Hi", author)), vec!["always_premoderate"]);
}

#[test]
fn banned_words_reject_with_a_message_naming_them_and_suspect_words_hold() {
    let lists = policy(|s| {
        s.banned_words = vec!["idiot".to_owned(), "moron".to_owned()];
        s.suspect_words = vec!["crook".to_owned()];
    });
    let text = "You 1d10t, you m o r o n.";
    let verdict = judge(&lists, text, account(&[]));
    assert_eq!(verdict.decision, Decision::Reject);
    let message = verdict.author_message.clone().expect("told to the author");
    assert!(message.contains("“1d10t”") && message.contains("“m o r o n”"), "{message}");
    let words: Vec<&str> = verdict.reasons[0].words.iter().map(|w| &text[w.start..w.end]).collect();
    assert_eq!(words, vec!["1d10t", "m o r o n"]);
    assert_eq!(verdict.reasons[0].words[0].entry, "idiot");

    let held = judge(&lists, "The mayor is a CROOK", account(&[]));
    assert_eq!((held.decision, codes(&held)), (Decision::Hold, vec!["suspect_words"]));
    assert_eq!(held.author_message, None, "held comments are not explained to their author");
    assert_eq!(judge(&lists, "An idiom is not an idiot-proof rule", account(&[])).decision, Decision::Reject);
    assert_eq!(judge(&lists, "An idiom, idiotic or not", account(&[])).decision, Decision::Publish);
}

#[test]
fn links_over_the_limit_hold_blocked_domains_reject_and_allowed_ones_pass() {
    let links = policy(|s| {
        s.max_links = Some(1);
        s.blocked_domains = vec!["pills.biz".to_owned()];
        s.allowed_domains = vec!["example.org".to_owned()];
    });
    let two = "https://a.net/x and https://b.net/y";
    assert_eq!(codes(&judge(&links, two, account(&[]))), vec!["too_many_links"]);
    let blocked = judge(&links, "Buy at https://shop.pills.biz/now", account(&[]));
    assert_eq!((blocked.decision, codes(&blocked)), (Decision::Reject, vec!["blocked_domain"]));
    assert!(blocked.author_message.is_some());
    let allowed = "https://example.org/a https://news.example.org/b https://example.org/c";
    assert_eq!(judge(&links, allowed, account(&[])).decision, Decision::Publish);
    let unlimited = DiscussionSettings { max_links: Some(5), ..Default::default() };
    assert_eq!(judge_with(&links, &unlimited, two, account(&[]), &[]).decision, Decision::Publish);
}

#[test]
fn the_same_text_again_within_the_window_is_held_even_disguised() {
    let rules = policy(|s| s.repeat_window_minutes = 30);
    let text = "Visit my profile for amazing offers on watches and bags!!";
    let first = judge(&rules, text, account(&[]));
    let earlier = vec![PastComment {
        status: CommentStatus::Published,
        created_at: Timestamp(NOW.0 - 10 * MINUTE),
        fingerprint: Some(first.fingerprint),
    }];
    let again = judge(&rules, "VISIT my profile for amazing offers on watches and bags", account(&earlier));
    assert_eq!(codes(&again), vec!["repeated_text"]);
    let old = vec![PastComment { created_at: Timestamp(NOW.0 - 31 * MINUTE), ..earlier[0].clone() }];
    assert_eq!(judge(&rules, text, account(&old)).decision, Decision::Publish, "outside the window");
    assert_eq!(judge(&rules, "Something else entirely, about ferries.", account(&earlier)).decision, Decision::Publish);
}

#[test]
fn an_author_with_mostly_rejected_recent_comments_is_held() {
    let rules = policy(|s| {
        s.history_min_decided = 3;
        s.history_max_rejected_percent = 50;
    });
    let mut history = vec![past(CommentStatus::Rejected, 60), past(CommentStatus::Rejected, 70)];
    history.push(past(CommentStatus::Published, 80));
    assert_eq!(codes(&judge(&rules, "Hi", account(&history))), vec!["poor_history"]);
    history.push(past(CommentStatus::Published, 90));
    assert_eq!(judge(&rules, "Hi", account(&history)).decision, Decision::Publish, "half is not mostly");
    let long_ago: Vec<PastComment> = (0..5)
        .map(|i| PastComment { created_at: Timestamp(NOW.0 - 40 * DAY - i), ..past(CommentStatus::Rejected, 0) })
        .collect();
    assert_eq!(judge(&rules, "Hi", account(&long_ago)).decision, Decision::Publish, "only the window counts");
}

#[test]
fn reports_hold_at_the_threshold_which_an_article_may_change() {
    let rules = policy(|s| s.report_threshold = 3);
    let article = DiscussionSettings::default();
    assert!(held_by_reports(&rules, &article, 2).is_none());
    let reason = held_by_reports(&rules, &article, 3).expect("held");
    assert_eq!((reason.step, reason.reports), (Step::Reports, Some(3)));
    let sensitive = DiscussionSettings { report_threshold: Some(1), ..Default::default() };
    assert!(held_by_reports(&rules, &sensitive, 1).is_some());
    let never = policy(|s| s.report_threshold = 0);
    assert!(held_by_reports(&never, &article, 100).is_none());
}

#[test]
fn scores_hold_or_reject_per_attribute_with_article_overrides() {
    let rules = policy(|s| {
        s.scores = BTreeMap::from([
            ("TOXICITY".to_owned(), ScoreThresholds { hold: Some(0.7), reject: Some(0.95) }),
            ("SPAM".to_owned(), ScoreThresholds { hold: Some(0.8), reject: None }),
        ]);
    });
    let none = DiscussionSettings::default();
    let scores = |t: f32, s: f32| vec![("TOXICITY".to_owned(), t), ("SPAM".to_owned(), s)];
    assert_eq!(judge_with(&rules, &none, "x", account(&[]), &scores(0.5, 0.5)).decision, Decision::Publish);
    let held = judge_with(&rules, &none, "x", account(&[]), &scores(0.75, 0.9));
    assert_eq!((held.decision, codes(&held)), (Decision::Hold, vec!["score_hold", "score_hold"]));
    assert_eq!(held.reasons[0].attribute.as_deref(), Some("TOXICITY"));
    let rejected = judge_with(&rules, &none, "x", account(&[]), &scores(0.97, 0.1));
    assert_eq!(rejected.decision, Decision::Reject);
    assert_eq!(rejected.reasons[0].score, Some(0.97));
    let lenient = DiscussionSettings {
        scores: BTreeMap::from([("TOXICITY".to_owned(), ScoreThresholds { hold: Some(0.99), reject: None })]),
        ..Default::default()
    };
    assert_eq!(judge_with(&rules, &lenient, "x", account(&[]), &scores(0.97, 0.1)).decision, Decision::Publish);
}

#[test]
fn every_step_that_objects_leaves_a_reason_and_the_strictest_decision_wins() {
    let rules = policy(|s| {
        s.premoderation = Premoderation::All;
        s.suspect_words = vec!["crook".to_owned()];
        s.banned_words = vec!["scum".to_owned()];
        s.max_links = Some(0);
    });
    let verdict = judge(&rules, "Crook and scum, see https://x.org", account(&[]));
    assert_eq!(verdict.decision, Decision::Reject);
    assert_eq!(codes(&verdict), vec!["premoderation_all", "banned_words", "suspect_words", "too_many_links"]);
}

#[test]
fn an_external_answer_can_add_a_hold_but_never_lift_one_and_a_failure_changes_nothing() {
    let rules = policy(|s| s.premoderation = Premoderation::All);
    let mut held = judge(&rules, "Hi", account(&[]));
    held.merge_external(ExternalAnswer::Publish);
    assert_eq!(held.decision, Decision::Hold);
    held.merge_external(ExternalAnswer::Failed("timed out after 2 s".to_owned()));
    assert_eq!(held.decision, Decision::Hold);
    assert_eq!(codes(&held), vec!["premoderation_all", "webhook_unavailable"]);

    let mut open = judge(&policy(|_| {}), "Hi", account(&[]));
    open.merge_external(ExternalAnswer::Flag("looks off".to_owned()));
    assert_eq!((open.decision, open.flagged), (Decision::Publish, true));
    open.merge_external(ExternalAnswer::Reject("spam".to_owned()));
    assert_eq!(open.decision, Decision::Reject);
    assert!(open.author_message.is_some());
}

#[test]
fn the_cool_down_counts_from_the_authors_last_comment() {
    let rules = policy(|s| s.cooldown_seconds = 30);
    assert_eq!(cooldown_remaining(&rules, &[], NOW), None);
    let just_now = vec![PastComment { created_at: Timestamp(NOW.0 - 10_500), ..past(CommentStatus::Published, 0) }];
    assert_eq!(cooldown_remaining(&rules, &just_now, NOW), Some(20));
    let earlier = vec![past(CommentStatus::Published, 1)];
    assert_eq!(cooldown_remaining(&rules, &earlier, NOW), None);
    assert_eq!(cooldown_remaining(&policy(|_| {}), &just_now, NOW), None, "off by default");
}

#[test]
fn empty_and_symbol_only_texts_do_not_count_as_repeats() {
    let verdict = judge(&policy(|_| {}), "🙂", account(&[]));
    let history = vec![PastComment {
        status: CommentStatus::Published,
        created_at: Timestamp(NOW.0 - MINUTE),
        fingerprint: Some(verdict.fingerprint),
    }];
    assert_eq!(judge(&policy(|_| {}), "🙂", account(&history)).decision, Decision::Publish);
}

#[test]
fn think_before_posting_names_the_highest_attribute_over_the_threshold_but_never_spam() {
    let on = policy(|s| s.think_before_posting = Some(0.8));
    let scores = |pairs: &[(&str, f32)]| pairs.iter().map(|(a, s)| ((*a).to_owned(), *s)).collect::<Vec<_>>();
    assert_eq!(think_before_posting(&on, &scores(&[("TOXICITY", 0.5), ("INSULT", 0.6)])), None);
    assert_eq!(
        think_before_posting(&on, &scores(&[("TOXICITY", 0.85), ("INSULT", 0.95), ("SPAM", 0.99)])),
        Some(("INSULT".to_owned(), 0.95))
    );
    assert_eq!(think_before_posting(&on, &scores(&[("SPAM", 0.99)])), None);
    let off = policy(|s| s.think_before_posting = None);
    assert_eq!(think_before_posting(&off, &scores(&[("TOXICITY", 0.99)])), None);
    assert!(Policy::compile(ModerationSettings { think_before_posting: Some(1.5), ..ModerationSettings::default() })
        .is_err_and(|e| e.0.iter().any(|f| f.field == "think_before_posting")));
}

#[test]
fn a_comment_sent_after_the_notice_is_held() {
    let mut verdict = judge(&policy(|_| {}), "You are all wrong about the harbour.", account(&[]));
    verdict.hold_sent_after_notice("TOXICITY", 0.91);
    assert_eq!(verdict.decision, Decision::Hold);
    assert_eq!(codes(&verdict), vec!["sent_after_notice"]);
    assert_eq!(verdict.reasons[0].step, Step::Scorer);
    assert_eq!(verdict.reasons[0].score, Some(0.91));
}
