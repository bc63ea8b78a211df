//! `[moderation] retrain_every_hours`: the site's model retrained on a
//! schedule, as `tribune moderation retrain` would. Every instance looks
//! whether a retrain is due; one takes a lease in the settings table and
//! runs it, the others wait. The model file it writes is picked up by
//! every instance that reads the same path (`model_check_secs`), and each
//! run is in the moderation audit log with the figures that decided it.

use crate::retrain_cli::retrain_into_file;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tribune_domain::Timestamp;
use tribune_store::{Actor, NewAuditEntry, Store};
use tribune_web::config::RetrainSchedule;

/// When the last scheduled retrain ran (milliseconds since the epoch).
const LAST_RUN: &str = "moderation.retrain.last_run";
/// Held by the instance retraining: "expiry-millis:holder".
const LEASE: &str = "moderation.retrain.lease";
/// Longer than any retrain takes; an instance that died mid-run frees it then.
const LEASE_FOR: Duration = Duration::from_secs(6 * 3600);
const ACTOR: &str = "Scheduled retrain";

pub fn start(store: Arc<dyn Store>, file: PathBuf, schedule: RetrainSchedule) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(schedule.check);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = run_if_due(store.as_ref(), &file, &schedule).await {
                tracing::error!(error = format!("{error:#}"), "the scheduled retrain failed; it is tried again later");
            }
        }
    });
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

async fn last_run(store: &dyn Store) -> anyhow::Result<Option<i64>> {
    Ok(store.setting(LAST_RUN).await?.and_then(|value| value.parse().ok()))
}

/// Takes the lease, or frees one whose holder is long gone; true when held.
async fn take_lease(store: &dyn Store, now: i64, mine: &str) -> anyhow::Result<bool> {
    if store.insert_setting_if_absent(LEASE, mine).await? {
        return Ok(true);
    }
    if let Some(held) = store.setting(LEASE).await? {
        let expiry = held.split(':').next().and_then(|e| e.parse::<i64>().ok()).unwrap_or(0);
        if expiry < now {
            store.delete_setting_if(LEASE, &held).await?;
        }
    }
    Ok(false)
}

async fn run_if_due(store: &dyn Store, file: &std::path::Path, schedule: &RetrainSchedule) -> anyhow::Result<()> {
    let now = Timestamp::now().0;
    let due = |last: Option<i64>| last.is_none_or(|last| now.saturating_sub(last) >= millis(schedule.every));
    if !due(last_run(store).await?) {
        return Ok(());
    }
    let mine = format!("{}:{}", now.saturating_add(millis(LEASE_FOR)), uuid_like());
    if !take_lease(store, now, &mine).await? {
        return Ok(());
    }
    // Another instance may have finished between the first look and the lease.
    let result =
        if due(last_run(store).await?) { Some(retrain_into_file(store, file, &schedule.data).await) } else { None };
    let recorded = match &result {
        Some(outcome) => record(store, now, outcome).await,
        None => Ok(()),
    };
    store.delete_setting_if(LEASE, &mine).await?;
    recorded
}

/// The run's result in the audit log, and when it ran (also when it found
/// too few examples, so it waits a whole period before trying again).
async fn record(
    store: &dyn Store,
    now: i64,
    outcome: &anyhow::Result<crate::retrain_cli::FileOutcome>,
) -> anyhow::Result<()> {
    let (action, reason) = match outcome {
        Ok(o) if o.written => (
            "model.retrain",
            format!(
                "written: ROC-AUC {:.3} (was {:.3}) on {} held-out decisions",
                o.new_auc, o.current_auc, o.held_out
            ),
        ),
        Ok(o) => (
            "model.retrain_kept",
            format!(
                "kept the model in use: retrained {:.3} < {:.3} on {} held-out decisions",
                o.new_auc, o.current_auc, o.held_out
            ),
        ),
        Err(error) => ("model.retrain_failed", format!("{error:#}")),
    };
    match outcome {
        Ok(_) => tracing::info!(%reason, "scheduled retrain"),
        Err(_) => tracing::warn!(%reason, "scheduled retrain"),
    }
    let audit = NewAuditEntry {
        at: Timestamp(now),
        actor: Actor { id: None, name: ACTOR.to_owned() },
        action: action.to_owned(),
        target_kind: "settings",
        target_id: "model".to_owned(),
        article_id: None,
        reason: reason.chars().take(500).collect(),
        before: None,
        after: None,
    };
    store.save_setting_audited(LAST_RUN, &now.to_string(), &audit).await?;
    Ok(())
}

/// Tells lease holders apart: instances on one machine differ by process,
/// on several machines by the clock's nanoseconds.
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}
