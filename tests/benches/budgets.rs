//! The budgets of docs/DESIGN.md ("Budgets"), measured and printed beside their targets. Nothing here
//! asserts on time: run it in release and read it.
//!
//! ```text
//! cargo bench -p tandem-tests --bench budgets
//! cargo bench -p tandem-tests --bench budgets --profile dev -- --quick   # small sizes: does it still run?
//! ```
//!
//! - one check-in made durable: p50 and p99 over thousands of check-ins into a store on disk;
//! - opening a store holding five years of daily use: `Store::open` + `journey()` +
//!   `today(now)`, each in a fresh process (this binary run again with `--open-child <store>`),
//!   so resident memory is that of the open alone;
//! - bytes stored per check-in, as written and after `compact_all()`;
//! - the cost of encryption at rest: the check-ins and the opens again on stores sealed with a
//!   platform key (`StoreKey`), beside the plain figures (budget: at most 10 % more).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveTime, TimeDelta, Utc};
use tandem_core::journey::schedule::{local_instant, parse_time_zone};
use tandem_core::journey::*;
use tandem_core::{OpenOptions, Store, StoreKey};

use tandem_tests::bench::Mode;
use tandem_tests::five_years;

/// Re-runs this binary to open a store in a fresh process.
const OPEN_CHILD: &str = "--open-child";
/// The final check-ins of the five-year generation whose times are reported.
const LATE_CHECK_INS: usize = 2_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == OPEN_CHILD) {
        let key = args.get(i + 2).map(|hex| key_from_hex(hex));
        open_child(Path::new(args.get(i + 1).expect("a store path")), key);
        return;
    }
    // `cargo bench` passes `--bench` (and any filter); there is nothing to filter.
    let mode = Mode::from_args();
    let dir = tempfile::tempdir().expect("a temporary directory");
    // TANDEM_BENCH_KEEP=1 keeps the stores made, to look at (or profile) them afterwards.
    let kept;
    let dir = if std::env::var_os("TANDEM_BENCH_KEEP").is_some() {
        kept = dir.keep();
        println!("(the stores are kept in {})", kept.display());
        kept.as_path()
    } else {
        dir.path()
    };
    mode.print_heading("Tandem budgets (docs/DESIGN.md)");

    // Check-ins timed into a fresh store: days of three plans at 8 times a day.
    let days = mode.size(100, 3);
    let key = StoreKey::random();
    let plain = check_ins_into_a_fresh_store(dir, days, None);
    let sealed = check_ins_into_a_fresh_store(dir, days, Some(&key));
    let (open_plain, open_sealed) = five_years(dir, mode, &key);
    println!("Encryption at rest: sealed beside plain (budget: at most 10 % more)");
    for (what, plain, sealed) in [
        ("one check-in made durable, p50", plain.0, sealed.0),
        ("one check-in made durable, p99", plain.1, sealed.1),
        (
            "opening five years, after compact_all()",
            open_plain,
            open_sealed,
        ),
    ] {
        println!(
            "  {what}: {} plain, {} sealed: {:+.1} %",
            ms(plain),
            ms(sealed),
            (sealed.as_secs_f64() / plain.as_secs_f64().max(1e-9) - 1.0) * 100.0
        );
    }
    mode.print_footing();
}

