use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use tribune_domain::Timestamp;

pub async fn show(State(state): State<AppState>) -> Result<Response, AppError> {
    let key = CacheKey::new("", "home", String::new());
    state
        .cache
        .get_or_render(key, cache::HTML, || async {
            let articles = state.store.published_articles(Timestamp::now(), 30).await?;
            let articles: Vec<ArticleSummaryView> = articles.iter().map(ArticleSummaryView::from).collect();
            let html =
                state.templates.render("home.html", context! { site_name => &state.config.site_name, articles })?;
            Ok::<_, AppError>(html.into())
        })
        .await
}
