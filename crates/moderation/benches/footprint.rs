//! The loaded model's memory and the scorer's latency percentiles, which
//! criterion does not report: `cargo bench -p tribune-moderation --bench footprint`.
//! Memory is the model's own accounting and the process's resident set
//! before and after parsing the embedded model; latency is measured one
//! call at a time over real-length comments on one thread.

use std::time::Instant;
use tribune_moderation::scorer::Model;

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const COMMENTS: [&str; 4] = [
    "I've read the article twice and I still don't see how the council expects to pay for the new bridge without \
     raising property taxes again. Last year they promised the ferry would be enough, and now this? Somebody should \
     ask the mayor why the budget numbers changed between March and June. Honestly, what a joke.",
    "You people are complete idiots. Every single one of you who voted for this clown deserves what is coming, and \
     I hope you all choke on your tax bills. Pathetic, stupid and ignorant, the lot of you. Go back to whatever hole \
     you crawled out of and stop polluting the comments with your garbage opinions.",
    "Great reporting as always. My grandmother lived on that street in the 1950s and she used to tell us about the \
     flood of '57, when the water came up to the second step of the church. It's good to see the town finally \
     investing in the harbour wall. Thanks to everyone who worked on this story!",
    "EARN $500 A DAY FROM HOME!!! I made $12,000 last month working only 2 hours a day. Check out my site \
     www.easy-cash-now.biz and start today, limited places, message me on WhatsApp +1 555 123 4567 for details!!!",
];

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("footprint: bench");
        return;
    }
    let before = resident_kib();
    let model = Model::default_model();
    let after = resident_kib();
    println!("model accounting: {:.2} MiB", model.memory_bytes() as f64 / (1024.0 * 1024.0));
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "resident set: {before} KiB before loading, {after} KiB after (+{:.2} MiB)",
            (after - before) as f64 / 1024.0
        );
    }
    let average = COMMENTS.iter().map(|c| c.len()).sum::<usize>() / COMMENTS.len();
    for _ in 0..2_000 {
        std::hint::black_box(model.score(COMMENTS[0]));
    }
    let mut nanos = Vec::with_capacity(40_000);
    for i in 0..40_000 {
        let text = COMMENTS[i % COMMENTS.len()];
        let start = Instant::now();
        std::hint::black_box(model.score(std::hint::black_box(text)));
        nanos.push(start.elapsed().as_nanos() as u64);
    }
    nanos.sort_unstable();
    let at = |q: f64| nanos[((nanos.len() as f64 * q) as usize).min(nanos.len() - 1)] as f64 / 1000.0;
    println!(
        "score, {} calls on comments of {average} bytes on average: p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        nanos.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    );
}
