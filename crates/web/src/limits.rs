//! Rate limits per client address on the doors attackers knock on. They hold
//! per instance: with several instances behind a balancer each keeps its own
//! count (documented in the README).

use crate::config::SiteConfig;
use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct RateLimits {
    sign_in: DefaultKeyedRateLimiter<IpAddr>,
    sign_up: DefaultKeyedRateLimiter<IpAddr>,
}

#[derive(Debug, Clone, Copy)]
pub enum Door {
    SignIn,
    SignUp,
}

impl RateLimits {
    pub fn new(config: &SiteConfig) -> Self {
        let at_least_one = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            sign_in: RateLimiter::keyed(Quota::per_minute(at_least_one(config.sign_ins_per_minute))),
            sign_up: RateLimiter::keyed(Quota::per_hour(at_least_one(config.sign_ups_per_hour))),
        }
    }

    /// Counts one attempt from `ip`; past the limit, 429 with the wait.
    pub fn check(&self, door: Door, ip: IpAddr) -> Result<(), AppError> {
        let limiter = match door {
            Door::SignIn => &self.sign_in,
            Door::SignUp => &self.sign_up,
        };
        limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::TooManyRequests { retry_after_secs: wait.as_secs().max(1) }
        })
    }
}
