use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::feeds::public_base;
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use tribune_domain::Timestamp;

/// "Most discussed" counts comments published in the last 48 hours.
const MOST_DISCUSSED_WINDOW_MILLIS: i64 = 48 * 3_600_000;

pub async fn show(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    request: HeaderMap,
) -> Result<Response, AppError> {
    let render = || async {
        let now = Timestamp::now();
        let articles = state.store.published_articles(now, 30).await?;
        let articles: Vec<ArticleSummaryView> = articles.iter().map(ArticleSummaryView::from).collect();
        let most_discussed =
            state.store.most_discussed(Timestamp(now.0 - MOST_DISCUSSED_WINDOW_MILLIS), now, 5).await?;
        let most_discussed: Vec<ArticleSummaryView> = most_discussed.iter().map(ArticleSummaryView::from).collect();
        let canonical_url = format!("{}/", public_base(&state));
        let context = context! { site_name => &state.config.site_name, canonical_url, articles, most_discussed, viewer => &viewer };
        Ok::<_, AppError>(state.templates.render("home.html", context)?.into())
    };
    if viewer.is_some() {
        return Ok(([(axum::http::header::CONTENT_TYPE, cache::HTML)], render().await?).into_response());
    }
    state.cache.get_or_render(CacheKey::new("", "home", String::new()), cache::HTML, &request, render).await
}
