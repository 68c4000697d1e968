//! Rate limits: how often one address may ask about codes, and how fast one device may send
//! on its sync connections.
//!
//! Looking at a code (`POST /v1/codes/about`) does not use it up, so without a limit it would
//! let anyone guess codes by asking. Each address gets [`CODE_LOOKUPS_BURST`] lookups at once,
//! then one every [`CODE_LOOKUP_EVERY`]; a lookup of a code that does not exist counts the
//! same. With 60 random bits per code, that leaves guessing hopeless.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Lookups an address may make at once.
pub const CODE_LOOKUPS_BURST: u32 = 10;
/// Then one lookup per this long.
pub const CODE_LOOKUP_EVERY: Duration = Duration::from_secs(6);

/// Forget addresses whose allowance is full again once this many are remembered.
const PRUNE_ABOVE: usize = 10_000;

/// The code-lookup allowance of every address.
pub struct CodeLookups {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for CodeLookups {
    fn default() -> Self {
        let quota = Quota::with_period(CODE_LOOKUP_EVERY)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(CODE_LOOKUPS_BURST).expect("a non-zero burst"));
        CodeLookups {
            limiter: RateLimiter::keyed(quota),
        }
    }
}

impl CodeLookups {
    /// Whether `address` may look at a code now (and counts it when so).
    pub fn allow(&self, address: IpAddr) -> bool {
        if self.limiter.len() > PRUNE_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&address).is_ok()
    }
}

/// Messages a device may send at once on its sync connections: a first sync of a caseload, one
/// message or so per document, goes through at once (a practitioner with 50 clients syncs
/// about 700 documents; with a burst of 200 their first sync took 5.2 s instead of 0.3).
pub const MESSAGES_BURST: u32 = 1_000;
/// Then this many a second, sustained, across all its connections to this process.
pub const MESSAGES_PER_SECOND: u32 = 100;

/// How fast each device may send: a device over its allowance is slowed — its next message is
/// read only when it is allowed, so it waits in the device's own TCP connection, not in the
/// server's memory — and no other device waits for it.
pub struct InboundLimits {
    limiter: DefaultKeyedRateLimiter<Arc<str>>,
    /// Messages admitted, for pruning now and then rather than looking on every message.
    admitted: AtomicUsize,
}

impl Default for InboundLimits {
    fn default() -> Self {
        let quota = Quota::per_second(NonZeroU32::new(MESSAGES_PER_SECOND).expect("non-zero"))
            .allow_burst(NonZeroU32::new(MESSAGES_BURST).expect("a non-zero burst"));
        InboundLimits {
            limiter: RateLimiter::keyed(quota),
            admitted: AtomicUsize::new(0),
        }
    }
}

impl InboundLimits {
    /// Waits until `device` may send one more message; whether it had to wait. On the path of
    /// every message: no allocation, and the devices whose allowance is full again are
    /// forgotten only every 4,096 messages.
    pub async fn admit(&self, device: &Arc<str>) -> bool {
        if self.admitted.fetch_add(1, Ordering::Relaxed) % 4096 == 4095
            && self.limiter.len() > PRUNE_ABOVE
        {
            self.limiter.retain_recent();
        }
        if self.limiter.check_key(device).is_ok() {
            return false;
        }
        self.limiter.until_key_ready(device).await;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_is_refused_while_another_is_not() {
        let lookups = CodeLookups::default();
        let one: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        for n in 0..CODE_LOOKUPS_BURST {
            assert!(lookups.allow(one), "lookup {n} of the burst");
        }
        assert!(!lookups.allow(one));
        assert!(lookups.allow(other));
    }
}
