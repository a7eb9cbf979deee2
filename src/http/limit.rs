//! A per-client rate limit for the public pages (no account, a QR code on a road block):
//! a fixed window of requests per IP address. Kept in the server's memory, so each server
//! behind a load balancer counts on its own; that bounds a flood, which is all it is for.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    window: Duration,
    max: u32,
    hits: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// The limits of the public pages.
pub struct PublicLimits {
    /// Opening the form.
    pub views: RateLimiter,
    /// Submitting it: a family at a checkpoint registers a few people, not dozens a minute.
    pub submissions: RateLimiter,
}

impl Default for PublicLimits {
    fn default() -> PublicLimits {
        PublicLimits { views: RateLimiter::new(60, Duration::from_secs(60)), submissions: RateLimiter::new(10, Duration::from_secs(60)) }
    }
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> RateLimiter {
        RateLimiter { window, max, hits: Mutex::new(HashMap::new()) }
    }

    /// Counts a request from `client`; false once it is over the limit for this window.
    pub fn allow(&self, client: IpAddr) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if hits.len() > 100_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = hits.entry(client).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_budget() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
    }

    #[test]
    fn the_budget_comes_back_after_the_window() {
        let limiter = RateLimiter::new(1, Duration::from_millis(20));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(limiter.allow(a));
        assert!(!limiter.allow(a));
        std::thread::sleep(Duration::from_millis(25));
        assert!(limiter.allow(a));
    }
}
