//! Rendered pages kept in memory: the hot path ("read an article with its
//! comments") renders once per version of the thread and then serves bytes,
//! compressed at most once per coding (see `encoding`), with an `ETag` that
//! lets a reader's revalidation end in a `304` without a render.
//! Entries are dropped when the live bus reports a change to their article,
//! and expire after a short time so relative dates ("5 minutes ago") and
//! scheduled articles stay fresh.

use crate::encoding::{Effort, Encoded};
use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const MAX_ENTRIES: usize = 4096;

/// What a cached response depends on: an article (or none, for lists) and
/// the rest of the request that changes the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub article_slug: String,
    pub view: &'static str,
    pub query: String,
}

#[derive(Clone)]
pub struct CachedResponse {
    pub body: Arc<Encoded>,
    pub content_type: &'static str,
    stored_at: Instant,
}

impl CachedResponse {
    fn new(body: Bytes, content_type: &'static str) -> Self {
        Self { body: Arc::new(Encoded::new(body, Effort::Page)), content_type, stored_at: Instant::now() }
    }

    /// The response to `request`: in the coding it accepts, or `304` when it holds this version.
    /// Browsers revalidate every time (`no-cache`); the answer is from memory either way.
    pub async fn respond(&self, request: &HeaderMap) -> Response {
        let headers = [
            (CONTENT_TYPE, HeaderValue::from_static(self.content_type)),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ];
        self.body.respond(request, &headers).await
    }
}

impl CacheKey {
    pub fn new(article_slug: &str, view: &'static str, query: String) -> Self {
        Self { article_slug: article_slug.to_owned(), view, query }
    }
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";

impl PageCache {
    /// Answers `request` from memory, or renders `key` with `render` and keeps the result.
    pub async fn get_or_render<F, Fut, E>(
        &self,
        key: CacheKey,
        content_type: &'static str,
        request: &HeaderMap,
        render: F,
    ) -> Result<Response, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, E>>,
    {
        if let Some(hit) = self.get(&key) {
            return Ok(hit.respond(request).await);
        }
        let turn = {
            let mut renders = self.renders.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            renders.entry(key.clone()).or_default().clone()
        };
        let _turn = turn.lock().await;
        // Whoever rendered while this reader waited has filled the cache.
        if let Some(hit) = self.get(&key) {
            return Ok(hit.respond(request).await);
        }
        let generation = self.generation(&key);
        let rendered = render().await.map(|body| CachedResponse::new(body, content_type));
        if let Ok(entry) = &rendered {
            self.put_entry(key.clone(), generation, entry.clone());
        }
        self.renders.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&key);
        Ok(rendered?.respond(request).await)
    }
}

/// A version stamp: a render started before a change to its article must
/// not be stored after it. Changes to other articles do not matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation {
    article: u64,
    all: u64,
}

pub struct PageCache {
    ttl: Duration,
    inner: RwLock<Inner>,
    /// One render at a time per key: readers who miss together wait for it.
    renders: std::sync::Mutex<HashMap<CacheKey, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<CacheKey, CachedResponse>,
    /// Bumped by each change to one article ("" counts lists, which show every article).
    article_generations: HashMap<String, u64>,
    /// Bumped when everything is dropped.
    generation: u64,
}

impl Inner {
    fn stamp(&self, slug: &str) -> Generation {
        Generation { article: self.article_generations.get(slug).copied().unwrap_or(0), all: self.generation }
    }
}

