//! The home page: a lead story shown large (the newest, or the one an editor
//! chose), the latest articles of each section, and "most discussed"; served
//! from the page cache and dropped when the lead changes.

use tribune_domain::account::Role;
use tribune_testkit::TestApp;

/// The text of the lead story's block.
fn lead(home: &str) -> &str {
    let start = home.find("<article class=\"lead-story\">").expect("a lead story");
    &home[start..start + home[start..].find("</article>").unwrap()]
}

/// Each section block's title and teaser headlines, in page order.
fn sections(home: &str) -> Vec<(String, Vec<String>)> {
    home.match_indices("<section class=\"home-section\"")
        .map(|(at, _)| {
            let block = &home[at..at + home[at..].find("</section>").unwrap()];
            let title_start = block.find("<h2 class=\"home-section-title\"").unwrap();
            let title = &block[title_start..];
            let title = &title[title.find("\">").unwrap() + 2..];
            let title = &title[title.find('>').unwrap() + 1..title.find("</a>").unwrap()];
            let headlines = block
                .match_indices("<li class=\"teaser\">")
                .map(|(t, _)| {
                    let teaser = &block[t..];
                    let h2 = &teaser[teaser.find("<h2><a href=").unwrap()..];
                    h2[h2.find('>').unwrap() + 1..h2.find("</a>").unwrap()].split('>').next_back().unwrap().to_owned()
                })
                .collect();
            (title.to_owned(), headlines)
        })
        .collect()
}

#[tokio::test]
async fn the_newest_article_leads_and_the_rest_are_grouped_by_section() {
    let app = TestApp::spawn().await;
    for n in 1..=6 {
        let at = format!("2026-02-{n:02}T08:00:00Z");
        app.article()
            .with("headline", format!("Weather {n}"))
            .with("section", "Weather")
            .with("published_at", at)
            .create()
            .await;
    }
    app.article()
        .with("headline", "Cup final")
        .with("section", "Sport")
        .with("published_at", "2026-02-10T08:00:00Z")
        .create()
        .await;
    let newest = app.article().with("headline", "Harbour opens").with("section", "Local").create().await;
    app.article().with("headline", "Tomorrow's news").with("published_at", "2099-01-01").create().await;
    app.comment(&newest, None, "Great news").await;

    let (status, home) = app.get_text("/").await;
    assert_eq!(status, 200);
    let lead = lead(&home);
    assert!(lead.contains("Harbour opens") && lead.contains("1 comment<"), "{lead}");
    assert_eq!(
        sections(&home),
        [
            ("Sport".to_owned(), vec!["Cup final".to_owned()]),
            ("Weather".to_owned(), ["Weather 6", "Weather 5", "Weather 4", "Weather 3"].map(String::from).to_vec()),
        ],
        "the lead is not repeated; four a section, newest first"
    );
    assert!(!home.contains("Tomorrow&#x27;s news") && !home.contains("Tomorrow's news"), "scheduled articles wait");
    assert!(home.contains("<aside class=\"most-discussed\""), "most discussed is kept");
}

#[tokio::test]
async fn an_editor_chooses_the_lead_and_the_cached_home_page_changes_at_once() {
    let app = TestApp::spawn().await;
    let older = app
        .article()
        .with("headline", "Deep investigation")
        .with("section", "Inquiries")
        .with("published_at", "2025-01-01T08:00:00Z")
        .create()
        .await;
    app.article().with("headline", "Quick update").create().await;
    let scheduled = app.article().with("headline", "Embargoed").with("published_at", "2099-01-01").create().await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Eddie").await;
    let (_, before) = app.get_text("/").await;
    assert!(lead(&before).contains("Quick update"));

    let post = |slug: String| {
        let editor = editor.clone();
        let url = app.url("/newsroom/home");
        async move {
            let response = editor.post(url).form(&[("slug", slug)]).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, _) = post(older.clone()).await;
    assert_eq!(status, 303);
    let (_, home) = app.get_text("/").await;
    assert!(lead(&home).contains("Deep investigation"), "the cached page was dropped: {home}");
    assert!(sections(&home).iter().any(|(_, headlines)| headlines.contains(&"Quick update".to_owned())));
    let form = editor.get(app.url("/newsroom/home")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains(&format!("value=\"{older}\"")), "the form shows the current choice");

    let (status, page) = post(scheduled).await;
    assert_eq!(status, 422);
    assert!(page.contains(r#"data-field="slug">Only a published article can lead the home page.</span>"#), "{page}");
    let (status, page) = post("no-such-story".to_owned()).await;
    assert_eq!(status, 422);
    assert!(page.contains("There is no article at &quot;no-such-story&quot;."), "{page}");
    assert!(lead(&app.get_text("/").await.1).contains("Deep investigation"), "a refused choice changes nothing");

    let (status, _) = post(String::new()).await;
    assert_eq!(status, 303);
    assert!(lead(&app.get_text("/").await.1).contains("Quick update"), "blank: the newest leads again");
}
