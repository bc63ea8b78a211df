//! The benchmark article and its discussion, created through the public HTTP
//! API exactly as an editor and readers would: the article with the admin
//! token, then each comment with `POST /api/v1/articles/{slug}/comments`.
//! The thread is the same on every run (a fixed pseudo-random sequence).

use crate::loopback;
use anyhow::{bail, ensure, Context};
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// The server, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    base: String,
    /// The admin API token the server printed on its first start.
    #[arg(long, env = "TRIBUNE_BENCH_TOKEN", hide_env_values = true)]
    token: String,
    #[arg(long, default_value = "bench-hot-article")]
    slug: String,
    /// Comments in all.
    #[arg(long, default_value_t = 200)]
    comments: usize,
    /// Of which top-level (the rest are replies). Keep it within a page (50).
    #[arg(long, default_value_t = 40)]
    top_level: usize,
    /// The deepest reply level to create.
    #[arg(long, default_value_t = 4)]
    max_depth: u32,
}

/// A small, fixed pseudo-random sequence (xorshift64*), so every run builds
/// the same thread (and the moderation part the same word lists and texts).
pub struct Sequence(pub u64);

impl Sequence {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NAMES: &[&str] = &[
    "Ada Morgan",
    "Bilal Khan",
    "Chiara Russo",
    "Dmitri Volkov",
    "Efua Mensah",
    "Fionn Byrne",
    "Grace Liu",
    "Hamid Rahimi",
    "Ines Duarte",
    "Jonas Berg",
    "Keiko Tanaka",
    "Lars Nilsson",
    "Maya Patel",
    "Niamh Kelly",
];

const SENTENCES: &[&str] = &[
    "I walked past the harbour wall this morning and the new stonework looks solid.",
    "The council deserves *some* credit here, even if the consultation was rushed.",
    "My grandfather worked on the original wall in 1962; he would have been pleased.",
    "Has anyone seen the cost breakdown? The [minutes](https://example.org/minutes) only give a total.",
    "Two months early is remarkable for a project of this size.",
    "The real question is what happens when the next storm surge is higher than this one.",
    "Fishermen on Quay Street were saying the same thing at the market on Saturday.",
    "I'd like to see the same urgency applied to the coastal path, which is still closed.",
    "Good reporting, but the piece could have quoted someone from the harbour trust.",
    "We moved here last year and nobody warned us about flooding at all.",
    "The engineers used `granite facing` over a concrete core, according to the survey.",
    "Insurance premiums on the seafront doubled after the last storm; will they come down now?",
];

/// Links one comment may carry and still be published under the default
/// moderation settings (`max_links`).
const MAX_LINKS: usize = 2;

fn comment_body(seq: &mut Sequence, n: usize) -> String {
    let paragraphs = 1 + seq.below(3);
    let mut out = Vec::new();
    let mut links = 0;
    for _ in 0..paragraphs {
        let sentences = 1 + seq.below(4);
        let text: Vec<&str> = (0..sentences)
            .map(|_| {
                let mut sentence = SENTENCES[seq.below(SENTENCES.len())];
                if sentence.contains("](http") {
                    links += 1;
                    if links > MAX_LINKS {
                        sentence = SENTENCES[0];
                    }
                }
                sentence
            })
            .collect();
        out.push(text.join(" "));
    }
    if seq.below(5) == 0 {
        out.push(format!("> Quoting the article, point {}: the wall is fixed.", n % 7 + 1));
    }
    out.join("\n\n")
}

fn article_body() -> String {
    let mut body = String::from(
        "Repairs to the harbour wall, breached in the January storms, finished two months ahead of \
         schedule on Friday, the council said.\n\n",
    );
    for (i, heading) in ["What was done", "What it cost", "What comes next"].iter().enumerate() {
        body.push_str(&format!("## {heading}\n\n"));
        for p in 0..3 {
            body.push_str(&format!(
                "Paragraph {} of section {}: contractors replaced {} metres of facing stone, rebuilt the \
                 parapet and raised the wave return by forty centimetres, working at low tide and through \
                 two weekends in March. *Residents* were consulted at three public meetings.\n\n",
                p + 1,
                i + 1,
                120 + 10 * p
            ));
        }
    }
    body.push_str("> We will not let the sea take Quay Street.\n> — Amara Okafor, Harbour Master\n\n");
    body.push_str("The coastal path behind the wall reopens next month.\n");
    body
}

pub async fn run(args: SeedArgs) -> anyhow::Result<()> {
    ensure!(
        args.comments == 0 || (1..=args.comments).contains(&args.top_level),
        "--top-level must be between 1 and --comments"
    );
    let base = loopback::base_url(&args.base)?;
    let client = loopback::client()?;

    let article = json!({
        "headline": "Harbour wall repaired two months early",
        "standfirst": "The storm damage on Quay Street is fixed; residents ask what the next surge will bring.",
        "byline": "Kim Lee",
        "section": "Local",
        "body": article_body(),
        "slug": args.slug,
    });
    let response =
        client.post(format!("{base}/api/v1/articles")).bearer_auth(&args.token).json(&article).send().await?;
    let status = response.status();
    if status.as_u16() != 201 {
        bail!("creating the article answered {status}: {}", response.text().await.unwrap_or_default());
    }

    let mut seq = Sequence(0x5EED_F00D_7121_B0E5);
    // (id, depth) of every comment posted so far.
    let mut posted: Vec<(i64, u32)> = Vec::with_capacity(args.comments);
    for n in 0..args.comments {
        // Top-level comments are spread through the run, so later ones get fewer replies.
        let top_level = n == 0 || (n * args.top_level / args.comments) != ((n - 1) * args.top_level / args.comments);
        let parent = if top_level {
            None
        } else {
            let candidates: Vec<&(i64, u32)> = posted.iter().filter(|(_, depth)| *depth < args.max_depth).collect();
            Some(*candidates[seq.below(candidates.len())])
        };
        let mut comment = json!({
            "name": NAMES[seq.below(NAMES.len())],
            "email": format!("reader{n}@example.org"),
            "body": comment_body(&mut seq, n),
        });
        if let Some((parent_id, _)) = parent {
            comment["parent_id"] = json!(parent_id);
        }
        let response =
            client.post(format!("{base}/api/v1/articles/{}/comments", args.slug)).json(&comment).send().await?;
        let status = response.status();
        let body: Value = response.json().await.with_context(|| format!("comment {n}: answered {status}"))?;
        if status.as_u16() != 201 {
            bail!("comment {n} answered {status}: {body}");
        }
        let id = body["id"].as_i64().context("the created comment has no id")?;
        let depth = body["depth"].as_u64().map_or(parent.map_or(1, |(_, d)| d + 1), |d| d as u32);
        posted.push((id, depth));
    }

    // Read the discussion back: everything must be on the first page.
    let page: Value = client
        .get(format!("{base}/api/v1/articles/{}/comments", args.slug))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let listed = page["comments"].as_array().map_or(0, Vec::len);
    let total = page["total"].as_i64().unwrap_or(-1);
    ensure!(
        listed == args.comments && total == args.comments as i64,
        "the first page lists {listed} comments (total {total}); expected {}",
        args.comments
    );
    let mut by_depth: BTreeMap<u32, usize> = BTreeMap::new();
    for (_, depth) in &posted {
        *by_depth.entry(*depth).or_default() += 1;
    }
    println!(
        "{}",
        json!({ "slug": args.slug, "page": format!("/articles/{}", args.slug), "comments": listed,
                "by_depth": by_depth, "first_comment_id": posted.first().map(|p| p.0) })
    );
    Ok(())
}
