//! Rate limits on the doors attackers knock on: per client address, and per
//! account (e-mail address) wherever the attempts come from. They hold per
//! instance: with several instances behind a balancer each keeps its own
//! count (documented in the README).

use crate::config::SiteConfig;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use tribune_domain::UserId;

pub struct RateLimits {
    sign_in: DefaultKeyedRateLimiter<IpAddr>,
    sign_up: DefaultKeyedRateLimiter<IpAddr>,
    wrong_api_key: DefaultKeyedRateLimiter<IpAddr>,
    comment: DefaultKeyedRateLimiter<Commenter>,
    /// Password attempts on one account, from any number of addresses.
    account_sign_in: DefaultKeyedRateLimiter<String>,
    /// Sign-in links and password resets mailed to one address.
    mails: DefaultKeyedRateLimiter<String>,
    api_key: DefaultKeyedRateLimiter<i64>,
    /// Checks so far; every so often, idle keys are forgotten.
    checks: AtomicU64,
}

/// How often the limiters drop keys whose limits have fully recovered.
const FORGET_EVERY: u64 = 4096;

#[derive(Debug, Clone, Copy)]
pub enum Door {
    SignIn,
    SignUp,
    /// A wrong API key, guessed like a password.
    WrongApiKey,
}

/// Doors counted per account, keyed by the e-mail address typed.
#[derive(Debug, Clone, Copy)]
pub enum AccountDoor {
    SignIn,
    Mail,
}

/// Who is commenting, for the flood limit: an account wherever it comes from,
/// or a guest's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Commenter {
    Account(UserId),
    Guest(IpAddr),
}

/// The client's address: the peer, or, behind a trusted reverse proxy, the
/// last address it appended to `X-Forwarded-For`.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(Self(ip));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        Ok(Self(peer.unwrap_or(IpAddr::from([127, 0, 0, 1]))))
    }
}

impl RateLimits {
    pub fn new(config: &SiteConfig) -> Self {
        let at_least_one = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            sign_in: RateLimiter::keyed(Quota::per_minute(at_least_one(config.sign_ins_per_minute))),
            sign_up: RateLimiter::keyed(Quota::per_hour(at_least_one(config.sign_ups_per_hour))),
            wrong_api_key: RateLimiter::keyed(Quota::per_minute(at_least_one(config.sign_ins_per_minute))),
            comment: RateLimiter::keyed(Quota::per_minute(at_least_one(config.comments_per_minute))),
            account_sign_in: RateLimiter::keyed(Quota::per_minute(at_least_one(config.sign_ins_per_minute))),
            mails: RateLimiter::keyed(Quota::per_hour(at_least_one(config.emails_per_hour))),
            api_key: RateLimiter::keyed(Quota::per_minute(at_least_one(config.analyses_per_minute))),
            checks: AtomicU64::new(0),
        }
    }

    fn housekeeping(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.sign_in.retain_recent();
            self.sign_up.retain_recent();
            self.wrong_api_key.retain_recent();
            self.comment.retain_recent();
            self.account_sign_in.retain_recent();
            self.mails.retain_recent();
            self.api_key.retain_recent();
        }
    }

    /// Counts one attempt on the account `email` names (whether or not it
    /// exists, so the answer tells nothing); past the limit, 429.
    pub fn check_account(&self, door: AccountDoor, email: &str) -> Result<(), AppError> {
        self.housekeeping();
        let limiter = match door {
            AccountDoor::SignIn => &self.account_sign_in,
            AccountDoor::Mail => &self.mails,
        };
        let key: String = email.trim().to_lowercase().chars().take(320).collect();
        limiter.check_key(&key).map_err(|not_until| too_many(not_until.wait_time_from(DefaultClock::default().now())))
    }

    /// Counts one comment from `who`; past the limit, 429 with the wait.
    /// Requests to the Perspective-compatible endpoint with one API key.
    pub fn check_api_key(&self, key_id: i64) -> Result<(), AppError> {
        self.housekeeping();
        self.api_key
            .check_key(&key_id)
            .map_err(|not_until| too_many(not_until.wait_time_from(DefaultClock::default().now())))
    }

    pub fn check_comment(&self, who: Commenter) -> Result<(), AppError> {
        self.housekeeping();
        self.comment
            .check_key(&who)
            .map_err(|not_until| too_many(not_until.wait_time_from(DefaultClock::default().now())))
    }

    /// Counts one attempt from `ip`; past the limit, 429 with the wait.
    pub fn check(&self, door: Door, ip: IpAddr) -> Result<(), AppError> {
        self.housekeeping();
        let limiter = match door {
            Door::SignIn => &self.sign_in,
            Door::SignUp => &self.sign_up,
            Door::WrongApiKey => &self.wrong_api_key,
        };
        limiter.check_key(&ip).map_err(|not_until| too_many(not_until.wait_time_from(DefaultClock::default().now())))
    }
}

fn too_many(wait: std::time::Duration) -> AppError {
    // Round up: a client that waits what it was told must get through.
    AppError::TooManyRequests { retry_after_secs: wait.as_secs() + 1 }
}
