//! The summary: Markdown tables of one run's results, each Tribune figure
//! next to the nginx reference measured beside it, and whether the target
//! from the performance issue is met.

use crate::results::{self, Record, SseRecord, WrkRecord};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The results file (JSON lines) that the runs appended to.
    #[arg(long)]
    results: PathBuf,
}

/// A share of nginx's rate to reach, and maybe a p99 to stay under.
#[derive(Debug, Clone, Copy)]
struct Goal {
    min_ratio: f64,
    max_p99_ms: Option<f64>,
}

/// The page target: half of nginx's rate, with a p99 under 25 ms.
const PAGE_GOAL: Option<Goal> = Some(Goal { min_ratio: 0.5, max_p99_ms: Some(25.0) });
/// The compressed page: half of nginx's rate serving the same compressed bytes.
const COMPRESSED_PAGE_GOAL: Option<Goal> = Some(Goal { min_ratio: 0.5, max_p99_ms: None });
/// Issue 10: the home page at half of nginx serving its bytes, or better.
const HOME_GOAL: Option<Goal> = Some(Goal { min_ratio: 0.5, max_p99_ms: None });
const POST_MIN_PER_S: f64 = 2000.0;
const LIVE_MAX_P99_MS: f64 = 1000.0;
/// A run during which other processes used more than this share of the CPUs is flagged.
const DISTURBED_PERCENT: f64 = 10.0;

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    print!("{}", render(&results::read(&args.results)?));
    Ok(())
}

