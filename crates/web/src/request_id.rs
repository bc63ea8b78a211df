//! Request ids without a system call per request: a random prefix drawn
//! once per process (so ids from several instances do not collide) and a
//! counter. `MakeRequestUuid` asked the kernel for 16 random bytes on every
//! request, a measurable share of a cached page's cost.

use axum::http::{HeaderValue, Request};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use tower_http::request_id::{MakeRequestId, RequestId};

static PREFIX: LazyLock<u64> = LazyLock::new(rand::random);
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Makes ids such as `3f9c0a1b2c3d4e5f-000000000000002a`.
#[derive(Clone, Copy, Default)]
pub struct CountedRequestIds;

impl MakeRequestId for CountedRequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}-{:016x}", *PREFIX, NEXT.fetch_add(1, Ordering::Relaxed));
        HeaderValue::try_from(id).ok().map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ_and_share_the_process_prefix() {
        let request = Request::new(());
        let mut make = CountedRequestIds;
        let first = make.make_request_id(&request).unwrap();
        let second = make.make_request_id(&request).unwrap();
        let (first, second) = (first.header_value().to_str().unwrap(), second.header_value().to_str().unwrap());
        assert_ne!(first, second);
        assert_eq!(first.len(), 33);
        assert_eq!(first[..16], second[..16]);
    }
}
