//! Checks in, one occurrence after another, until it is killed.
//!
//! `check_in_writer <store path> [first occurrence]` opens (or creates) the store, adds the
//! writer's daily plan unless the store already has it, then checks in on occurrences
//! `first`, `first + 1` … of the walk back from today (see `tandem_tests::writer`). After each
//! check-in returns, that is once it is durable, it prints `saved <date> <HH:MM>` and flushes.
//! The durability test kills it at a random moment and checks that every printed check-in is
//! in the store. With `--live` as a third argument, the store's sync service is online all the
//! while (the store must be joined to a server), so edits go out as they are made.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use tandem_core::{OpenOptions, Store};
use tandem_tests::writer::{check_in_input, occurrence, plan_input, saved_line};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("check_in_writer: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let path = args
        .next()
        .ok_or("usage: check_in_writer <store path> [first occurrence]")?;
    let first: usize = match args.next() {
        Some(n) => n
            .to_str()
            .ok_or("the first occurrence is not a number")?
            .parse()?,
        None => 0,
    };

    let live = args.next().is_some_and(|a| a == "--live");
    let store = std::sync::Arc::new(Store::open(&path, OpenOptions::default())?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let _service = live.then(|| {
        let _entered = runtime.enter();
        let service = tandem_core::sync::service::SyncService::start(store.clone());
        service.set_online(true);
        service
    });
    let plan_id = match store.journey()?.plans.as_slice() {
        [] => store.add_plan(&plan_input())?,
        [plan] => plan.id.clone(),
        more => return Err(format!("expected at most one plan, found {}", more.len()).into()),
    };

    // The journey is in UTC (the default), so today is today's UTC date.
    let today = Utc::now().date_naive();
    let mut out = std::io::stdout().lock();
    for index in first.. {
        let (date, time) = occurrence(today, index);
        store.check_in_at(&check_in_input(&plan_id, date, time), Utc::now())?;
        writeln!(out, "{}", saved_line(date, time))?;
        out.flush()?;
    }
    Ok(())
}
