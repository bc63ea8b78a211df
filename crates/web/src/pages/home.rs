use crate::error::AppError;
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use tribune_domain::Timestamp;

pub async fn show(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let articles = state.store.published_articles(Timestamp::now(), 30).await?;
    let articles: Vec<ArticleSummaryView> = articles.iter().map(ArticleSummaryView::from).collect();
    let html = state.templates.render("home.html", context! { site_name => &state.config.site_name, articles })?;
    Ok(Html(html))
}
