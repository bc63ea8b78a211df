//! One suite of storage stories that every backend must pass, and
//! [`PgTestDatabase`], throwaway PostgreSQL databases for any test.
//!
//! Each story takes the store as `Arc<dyn Store>`, makes its own articles
//! under unique slugs, and asserts; so stories can share one database, and
//! run against one another. [`run_all`] runs every story and names those that
//! failed.

pub mod fixtures;
mod postgres;
pub mod stories;

pub use postgres::{PgTestDatabase, PgTestError, DEFAULT_ADMIN_URL, POSTGRES_URL_ENV, SKIP_POSTGRES_ENV};

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tribune_store::Store;

pub type StoryFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A named storage story.
#[derive(Clone, Copy)]
pub struct Story {
    pub name: &'static str,
    pub run: fn(Arc<dyn Store>) -> StoryFuture,
}

macro_rules! stories {
    ($($module:ident :: $story:ident),* $(,)?) => {
        &[$(Story {
            name: stringify!($story),
            run: |store| Box::pin(stories::$module::$story(store)),
        }),*]
    };
}

/// Every story, in the order [`run_all`] runs them.
pub const STORIES: &[Story] = stories![
    articles::an_article_is_stored_and_read_back_by_slug,
    articles::a_taken_slug_is_a_conflict_and_keeps_the_first_article,
    articles::unknown_slugs_and_comments_are_not_found,
    articles::published_articles_are_newest_first_without_drafts_or_the_future,
    articles::article_counts_include_only_published_comments,
    newsroom::a_save_is_a_revision_and_a_stale_one_changes_nothing,
    newsroom::a_renamed_published_article_keeps_its_old_slug_and_its_first_date,
    newsroom::a_status_change_applies_only_from_the_state_it_expects,
    newsroom::the_newsroom_list_pages_newest_first_by_writer_and_state,
    newsroom::concurrent_claims_publish_a_due_article_once,
    newsroom::editor_presence_names_only_the_others_seen_lately,
    newsroom::an_articles_extras_are_written_with_its_text_or_not_at_all,
    threads::a_comment_knows_its_parent_root_depth_and_path,
    threads::a_thread_lists_parents_before_replies_and_siblings_oldest_first,
    threads::newest_first_reverses_only_the_top_level,
    paging::pages_follow_their_cursors_oldest_first,
    paging::pages_follow_their_cursors_newest_first,
    paging::an_article_without_comments_has_one_empty_page,
    writes::a_reply_to_a_comment_elsewhere_or_nowhere_is_not_found_and_writes_nothing,
    writes::a_failed_comment_insert_leaves_nothing_behind,
    writes::concurrent_replies_into_one_thread_all_land_in_place,
    writes::a_setting_is_stored_only_if_absent,
    writes::a_setting_is_deleted_only_while_it_holds_the_expected_value,
    writes::the_store_answers_a_ping_and_migrates_again_harmlessly,
    accounts::an_account_is_stored_found_by_email_and_unique_by_email,
    accounts::roles_and_passwords_change_and_unknown_accounts_are_not_found,
    accounts::a_session_signs_in_until_it_expires_or_ends,
    accounts::a_sign_in_token_works_once_and_only_before_it_expires,
    accounts::a_deleted_account_leaves_no_personal_data_behind,
    accounts::an_email_change_is_unique_and_unverified,
    accounts::accounts_are_listed_newest_first_searched_and_paged,
    accounts::a_suspension_is_kept_and_lifted,
    accounts::an_outside_identity_finds_its_one_account,
    accounts::an_account_lists_its_own_comments_with_their_articles,
    threads::the_last_published_comment_is_where_live_readers_start,
    moderation::a_held_comment_waits_with_its_reasons_until_approved,
    moderation::a_decision_on_a_stale_version_is_a_conflict_and_changes_nothing,
    moderation::a_rejection_keeps_its_reason_and_an_approval_clears_it,
    moderation::reports_count_once_per_reader_and_close_with_a_decision,
    moderation::an_edit_keeps_the_original_body_and_featuring_pins_a_comment,
    moderation::queues_page_by_id_both_ways_and_filter_by_section,
    moderation::an_authors_record_restrictions_and_notes_are_kept,
    moderation::authors_see_their_own_held_comments_and_no_one_elses,
    moderation::settings_and_discussions_are_saved_with_their_audit_entries,
    moderation::a_published_reply_under_a_hidden_comment_stays_under_a_placeholder,
    perspective::an_api_key_is_found_by_its_hash_until_revoked,
    perspective::labelled_examples_keep_their_labels_source_and_optional_text,
    listings::a_section_lists_its_own_published_articles_newest_first_in_pages,
    listings::only_articles_since_a_time_are_listed_when_asked,
    listings::recent_comments_are_published_ones_on_published_articles_newest_first,
    search::search_finds_published_articles_with_every_word_headlines_first,
    listings::tags_are_kept_in_order_and_list_their_articles,
    media::an_image_is_stored_with_its_variants_and_its_key_is_unique,
    media::a_featured_image_is_set_replaced_and_cleared,
    corrections::corrections_are_appended_to_their_article_and_read_back_oldest_first,
    authors::a_profile_is_stored_unique_by_slug_and_account_and_edited,
    authors::bylines_keep_their_order_replace_at_once_and_list_an_authors_published_articles,
];

/// Stories that act on the whole database (the webhook outbox claims every
/// due delivery), so they never run beside another run of the suite.
pub const EXCLUSIVE_STORIES: &[Story] = stories![
    webhooks::deliveries_are_queued_with_their_comment_claimed_once_and_retried,
    listings::most_discussed_counts_recent_published_comments_only,
    corrections::the_correction_list_is_newest_first_in_pages_without_unpublished_articles,
];

/// Runs every story against `store`, one after another, each in a task of
/// its own; prints each outcome and panics naming every story that failed.
/// Needs a Tokio runtime (multi-threaded, so concurrent stories are).
pub async fn run_all(store: Arc<dyn Store>) {
    run(store, STORIES.iter().chain(EXCLUSIVE_STORIES)).await;
}

/// Every story but the exclusive ones: for several runs side by side on one database.
pub async fn run_shared(store: Arc<dyn Store>) {
    run(store, STORIES.iter()).await;
}

async fn run(store: Arc<dyn Store>, stories: impl Iterator<Item = &'static Story>) {
    let mut failed = Vec::new();
    let mut count = 0;
    for story in stories {
        count += 1;
        let outcome = tokio::spawn((story.run)(Arc::clone(&store))).await;
        match outcome {
            Ok(()) => println!("story {} ... ok", story.name),
            Err(error) => {
                println!("story {} ... FAILED ({error})", story.name);
                failed.push(story.name);
            }
        }
    }
    assert!(failed.is_empty(), "{} of {count} storage stories failed: {}", failed.len(), failed.join(", "));
}
