//! Each command: read its arguments, call the store, answer in text or JSON.

mod coaching;
mod goals;
mod key;
mod parallel;
mod plans;
mod review;
pub mod sync;
mod values;
mod views;

use tandem_core::sync::api::Access;

use crate::args::{Cli, Command};
use crate::session::{Failure, Session};

/// Runs the command `cli` asks for; returns what to print.
pub fn run(cli: Cli) -> Result<String, Failure> {
    let globals = &cli.globals;
    // `init` tells of a new store itself.
    let announce = !matches!(cli.command, Command::Init);
    // What a new device can do before its journey arrives: sync it, and see where sync stands.
    let before_journey = matches!(
        cli.command,
        Command::Sync { .. }
            | Command::Status
            | Command::Invite { .. }
            | Command::Devices(_)
            | Command::AccessLog
            | Command::EraseAccount { .. }
    );
    // The demo makes its own stores; every other command opens the person's.
    let open = || Session::open(globals, announce, before_journey);
    match cli.command {
        #[cfg(feature = "demo")]
        Command::Demo { store_dir } => {
            let now = globals.now.unwrap_or_else(chrono::Utc::now);
            crate::demo::run(store_dir.as_deref(), now)
        }
        #[cfg(not(feature = "demo"))]
        Command::Demo { .. } => Err(Failure::Failed(
            "this tandem was built without the demo, which runs a sync server inside it: \
             run `cargo run -p tandem-cli --features demo -- demo`"
                .into(),
        )),
        Command::Init => views::init(&open()?),
        Command::Value(command) => values::value(&open()?, command),
        Command::Strength(command) => values::strength(&open()?, command),
        Command::Support(command) => values::support(&open()?, command),
        Command::Vision(command) => values::vision(&open()?, command),
        Command::Goal(command) => goals::goal(&open()?, command),
        Command::Plan(command) => plans::plan(&open()?, command),
        Command::CheckIn(args) => review::check_in(&open()?, args),
        Command::Review(args) => review::review(&open()?, args),
        Command::Today => views::today(&open()?),
        Command::Reminders { days } => views::reminders(&open()?, days),
        Command::Show(args) => views::show(&open()?, args),
        Command::Insights { from, to } => views::insights(&open()?, from, to),
        Command::Whoami => views::whoami(&open()?),
        Command::Enrol { server, code } => sync::enrol(&open()?, &server, &code),
        Command::Invite { kind } => sync::invite(&open()?, kind),
        Command::Join { server, code } => sync::join(open()?, &server, &code),
        Command::Recover { server, code } => sync::recover(open()?, &server, &code),
        Command::Handovers => sync::handovers(&open()?),
        Command::Handover {
            person,
            agree,
            decline: _,
        } => sync::handover(&open()?, &person, agree),
        Command::Share {
            doc,
            person,
            read: _,
            write,
        } => {
            let access = if write { Access::Write } else { Access::Read };
            sync::share(&open()?, &doc, &person, access)
        }
        Command::Revoke { doc, person } => sync::revoke(&open()?, &doc, &person),
        Command::Sync { live: false } => sync::sync(&open()?),
        Command::Sync { live: true } => sync::sync_live(&open()?),
        Command::Status => sync::status(&open()?),
        Command::Devices(command) => sync::devices(&open()?, command),
        Command::AccessLog => sync::access_log(&open()?),
        Command::EraseLocal { yes } => key::erase_local(globals, yes),
        Command::EraseAccount { yes } => sync::erase_account(open()?, yes),
        Command::Coaching(command) => coaching::coaching(&open()?, command),
        Command::Reflect(command) => coaching::reflect(&open()?, command),
        Command::Alliance(command) => coaching::alliance(&open()?, command),
        Command::Wellbeing(command) => parallel::wellbeing(&open()?, command),
        Command::Parallel(args) => parallel::parallel(&open()?, args),
        Command::Export(command) => parallel::export(&open()?, command),
        Command::Key(command) => key::key(globals, command),
    }
}

/// The record with `id` among `items`, for answering an add with what was stored.
fn added<'a, T>(items: &'a [T], id: &str, id_of: impl Fn(&T) -> &str) -> Result<&'a T, Failure> {
    items
        .iter()
        .find(|item| id_of(item) == id)
        .ok_or_else(|| Failure::Failed(format!("{id} was added but cannot be read back")))
}
