//! Throttling failed logins, per login and per client address.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

/// How failed logins are throttled, per login and per client address: after `limit` failures
/// in a run, each attempt waits 1 s, 2 s, 4 s, … (at most 15 minutes) after the one before,
/// and is refused unchecked until then. A run ends when 15 minutes pass without a failure
/// after the last wait is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub limit: u32,
}

/// What a throttle remembers of one login or address. An attempt counts as a failure from
/// the moment it begins (so that many at once cannot slip past the limit) until it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    pub failures: u32,
    pub last_attempt: DateTime<Utc>,
    pub last_failure: DateTime<Utc>,
}

impl Throttle {
    pub const LOGIN: Throttle = Throttle { limit: 5 };
    pub const ADDRESS: Throttle = Throttle { limit: 20 };
    /// A run of failures is forgotten this long after the wait after its last failure.
    pub const WINDOW: Duration = Duration::minutes(15);
    pub const MAX_WAIT: Duration = Duration::minutes(15);

    /// The wait after the latest of `failures` attempts: none below the limit, then doubling.
    fn delay(self, failures: u32) -> Duration {
        match failures.checked_sub(self.limit) {
            None => Duration::zero(),
            Some(over) => Duration::seconds(1i64 << over.min(20)).min(Throttle::MAX_WAIT),
        }
    }

    /// The failures still remembered at `now`.
    pub fn remembered(self, a: &Attempts, now: DateTime<Utc>) -> u32 {
        let delay = self.delay(a.failures);
        let forgotten = now >= a.last_failure + delay + Throttle::WINDOW && now >= a.last_attempt + delay;
        if forgotten { 0 } else { a.failures }
    }

    /// How long a new attempt must still wait, if it must.
    pub fn wait(self, a: &Attempts, now: DateTime<Utc>) -> Option<Duration> {
        let until = a.last_attempt + self.delay(self.remembered(a, now));
        (until > now).then(|| until - now)
    }

    /// The record after one more attempt begins at `now` (which must not have to wait).
    pub fn begin(self, a: &Attempts, now: DateTime<Utc>) -> Attempts {
        match self.remembered(a, now) {
            0 => Attempts { failures: 1, last_attempt: now, last_failure: now },
            n => Attempts { failures: n.saturating_add(1), last_attempt: now, last_failure: a.last_failure },
        }
    }
}

/// Whole seconds to wait, rounded up, at least one: a `Retry-After`.
pub fn wait_seconds(wait: Duration) -> u64 {
    let millis = wait.num_milliseconds().max(1);
    u64::try_from((millis + 999) / 1000).unwrap_or(1)
}

/// The client address a throttle counts by: an IPv4 address, or an IPv6 address's /64 (the
/// least a home or a phone is given, so one client cannot pass for many).
pub fn client_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_600_000_000 + seconds, 0).unwrap()
    }

    /// Fails `n` attempts at `t` (each allowed), returning the record.
    fn fail(throttle: Throttle, mut a: Attempts, n: u32, t: DateTime<Utc>) -> Attempts {
        for _ in 0..n {
            assert_eq!(throttle.wait(&a, t), None);
            // The attempt begins, then fails (which the store records as its last failure).
            a = Attempts { last_failure: t, ..throttle.begin(&a, t) };
        }
        a
    }

    #[test]
    fn failures_past_the_limit_wait_longer_each_time_up_to_fifteen_minutes() {
        let login = Throttle::LOGIN;
        let fresh = Attempts { failures: 0, last_attempt: at(0), last_failure: at(0) };
        let a = fail(login, fresh, 4, at(0));
        assert_eq!(login.wait(&a, at(0)), None, "four failures: no wait yet");
        let mut a = fail(login, a, 1, at(0));
        assert_eq!(login.wait(&a, at(0)), Some(Duration::seconds(1)));
        let mut t = 0;
        for expected in [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900] {
            let wait = login.wait(&a, at(t)).unwrap();
            assert_eq!(login.wait(&a, at(t) + wait - Duration::milliseconds(1)).map(wait_seconds), Some(1));
            t += wait.num_seconds();
            a = fail(login, a, 1, at(t));
            assert_eq!(login.wait(&a, at(t)), Some(Duration::seconds(expected)));
        }
        // Waiting out the longest wait does not start the run over; 15 quiet minutes after it do.
        let last = at(t);
        assert!(login.wait(&a, last + Duration::minutes(15) - Duration::seconds(1)).is_some());
        assert_eq!(login.begin(&a, last + Duration::minutes(15)).failures, 17);
        assert_eq!(login.remembered(&a, last + Duration::minutes(30) - Duration::seconds(1)), 16);
        assert_eq!(login.begin(&a, last + Duration::minutes(30)).failures, 1);
        // Below the limit, failures more than 15 minutes apart do not add up.
        let b = fail(login, fresh, 4, at(0));
        assert_eq!(login.begin(&b, at(899)).failures, 5);
        assert_eq!(login.begin(&b, at(900)).failures, 1);
        // An address has a higher limit.
        let c = fail(Throttle::ADDRESS, fresh, 19, at(0));
        assert_eq!(Throttle::ADDRESS.wait(&c, at(0)), None);
        assert_eq!(wait_seconds(Duration::milliseconds(1001)), 2);
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_eq!(client_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
        assert_eq!(client_key("10.0.0.1".parse().unwrap()), "10.0.0.1");
    }
}
