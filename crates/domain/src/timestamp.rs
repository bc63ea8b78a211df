//! Instants stored as milliseconds since the Unix epoch: the same column type on
//! every backend, and trivially sortable.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Self(millis)
    }
}

impl Timestamp {
    pub fn now() -> Self {
        Self::from_datetime(OffsetDateTime::now_utc())
    }

    pub fn from_datetime(at: OffsetDateTime) -> Self {
        Self((at.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    pub fn to_datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Accepts RFC 3339 ("2026-11-29T08:00:00Z") or a plain date ("2026-11-29", midnight UTC).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) {
            return Some(Self::from_datetime(at));
        }
        let date = time::Date::parse(raw, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
        Some(Self::from_datetime(date.midnight().assume_utc()))
    }

    pub fn rfc3339(self) -> String {
        self.to_datetime().format(&Rfc3339).unwrap_or_default()
    }

    /// "Sun, 29 Nov 2026 08:05:00 +0000", as RSS wants dates.
    pub fn rfc2822(self) -> String {
        self.to_datetime().format(&Rfc2822).unwrap_or_default()
    }

    /// "29 November 2026, 08:05 UTC", for people.
    pub fn human(self) -> String {
        let at = self.to_datetime();
        format!("{} {} {}, {:02}:{:02} UTC", at.day(), at.month(), at.year(), at.hour(), at.minute())
    }

    /// "just now", "5 minutes ago", "3 days ago": how long before `now` this was.
    pub fn relative_to(self, now: Timestamp) -> String {
        let seconds = (now.0 - self.0).max(0) / 1000;
        let plural = |n: i64, unit: &str| {
            if n == 1 {
                format!("1 {unit} ago")
            } else {
                format!("{n} {unit}s ago")
            }
        };
        match seconds {
            0..=44 => "just now".to_owned(),
            45..=3_599 => plural((seconds / 60).max(1), "minute"),
            3_600..=86_399 => plural(seconds / 3_600, "hour"),
            86_400..=2_591_999 => plural(seconds / 86_400, "day"),
            2_592_000..=31_535_999 => plural(seconds / 2_592_000, "month"),
            _ => plural(seconds / 31_536_000, "year"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_plain_dates_parse() {
        let a = Timestamp::parse("2026-11-29T08:00:00Z").unwrap();
        let b = Timestamp::parse("2026-11-29").unwrap();
        assert_eq!(a.0 - b.0, 8 * 3_600 * 1000);
        assert_eq!(a.rfc3339(), "2026-11-29T08:00:00Z");
        assert!(Timestamp::parse("yesterday").is_none());
    }

    #[test]
    fn rss_dates_are_rfc_2822() {
        assert_eq!(Timestamp::parse("2026-11-29T08:05:00Z").unwrap().rfc2822(), "Sun, 29 Nov 2026 08:05:00 +0000");
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = Timestamp(10_000_000_000);
        assert_eq!(Timestamp(now.0 - 5_000).relative_to(now), "just now");
        assert_eq!(Timestamp(now.0 - 60_000).relative_to(now), "1 minute ago");
        assert_eq!(Timestamp(now.0 - 7_200_000).relative_to(now), "2 hours ago");
        assert_eq!(Timestamp(now.0 - 3 * 86_400_000).relative_to(now), "3 days ago");
    }

    #[test]
    fn human_dates_name_the_month() {
        let at = Timestamp::parse("2026-11-29T08:05:00Z").unwrap();
        assert_eq!(at.human(), "29 November 2026, 08:05 UTC");
    }
}
