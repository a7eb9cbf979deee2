//! Rate limits for the public pages (no account): a fixed window of requests per key. The
//! poster's page (`/r/…`) is counted per IP address; the household and staff links
//! (`/c/…`, `/o/…`) per link and address together, since a village behind one mobile
//! carrier's address checks in at the same hour, and a stranger who floods a household's link
//! must not lock the household out of it. Kept in the server's memory, so each server behind a load balancer
//! counts on its own; that bounds a flood, which is all it is for.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter<K = IpAddr> {
    window: Duration,
    max: u32,
    hits: Mutex<HashMap<K, (Instant, u32)>>,
}

/// The limits of the public pages.
pub struct PublicLimits {
    /// Opening the poster's form, per client.
    pub views: RateLimiter,
    /// Submitting it, per client: a family at a checkpoint registers a few people, not dozens
    /// a minute.
    pub submissions: RateLimiter,
    /// Opening or submitting a household's or staff member's link, per link and address.
    pub links: RateLimiter<(IpAddr, String)>,
}

impl Default for PublicLimits {
    fn default() -> PublicLimits {
        let minute = Duration::from_secs(60);
        PublicLimits { views: RateLimiter::new(60, minute), submissions: RateLimiter::new(10, minute), links: RateLimiter::new(30, minute) }
    }
}

/// The most clients (or links) a limiter remembers at once: some 15 MB at most.
const MAX_KEYS: usize = 100_000;

impl PublicLimits {
    /// Counts a use of a household's or staff member's link from `client`. A token that
    /// cannot be one (`plausible_token`) is answered as unknown without a look-up and is not
    /// kept here: made-up tokens of any length would otherwise fill the memory.
    pub fn link(&self, client: IpAddr, token: &str) -> bool {
        !crate::app::accounts::plausible_token(token) || self.links.allow((client, token.to_string()))
    }
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(max: u32, window: Duration) -> RateLimiter<K> {
        RateLimiter { window, max, hits: Mutex::new(HashMap::new()) }
    }

    /// Counts a request from `client`; false once it is over the limit for this window.
    pub fn allow(&self, client: K) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if hits.len() >= MAX_KEYS {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
            // A flood of fresh keys within one window: forget them all rather than grow
            // (the limit lapses for a moment; the memory stays bounded).
            if hits.len() >= MAX_KEYS {
                hits.clear();
            }
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
    fn made_up_links_are_not_remembered_and_the_memory_stays_bounded() {
        let limits = PublicLimits::default();
        let client = IpAddr::from([127, 0, 0, 1]);
        for i in 0..1_000 {
            assert!(limits.link(client, &format!("{i}{}", "f".repeat(60_000))));
        }
        assert_eq!(limits.links.hits.lock().unwrap().len(), 0, "no made-up token is kept");
        let limiter: RateLimiter<u32> = RateLimiter::new(1, Duration::from_secs(60));
        for key in 0..(MAX_KEYS as u32 + 10) {
            assert!(limiter.allow(key));
        }
        assert!(limiter.hits.lock().unwrap().len() <= MAX_KEYS);
    }

    #[test]
    fn each_client_has_its_own_budget() {
        let limiter: RateLimiter = RateLimiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
    }

    #[test]
    fn the_budget_comes_back_after_the_window() {
        let limiter: RateLimiter = RateLimiter::new(1, Duration::from_millis(20));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(limiter.allow(a));
        assert!(!limiter.allow(a));
        std::thread::sleep(Duration::from_millis(25));
        assert!(limiter.allow(a));
    }
}