pub fn render(records: &[Record]) -> String {
    let mut backends: Vec<&str> = Vec::new();
    for record in records {
        let backend = match record {
            Record::Wrk(r) => r.backend.as_str(),
            Record::Sse(r) => r.backend.as_str(),
        };
        if !backends.contains(&backend) {
            backends.push(backend);
        }
    }
    // Every run of one measurement, in the order they ran.
    let runs = |backend: &str, target: &str, server: &str, connections: u32| -> Vec<&WrkRecord> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Wrk(w)
                    if w.backend == backend
                        && w.target == target
                        && w.server == server
                        && w.connections == connections =>
                {
                    Some(w)
                }
                _ => None,
            })
            .collect()
    };
    let wrk_any = |backend: &str, target: &str| {
        records.iter().rev().find_map(|r| match r {
            Record::Wrk(w) if w.backend == backend && w.target == target && w.server == "tribune" => Some(w),
            _ => None,
        })
    };
    let mut out = String::new();
    for (target, title, goal) in [
        ("page", "Article page with 200 threaded comments (`GET /articles/{slug}`), uncompressed", PAGE_GOAL),
        ("page-br", "Article page with 200 threaded comments, brotli (`Accept-Encoding: br`)", COMPRESSED_PAGE_GOAL),
        ("home", "Home page: lead story, latest per section, most discussed (`GET /`)", HOME_GOAL),
        ("json", "Comments JSON (`GET /api/v1/articles/{slug}/comments`)", None),
    ] {
        let mut connection_counts: Vec<u32> = records
            .iter()
            .filter_map(|r| match r {
                Record::Wrk(w) if w.target == target && w.server == "tribune" => Some(w.connections),
                _ => None,
            })
            .collect();
        connection_counts.sort_unstable();
        connection_counts.dedup();
        for connections in connection_counts {
            let Some(sample) = backends.iter().find_map(|b| runs(b, target, "tribune", connections).last().copied())
            else {
                continue;
            };
            let same_bytes = if target == "page-br" {
                "nginx serves the same brotli bytes (`brotli_static`)"
            } else {
                "nginx serves the same bytes as a static file"
            };
            let _ = writeln!(
                out,
                "### {title}, {connections} connections\n\nwrk, {} connections, {} threads, {:.0} s per run; {same_bytes}.\n",
                sample.connections, sample.threads, sample.duration_s
            );
            let goal_text = match goal {
                Some(Goal { min_ratio, max_p99_ms: Some(p99) }) => {
                    format!("≥ {:.0} % of nginx and p99 < {p99:.0} ms", min_ratio * 100.0)
                }
                Some(Goal { min_ratio, max_p99_ms: None }) => format!("≥ {:.0} % of nginx", min_ratio * 100.0),
                None => "none set".to_owned(),
            };
            out.push_str(&format!(
                "| backend | Tribune req/s | Tribune p50 | Tribune p99 | nginx req/s | nginx p99 | bytes per response | Tribune / nginx | target: {goal_text} |\n"
            ));
            out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            let mut round_notes = String::new();
            for backend in &backends {
                let tribune_runs = runs(backend, target, "tribune", connections);
                let nginx_runs = runs(backend, target, "nginx", connections);
                let Some(&last) = tribune_runs.last() else { continue };
                let rounds = paired_rounds(&tribune_runs, &nginx_runs);
                // One run each: the pair. Alternated rounds: the median one.
                let (t, nginx) = match rounds.get(rounds.len().saturating_sub(1) / 2) {
                    Some(median) if rounds.len() > 1 => (median.0, Some(median.1)),
                    _ => (last, nginx_runs.last().copied()),
                };
                let ratio = nginx.map(|n| t.ok_per_s / n.ok_per_s);
                if rounds.len() > 1 {
                    let listed: Vec<String> = rounds
                        .iter()
                        .map(|(t, n, r)| format!("{:.1} % ({:.0} / {:.0} req/s)", r * 100.0, t.ok_per_s, n.ok_per_s))
                        .collect();
                    let _ = writeln!(
                        round_notes,
                        "{backend}: {} alternated rounds, Tribune / nginx from lowest to highest: {}; the row shows the median round{}.",
                        rounds.len(),
                        listed.join(", "),
                        if rounds.len().is_multiple_of(2) { " (the lower of the two middle ones)" } else { "" }
                    );
                }
                let all_clean = tribune_runs.iter().all(|run| clean(run));
                let verdict = match (goal, ratio) {
                    (None, _) => "—".to_owned(),
                    (Some(_), None) => "no nginx reference".to_owned(),
                    (Some(goal), Some(r)) => met(r >= goal.min_ratio
                        && goal.max_p99_ms.is_none_or(|p99| t.latency_ms.p99 < p99)
                        && all_clean),
                };
                let _ = writeln!(
                    out,
                    "| {backend} | {:.0}{} | {} | {} | {} | {} | {} | {} | {verdict} |",
                    t.ok_per_s,
                    error_note(t),
                    ms(t.latency_ms.p50),
                    ms(t.latency_ms.p99),
                    nginx.map_or("—".to_owned(), |n| format!("{:.0}{}", n.ok_per_s, error_note(n))),
                    nginx.map_or("—".to_owned(), |n| ms(n.latency_ms.p99)),
                    t.bytes.checked_div(t.requests).map_or("—".to_owned(), |b| b.to_string()),
                    ratio.map_or("—".to_owned(), |r| format!("{:.1} %", r * 100.0)),
                );
            }
            out.push('\n');
            if !round_notes.is_empty() {
                out.push_str(&round_notes);
                out.push('\n');
            }
        }
    }

    if let Some(sample) = backends.iter().find_map(|b| wrk_any(b, "post")) {
        let _ = writeln!(
            out,
            "### Posting comments (`POST /api/v1/articles/{{slug}}/comments`, a distinct comment per request)\n\n\
             wrk, {} connections, {} threads, {:.0} s; acknowledged = answered 201 Created.\n",
            sample.connections, sample.threads, sample.duration_s
        );
        out.push_str(&format!(
            "| backend | acknowledged/s | p50 | p99 | max | not acknowledged | target: ≥ {POST_MIN_PER_S:.0}/s |\n"
        ));
        out.push_str("|---|---:|---:|---:|---:|---:|---|\n");
        for backend in &backends {
            let Some(t) = wrk_any(backend, "post") else { continue };
            let failed = t.requests.saturating_sub(t.ok) + t.errors.timeout + t.errors.read + t.errors.connect;
            let _ = writeln!(
                out,
                "| {backend} | {:.0} | {} | {} | {} | {failed} | {} |",
                t.ok_per_s,
                ms(t.latency_ms.p50),
                ms(t.latency_ms.p99),
                ms(t.latency_ms.max),
                met(t.ok_per_s >= POST_MIN_PER_S),
            );
        }
        out.push('\n');
    }

    let live: Vec<&SseRecord> = backends
        .iter()
        .filter_map(|b| {
            records.iter().rev().find_map(|r| match r {
                Record::Sse(s) if s.backend == *b => Some(s),
                _ => None,
            })
        })
        .collect();
    if let Some(sample) = live.first() {
        let _ = writeln!(
            out,
            "### Live delivery (`GET /api/v1/articles/{{slug}}/comments/live`, {} subscribers, one instance)\n\n\
             Latency from sending the POST to each subscriber reading the `event: comment`; memory is the \
             server's VmRSS growth while the subscribers connected, divided by their number.\n",
            sample.subscribers
        );
        out.push_str(&format!(
            "| backend | connected | delivered | POST answered | p50 | p99 | max | server memory per idle subscriber | target: p99 < {:.0} s |\n",
            LIVE_MAX_P99_MS / 1000.0
        ));
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for s in live {
            let d = s.delivery_ms.as_ref();
            let all = s.delivered == s.subscribers;
            let _ = writeln!(
                out,
                "| {} | {} / {} | {} | {} | {} | {} | {} | {} | {} |",
                s.backend,
                s.connected,
                s.subscribers,
                s.delivered,
                ms(s.post_ms),
                d.map_or("—".to_owned(), |d| ms(d.p50)),
                d.map_or("—".to_owned(), |d| ms(d.p99)),
                d.map_or("—".to_owned(), |d| ms(d.max)),
                s.server_bytes_per_subscriber.map_or("—".to_owned(), |b| format!("{:.1} KiB", b / 1024.0)),
                met(all && d.is_some_and(|d| d.p99 < LIVE_MAX_P99_MS)),
            );
        }
        out.push('\n');
    }

    crate::report_moderation::render(records, &backends, &mut out);

    let disturbed: Vec<String> = records
        .iter()
        .filter_map(|r| match r {
            Record::Wrk(w) if w.others_cpu_percent.is_some_and(|p| p > DISTURBED_PERCENT) => Some(format!(
                "{} {} at {} connections ({}): {:.0} %",
                w.backend,
                w.target,
                w.connections,
                w.server,
                w.others_cpu_percent.unwrap_or_default()
            )),
            _ => None,
        })
        .collect();
    if !disturbed.is_empty() {
        let _ = writeln!(
            out,
            "**Disturbed runs**: other processes used more than {DISTURBED_PERCENT:.0} % of the CPUs during {}. \
             Their figures are low; run again on a quiet machine.\n",
            disturbed.join("; ")
        );
    }
    out
}