/// A key in 64 hex digits, as the parent passes it to an open in a fresh process.
fn key_to_hex(key: &StoreKey) -> String {
    key.bytes()
        .expect("a platform key")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn key_from_hex(hex: &str) -> StoreKey {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    StoreKey::from_bytes(&bytes).expect("a 32-byte key")
}

// ----- figures -----

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn median<T: Copy + Ord>(items: &[T]) -> T {
    let mut sorted = items.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// Prints p50 and p99 beside the budget, and the shape of the tail.
/// Prints the latencies' percentiles beside the budgets; returns (p50, p99).
fn print_latencies(what: &str, times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let total: Duration = sorted.iter().sum();
    let over = |limit_ms: f64| {
        sorted
            .iter()
            .filter(|d| d.as_secs_f64() * 1e3 > limit_ms)
            .count()
    };
    println!("  {what}: {} check-ins", sorted.len());
    println!(
        "    p50  {:>10}   budget ≤ 0.5 ms",
        ms(percentile(&sorted, 0.50))
    );
    println!(
        "    p99  {:>10}   budget ≤ 2 ms",
        ms(percentile(&sorted, 0.99))
    );
    println!(
        "    p90 {}, p99.9 {}, max {}, mean {}; {} over 0.5 ms, {} over 2 ms, {} over 10 ms",
        ms(percentile(&sorted, 0.90)),
        ms(percentile(&sorted, 0.999)),
        ms(*sorted.last().unwrap_or(&Duration::ZERO)),
        ms(total / sorted.len().max(1) as u32),
        over(0.5),
        over(2.0),
        over(10.0),
    );
    (percentile(&sorted, 0.50), percentile(&sorted, 0.99))
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The database file and its write-ahead log, in bytes.
fn files_on_disk(path: &Path) -> (u64, u64) {
    (file_size(path), file_size(&with_suffix(path, "-wal")))
}

// ----- one check-in, durable -----

/// Check-ins timed into a fresh store, sealed with `key` if given; returns (p50, p99).
fn check_ins_into_a_fresh_store(
    dir: &Path,
    days: u64,
    key: Option<&StoreKey>,
) -> (Duration, Duration) {
    let (file, sealed) = match key {
        Some(_) => ("fresh-sealed.db", ", sealed with a key"),
        None => ("fresh.db", ""),
    };
    println!("One check-in made durable (fresh store on disk, Europe/London{sealed})");
    let path = dir.join(file);
    let store = Store::open(
        &path,
        OpenOptions {
            time_zone: Some(five_years::TIME_ZONE.to_string()),
            key: key.cloned(),
            ..Default::default()
        },
    )
    .expect("the store opens");
    let tz = parse_time_zone(five_years::TIME_ZONE).unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let first = today - Days::new(days - 1);

    let value = store
        .add_value(&ValueInput {
            text: "Looking after my body".into(),
            life_area: LifeArea::Health,
            importance: 9,
        })
        .unwrap();
    let goal = store
        .add_goal(&GoalInput {
            text: "Feel more rested".into(),
            value_ids: vec![value],
            framing: Framing::Approach,
            proposed_by: ProposedBy::Together,
            target_date: None,
            importance: 8,
            confidence: 6,
            attainment_levels: Vec::new(),
        })
        .unwrap();
    let plans: Vec<(String, Vec<NaiveTime>)> = (0..3u32)
        .map(|p| {
            let times: Vec<NaiveTime> = (0..8)
                .map(|h| NaiveTime::from_hms_opt(7 + 2 * h, 10 * p, 0).unwrap())
                .collect();
            let id = store
                .add_plan(&PlanInput {
                    what: format!("Plan {p}"),
                    place: None,
                    schedule: Schedule {
                        repeat: Repeat::EveryNDays { n: 1 },
                        times: times.clone(),
                    },
                    duration_minutes: Some(5),
                    goal_id: Some(goal.clone()),
                    step_id: None,
                    barriers: None,
                    supports: None,
                    agreed_by: vec![Party::Myself],
                    reminder: true,
                    start: first,
                    end: None,
                })
                .unwrap();
            (id, times)
        })
        .collect();
    store.compact_all().unwrap();
    let (bytes_before, _) = store.stored_bytes().unwrap();

    let mut times = Vec::new();
    let mut date = first;
    while date <= today {
        let mut due: Vec<(NaiveTime, &str)> = plans
            .iter()
            .flat_map(|(id, ts)| ts.iter().map(move |t| (*t, id.as_str())))
            .collect();
        due.sort();
        for (i, (time, plan_id)) in due.into_iter().enumerate() {
            let input = CheckInInput {
                plan_id: plan_id.to_string(),
                date,
                time: Some(time),
                outcome: if i % 5 == 4 {
                    Outcome::Partly
                } else {
                    Outcome::Done
                },
                reasons: if i % 5 == 4 {
                    vec![Reason::NoTime]
                } else {
                    Vec::new()
                },
                reason_text: None,
                note: None,
            };
            let at = local_instant(tz, date, time) + TimeDelta::minutes(5);
            let began = Instant::now();
            store.check_in_at(&input, at).unwrap();
            times.push(began.elapsed());
        }
        date = date.succ_opt().unwrap();
    }
    let percentiles = print_latencies(
        &format!("{days} days × 24 a day, each its own call"),
        &times,
    );

    let (bytes_after, rows_after) = store.stored_bytes().unwrap();
    store.compact_all().unwrap();
    let (bytes_compacted, rows_compacted) = store.stored_bytes().unwrap();
    let n = times.len() as f64;
    println!("  bytes stored per check-in (stored_bytes(): keys + values of the kv table)");
    println!(
        "    as written   {:>7.1} B   ({} → {} B, {rows_after} rows)",
        (bytes_after - bytes_before) as f64 / n,
        bytes_before,
        bytes_after
    );
    println!(
        "    compacted    {:>7.1} B   ({} B, {rows_compacted} rows after compact_all())",
        (bytes_compacted - bytes_before) as f64 / n,
        bytes_compacted
    );
    let (db, wal) = files_on_disk(&path);
    println!("    files: database {db} B, write-ahead log {wal} B\n");
    percentiles
}

// ----- five years -----

/// Returns the median open of the compacted store, plain and sealed with `key`.
fn five_years(dir: &Path, mode: Mode, key: &StoreKey) -> (Duration, Duration) {
    let options = five_years::Options {
        months: mode.size(60, 1),
        ..five_years::Options::five_years_to_now()
    };
    println!(
        "A store holding {} month(s) of daily use (seed {:#x})",
        options.months,
        five_years::SEED
    );
    let path = dir.join("five-years.db");
    let store = Store::open(
        &path,
        OpenOptions {
            time_zone: Some(five_years::TIME_ZONE.to_string()),
            ..Default::default()
        },
    )
    .expect("the store opens");
    let made = five_years::generate(&store, &options).expect("the journey generates");
    let journey = store.journey().unwrap();
    println!(
        "  generated in {:.1?}: {} days from {}, {} check-ins ({:.0} a year), {} reviews, \
         {} other journey edits, {} plans ({} active)",
        made.elapsed,
        made.days,
        made.first_day.map_or(String::new(), |d| d.to_string()),
        made.check_ins,
        made.check_ins as f64 * 365.25 / made.days as f64,
        made.reviews,
        made.journey_edits,
        journey.plans.len(),
        journey.plans.iter().filter(|p| p.end.is_none()).count(),
    );
    let calls = made.check_in_times.len();
    print_latencies(
        "check-ins during generation, first year",
        &made.check_in_times[..calls.min(9_000)],
    );
    print_latencies(
        &format!(
            "the last {LATE_CHECK_INS} check-ins, with ~{} month(s) behind them",
            options.months
        ),
        &made.check_in_times[calls.saturating_sub(LATE_CHECK_INS)..],
    );

    // Keep the store as the generation left it (documents compacted every 256 changes), then
    // compact everything to see what the history costs at its smallest.
    let (bytes_left, rows_left) = store.stored_bytes().unwrap();
    let as_left = dir.join("five-years-as-left.db");
    std::fs::copy(&path, &as_left).unwrap();
    let wal = with_suffix(&path, "-wal");
    if wal.exists() {
        std::fs::copy(&wal, with_suffix(&as_left, "-wal")).unwrap();
    }
    let began = Instant::now();
    store.compact_all().unwrap();
    let compact_took = began.elapsed();
    let (bytes_compacted, rows_compacted) = store.stored_bytes().unwrap();

    let year_ago = options.end - Days::new(365);
    let began = Instant::now();
    let year = store.check_ins(year_ago, options.end).unwrap();
    println!(
        "  (for reference) check_ins() over the last year just after compact_all(), which \
         rewrote every month's rows (no month's copy is usable): {} check-ins in {}",
        year.len(),
        ms(began.elapsed())
    );
    drop(year);
    drop(journey);
    drop(store);

    let n = made.check_ins as f64;
    println!("  bytes stored per check-in (whole store / check-ins)");
    println!(
        "    as generated {:>7.1} B   ({bytes_left} B in {rows_left} rows)",
        bytes_left as f64 / n
    );
    println!(
        "    compacted    {:>7.1} B   ({bytes_compacted} B in {rows_compacted} rows; \
         compact_all() took {})",
        bytes_compacted as f64 / n,
        ms(compact_took)
    );
    let (db, wal) = files_on_disk(&path);
    println!("    files: database {db} B, write-ahead log {wal} B");

    for (what, store_path) in [
        ("as generated", as_left.as_path()),
        ("after compact_all()", path.as_path()),
    ] {
        // Each store is opened in fresh processes (after one warm-up open).
        measure_opens(what, store_path, mode.size(7, 2), None);
    }
    let plain = measure_opens("after compact_all(), again", &path, mode.size(7, 2), None);
    // The same store sealed with a platform key (encrypted in place, as a phone's first open
    // with a key does), opened the same way.
    let sealed_path = dir.join("five-years-sealed.db");
    std::fs::copy(&path, &sealed_path).unwrap();
    let began = Instant::now();
    tandem_core::store::seal::rekey(&sealed_path, None, key).expect("the store is sealed");
    println!("  encrypting it in place took {}", ms(began.elapsed()));
    let sealed = measure_opens(
        "after compact_all(), sealed",
        &sealed_path,
        mode.size(7, 2),
        Some(key),
    );
    (plain, sealed)
}

/// One open in a fresh process, as the child reported it.
#[derive(Debug, Clone, Copy)]
struct Opened {
    open: Duration,
    journey: Duration,
    today: Duration,
    /// `insights()` over the last year, after the open.
    year: Duration,
    base_kb: u64,
    rss_kb: u64,
    hwm_kb: u64,
}

impl Opened {
    fn total(&self) -> Duration {
        self.open + self.journey + self.today
    }
}

/// Prints the opens' figures; returns the median open (open + journey() + today()).
fn measure_opens(what: &str, path: &Path, opens: usize, key: Option<&StoreKey>) -> Duration {
    let exe = std::env::current_exe().expect("this benchmark's path");
    let run = || -> Opened {
        let out = Command::new(&exe)
            .arg(OPEN_CHILD)
            .arg(path)
            .args(key.map(key_to_hex))
            .output()
            .expect("the benchmark runs itself");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the open failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        parse_opened(&text).unwrap_or_else(|| panic!("unreadable child output: {text}"))
    };
    let warm_up = run();
    let opens: Vec<Opened> = (0..opens).map(|_| run()).collect();
    let total = median(&opens.iter().map(Opened::total).collect::<Vec<_>>());
    let rss = median(&opens.iter().map(|o| o.rss_kb).collect::<Vec<_>>());
    let hwm = median(&opens.iter().map(|o| o.hwm_kb).collect::<Vec<_>>());
    let base = median(&opens.iter().map(|o| o.base_kb).collect::<Vec<_>>());
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!(
        "  open + journey() + today(now), {what}: median of {} fresh processes",
        opens.len()
    );
    println!("    time {:>10}   budget ≤ 150 ms", ms(total));
    println!(
        "    memory {:>6.1} MB resident after opening (peak {:.1} MB)   budget ≤ 40 MB",
        mb(rss),
        mb(hwm)
    );
    println!(
        "    of which: open {}, journey() {}, today() {}; the process held {:.1} MB before \
         opening; first (warm-up) open {}",
        ms(median(&opens.iter().map(|o| o.open).collect::<Vec<_>>())),
        ms(median(&opens.iter().map(|o| o.journey).collect::<Vec<_>>())),
        ms(median(&opens.iter().map(|o| o.today).collect::<Vec<_>>())),
        mb(base),
        ms(warm_up.total()),
    );
    println!(
        "    then insights() over the last year, as the insights screen reads it: {}   \
         budget ≤ 50 ms (median; slowest {}; the warm-up's first read, which made the past \
         months' copies: {})",
        ms(median(&opens.iter().map(|o| o.year).collect::<Vec<_>>())),
        ms(opens.iter().map(|o| o.year).max().unwrap_or_default()),
        ms(warm_up.year),
    );
    let slowest = opens.iter().map(Opened::total).max().unwrap_or_default();
    let highest = opens.iter().map(|o| o.hwm_kb).max().unwrap_or_default();
    println!(
        "    slowest {}, highest peak {:.1} MB",
        ms(slowest),
        mb(highest)
    );
    total
}

// ----- the child: one open in a fresh process -----

/// A field of /proc/self/status, in kB.
fn proc_status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn open_child(path: &Path, key: Option<StoreKey>) {
    let base_kb = proc_status_kb("VmRSS");
    let began = Instant::now();
    let options = OpenOptions {
        key,
        ..OpenOptions::default()
    };
    let store = Store::open(path, options).expect("the store opens");
    let open = began.elapsed();
    let began = Instant::now();
    let journey = store.journey().expect("the journey reads");
    let journey_took = began.elapsed();
    let began = Instant::now();
    let now = Utc::now();
    let today = store.today(now).expect("today reads");
    let today_took = began.elapsed();
    let rss_kb = proc_status_kb("VmRSS");
    let hwm_kb = proc_status_kb("VmHWM");
    // Then the insights screen's year, as a person opening it after starting the app.
    let tz = parse_time_zone(&journey.time_zone).expect("the journey's zone");
    let to = now.with_timezone(&tz).date_naive();
    let from = to - Days::new(365);
    let began = Instant::now();
    let year = store.insights(from, to, now).expect("insights read");
    let year_took = began.elapsed();
    std::hint::black_box((&journey, &today, &year));
    println!(
        "opened open_ns={} journey_ns={} today_ns={} year_ns={} base_kb={base_kb} \
         rss_kb={rss_kb} hwm_kb={hwm_kb} plans={} reviews={} today_items={}",
        open.as_nanos(),
        journey_took.as_nanos(),
        today_took.as_nanos(),
        year_took.as_nanos(),
        journey.plans.len(),
        journey.reviews.len(),
        today.len(),
    );
}

fn parse_opened(text: &str) -> Option<Opened> {
    let line = text.lines().find(|l| l.starts_with("opened "))?;
    let field = |name: &str| -> Option<u64> {
        line.split(' ')
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))?
            .parse()
            .ok()
    };
    let ns = |name: &str| field(name).map(Duration::from_nanos);
    Some(Opened {
        open: ns("open_ns")?,
        journey: ns("journey_ns")?,
        today: ns("today_ns")?,
        year: ns("year_ns")?,
        base_kb: field("base_kb")?,
        rss_kb: field("rss_kb")?,
        hwm_kb: field("hwm_kb")?,
    })
}