impl PageCache {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, inner: RwLock::new(Inner::default()), renders: std::sync::Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &CacheKey) -> Option<CachedResponse> {
        let inner = self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.entries.get(key).filter(|hit| hit.stored_at.elapsed() < self.ttl).cloned()
    }

    /// Taken before reading the database for a render of `key`.
    pub fn generation(&self, key: &CacheKey) -> Generation {
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner()).stamp(&key.article_slug)
    }

    /// Stores a render unless its article changed since `generation` was taken.
    pub fn put(&self, key: CacheKey, generation: Generation, body: Bytes, content_type: &'static str) {
        self.put_entry(key, generation, CachedResponse::new(body, content_type));
    }

    fn put_entry(&self, key: CacheKey, generation: Generation, entry: CachedResponse) {
        let mut inner = self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if inner.stamp(&key.article_slug) != generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            inner.entries.retain(|_, entry| entry.stored_at.elapsed() < ttl);
            if inner.entries.len() >= MAX_ENTRIES {
                inner.entries.clear();
            }
        }
        inner.entries.insert(key, entry);
    }

    /// Drops everything about one article, and the lists that show it.
    pub fn invalidate_article(&self, slug: &str) {
        let mut inner = self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        for changed in [slug, ""] {
            *inner.article_generations.entry(changed.to_owned()).or_default() += 1;
        }
        inner.entries.retain(|key, _| key.article_slug != slug && !key.article_slug.is_empty());
    }

    pub fn clear(&self) {
        let mut inner = self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.generation += 1;
        inner.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, ETAG, IF_NONE_MATCH};

    fn key(slug: &str) -> CacheKey {
        CacheKey { article_slug: slug.to_owned(), view: "page", query: String::new() }
    }

    #[test]
    fn a_stored_page_is_served_until_its_article_changes() {
        let cache = PageCache::new(Duration::from_secs(60));
        cache.put(key("a"), cache.generation(&key("a")), Bytes::from_static(b"A"), "text/html");
        cache.put(key("b"), cache.generation(&key("b")), Bytes::from_static(b"B"), "text/html");
        cache.put(key(""), cache.generation(&key("")), Bytes::from_static(b"home"), "text/html");
        assert_eq!(cache.get(&key("a")).unwrap().body.identity(), "A");
        cache.invalidate_article("a");
        assert!(cache.get(&key("a")).is_none());
        assert!(cache.get(&key("")).is_none(), "lists show every article's count");
        assert!(cache.get(&key("b")).is_some());
    }

    #[test]
    fn a_render_started_before_a_change_is_not_stored() {
        let cache = PageCache::new(Duration::from_secs(60));
        let before = cache.generation(&key("a"));
        let home_before = cache.generation(&key(""));
        let other_before = cache.generation(&key("b"));
        cache.invalidate_article("a");
        cache.put(key("a"), before, Bytes::from_static(b"stale"), "text/html");
        assert!(cache.get(&key("a")).is_none());
        cache.put(key(""), home_before, Bytes::from_static(b"stale list"), "text/html");
        assert!(cache.get(&key("")).is_none(), "lists count every article's comments");
        cache.put(key("b"), other_before, Bytes::from_static(b"B"), "text/html");
        assert!(cache.get(&key("b")).is_some(), "a change elsewhere does not stop other renders");
        cache.clear();
        let after_clear = cache.generation(&key("b"));
        assert_ne!(after_clear, other_before);
    }

    #[tokio::test]
    async fn readers_who_miss_together_share_one_render() {
        let cache = std::sync::Arc::new(PageCache::new(Duration::from_secs(60)));
        let renders = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut readers = Vec::new();
        for _ in 0..16 {
            let (cache, renders) = (cache.clone(), renders.clone());
            readers.push(tokio::spawn(async move {
                cache
                    .get_or_render(key("a"), HTML, &HeaderMap::new(), || async {
                        renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>(Bytes::from_static(b"A"))
                    })
                    .await
                    .map(|r| r.status())
            }));
        }
        for reader in readers {
            assert_eq!(reader.await.unwrap().unwrap(), 200);
        }
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_revalidation_is_answered_from_memory_without_a_render() {
        let cache = PageCache::new(Duration::from_secs(60));
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let read = |request: HeaderMap| {
            let renders = &renders;
            let cache = &cache;
            async move {
                cache
                    .get_or_render(key("a"), HTML, &request, || async {
                        renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        Ok::<_, ()>(Bytes::from("<p>A page worth compressing.</p>".repeat(100)))
                    })
                    .await
                    .unwrap()
            }
        };
        let mut brotli = HeaderMap::new();
        brotli.insert(ACCEPT_ENCODING, HeaderValue::from_static("br"));
        let first = read(brotli.clone()).await;
        assert_eq!(first.headers()[CONTENT_ENCODING], "br");
        let mut revalidate = brotli.clone();
        revalidate.insert(IF_NONE_MATCH, first.headers()[ETAG].clone());
        let second = read(revalidate).await;
        assert_eq!(second.status(), 304);
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);

        // The compressed bytes are kept: a hot page costs no compression work.
        let entry = cache.get(&key("a")).unwrap();
        let (_, kept) = entry.body.body(crate::encoding::Encoding::Brotli).await;
        let (_, again) = entry.body.body(crate::encoding::Encoding::Brotli).await;
        assert_eq!(kept.as_ptr(), again.as_ptr());
    }

    #[test]
    fn entries_expire() {
        let cache = PageCache::new(Duration::ZERO);
        cache.put(key("a"), cache.generation(&key("a")), Bytes::from_static(b"A"), "text/html");
        assert!(cache.get(&key("a")).is_none());
    }
}