/// Tribune's and nginx's runs paired in the order they ran, with Tribune's
/// share of nginx's rate, lowest share first.
fn paired_rounds<'a>(tribune: &[&'a WrkRecord], nginx: &[&'a WrkRecord]) -> Vec<(&'a WrkRecord, &'a WrkRecord, f64)> {
    let mut rounds: Vec<_> = tribune.iter().zip(nginx).map(|(t, n)| (*t, *n, t.ok_per_s / n.ok_per_s)).collect();
    rounds.sort_by(|a, b| a.2.total_cmp(&b.2));
    rounds
}

pub(crate) fn met(yes: bool) -> String {
    if yes { "met" } else { "**not met**" }.to_owned()
}

/// Responses that failed count against a run, whatever their speed.
fn clean(t: &WrkRecord) -> bool {
    t.ok == t.requests && t.errors.timeout == 0
}

fn error_note(t: &WrkRecord) -> String {
    let failed = t.requests.saturating_sub(t.ok);
    let broken = t.errors.connect + t.errors.read + t.errors.write + t.errors.timeout;
    if failed == 0 && broken == 0 {
        String::new()
    } else {
        format!(" ({failed} failed, {broken} socket errors/timeouts)")
    }
}

pub(crate) fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else if value >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Latency, WrkErrors};

    fn run(backend: &str, target: &str, server: &str, per_s: f64, p99: f64) -> Record {
        Record::Wrk(WrkRecord {
            backend: backend.into(),
            target: target.into(),
            server: server.into(),
            url: "http://127.0.0.1:1/".into(),
            connections: 64,
            threads: 2,
            duration_s: 10.0,
            requests: (per_s * 10.0) as u64,
            ok: (per_s * 10.0) as u64,
            requests_per_s: per_s,
            ok_per_s: per_s,
            held: None,
            latency_ms: Latency { mean: 1.0, p50: 1.0, p90: 2.0, p99, max: p99 * 2.0 },
            errors: WrkErrors::default(),
            bytes: 0,
            others_cpu_percent: Some(1.0),
        })
    }

    #[test]
    fn the_page_target_needs_half_of_nginx_and_a_low_p99() {
        let table = render(&[
            run("sqlite", "page", "tribune", 6000.0, 20.0),
            run("sqlite", "page", "nginx", 10000.0, 2.0),
            run("postgres", "page", "tribune", 4000.0, 20.0),
            run("postgres", "page", "nginx", 10000.0, 2.0),
        ]);
        let sqlite = table.lines().find(|l| l.starts_with("| sqlite")).unwrap();
        let postgres = table.lines().find(|l| l.starts_with("| postgres")).unwrap();
        assert!(sqlite.contains("60.0 %") && sqlite.ends_with("| met |"), "{sqlite}");
        assert!(postgres.contains("40.0 %") && postgres.ends_with("**not met** |"), "{postgres}");
    }

    fn at(connections: u32, record: Record) -> Record {
        match record {
            Record::Wrk(w) => Record::Wrk(WrkRecord { connections, ..w }),
            other => other,
        }
    }

    #[test]
    fn the_compressed_page_has_a_table_per_connection_count_judged_on_the_ratio() {
        let table = render(&[
            at(64, run("sqlite", "page-br", "tribune", 30000.0, 40.0)),
            at(64, run("sqlite", "page-br", "nginx", 50000.0, 2.0)),
            at(256, run("sqlite", "page-br", "tribune", 20000.0, 40.0)),
            at(256, run("sqlite", "page-br", "nginx", 50000.0, 2.0)),
        ]);
        let at_64 = table.find("brotli (`Accept-Encoding: br`), 64 connections").expect(&table);
        let at_256 = table.find("brotli (`Accept-Encoding: br`), 256 connections").expect(&table);
        let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| sqlite")).collect();
        assert!(at_64 < at_256 && rows.len() == 2, "{table}");
        assert!(rows[0].contains("60.0 %") && rows[0].ends_with("| met |"), "p99 is not judged: {}", rows[0]);
        assert!(rows[1].contains("40.0 %") && rows[1].ends_with("**not met** |"), "{}", rows[1]);
    }

    #[test]
    fn alternated_home_page_rounds_are_judged_on_their_median_ratio() {
        let table = render(&[
            run("sqlite", "home", "tribune", 40000.0, 4.0),
            run("sqlite", "home", "nginx", 100000.0, 2.0),
            run("sqlite", "home", "tribune", 45000.0, 4.0),
            run("sqlite", "home", "nginx", 80000.0, 2.0),
            run("sqlite", "home", "tribune", 44000.0, 4.0),
            run("sqlite", "home", "nginx", 85000.0, 2.0),
        ]);
        let row = table.lines().find(|l| l.starts_with("| sqlite")).unwrap();
        // Rounds of 40.0, 56.3 and 51.8 %: the median round is the third.
        assert!(row.contains("| 44000 |") && row.contains("51.8 %") && row.ends_with("| met |"), "{row}");
        assert!(table.contains("3 alternated rounds") && table.contains("40.0 % (40000 / 100000 req/s)"), "{table}");
        let one_round =
            render(&[run("sqlite", "home", "tribune", 40000.0, 4.0), run("sqlite", "home", "nginx", 100000.0, 2.0)]);
        assert!(one_round.contains("40.0 %") && !one_round.contains("alternated"), "{one_round}");
    }

    #[test]
    fn posting_is_judged_on_acknowledged_comments_per_second() {
        let table = render(&[run("sqlite", "post", "tribune", 1500.0, 50.0)]);
        assert!(table.contains("| sqlite | 1500 |") && table.contains("**not met**"), "{table}");
    }
}
