//! The command line: one command per stage of the protocol, plus the views over a journey.

use std::path::PathBuf;

use chrono::{DateTime, NaiveTime, Utc};
use clap::{ArgGroup, Args, Parser, Subcommand};
use tandem_core::coaching::{CoachingCondition, Direction};
use tandem_core::journey::{
    AttainmentLevel, Framing, GoalStatus, LifeArea, Outcome, Party, ProposedBy, Reason, SupportKind,
};
use tandem_core::sync::api::InvitationKind;

use crate::parse::{self, DateArg, DaySet, Words};

/// Where `--help` lists the options every command takes.
const GLOBAL: &str = "Global options";

/// Tandem on the desktop: your journey through values, goals, action plans and reviews.
///
/// Everything stays on this computer, in one store (by default in $TANDEM_HOME, else
/// $XDG_DATA_HOME/tandem, else ~/.local/share/tandem), and works offline; `tandem sync` meets
/// the people you are linked to through a Tandem sync server. Exit codes: 0 done, 2 the input
/// was refused (nothing was written), 1 anything else (something not found, a storage problem,
/// the network or the server).
#[derive(Debug, Parser)]
#[command(name = "tandem", version)]
pub struct Cli {
    #[command(flatten)]
    pub globals: Globals,

    #[command(subcommand)]
    pub command: Command,
}

/// The options every command takes.
#[derive(Debug, Args)]
pub struct Globals {
    /// The store to use: a folder (holding store.db) or a .db file.
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub store: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,

    /// Time zone for a new store (IANA name, e.g. Europe/London); default: this computer's.
    #[arg(long, global = true, value_name = "ZONE", help_heading = GLOBAL)]
    pub tz: Option<String>,

    /// Trust the server's certificate from this PEM file (your service's own certificate
    /// authority, or the server's certificate) besides the public ones.
    #[arg(
        long,
        global = true,
        env = "TANDEM_TRUST_CERT",
        value_name = "PEM-FILE",
        help_heading = GLOBAL
    )]
    pub trust_cert: Option<PathBuf>,

    /// Pretend it is this instant (RFC 3339), for scripted runs and tests.
    #[arg(
        long,
        global = true,
        hide = true,
        env = "TANDEM_NOW",
        value_name = "INSTANT"
    )]
    pub now: Option<DateTime<Utc>>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store (with --tz to choose its time zone) or say where it is.
    Init,
    /// Stage 1: what matters to you, by life area.
    #[command(subcommand)]
    Value(ValueCommand),
    /// Stage 1: what you are good at.
    #[command(subcommand)]
    Strength(StrengthCommand),
    /// Stage 1: who and what helps.
    #[command(subcommand)]
    Support(SupportCommand),
    /// Stage 1: the life you are heading for.
    #[command(subcommand)]
    Vision(VisionCommand),
    /// Stage 2: goals, their steps and status.
    #[command(subcommand)]
    Goal(GoalCommand),
    /// Stage 3: action plans: what, when, how often.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Stage 4: say how one planned occurrence went.
    CheckIn(CheckInArgs),
    /// Stage 4: rate motivation, confidence and progress.
    Review(ReviewArgs),
    /// Today's planned occurrences and where each stands.
    Today,
    /// Reminders coming up.
    Reminders {
        /// How many days ahead to look.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
    /// The whole journey, stage by stage: yours, or a linked person's (--person, --journey).
    Show(ShowArgs),
    /// Completion, streaks, reasons and trends.
    Insights {
        /// First day (default: four weeks ago).
        #[arg(long, value_parser = parse::date)]
        from: Option<DateArg>,
        /// Last day (default: today).
        #[arg(long, value_parser = parse::date)]
        to: Option<DateArg>,
    },
    /// Who this store belongs to.
    Whoami,
    /// Sync: enrol on a server with the one-time code its operator gave you (practitioners and
    /// coaches).
    Enrol {
        /// The server's address, e.g. https://tandem.example.org.
        #[arg(long, value_parser = parse::server_url, value_name = "URL")]
        server: String,
        /// The enrolment code, e.g. 7KQ2-M9XD-4WTR.
        code: String,
    },
    /// Sync: make a one-time code (valid 72 hours) inviting a client (practitioners), a
    /// practitioner (coaches) or another device of yours.
    Invite {
        #[arg(value_parser = Words::<InvitationKind>::default())]
        kind: InvitationKind,
    },
    /// Sync: accept an invitation code: link with the person who invited you, or make this
    /// store another device of yours.
    ///
    /// A client's code links you with your practitioner, and joining is your consent: your
    /// journey (values, goals, plans, check-ins, reviews) is shared with them, and they may add
    /// to it. Your private notes stay on your own devices, and a client's data never reaches a
    /// coach. A practitioner's code links you with your coach; your own journey stays yours
    /// until you share it (`tandem share journey COACH`). A device code makes this new, empty
    /// store another device of the person who invited it; it syncs at once.
    Join {
        /// The server's address, as the invitation gave it.
        #[arg(long, value_parser = parse::server_url, value_name = "URL")]
        server: String,
        /// The invitation code, e.g. 7KQ2-M9XD-4WTR.
        code: String,
    },
    /// Bring back your account onto this new, empty store with your recovery code, when every
    /// device of yours is lost: your other devices are removed from the account, and your
    /// journey arrives at once. A new recovery code replaces the one used: keep it.
    Recover {
        /// Your server's address.
        #[arg(long, value_parser = parse::server_url, value_name = "URL")]
        server: String,
        /// Your recovery code, as it was shown when you enrolled or joined (or a new one from
        /// your service).
        code: String,
    },
    /// Sync: the practitioners your service offers you because yours left it. Nothing is
    /// shared with one before you agree (`tandem handover`).
    Handovers,
    /// Sync: agree to the practitioner your service offers (your journey is shared with them,
    /// as joining with their code would), or decline.
    #[command(group(ArgGroup::new("answer").args(["agree", "decline"]).required(true)))]
    Handover {
        /// The offered practitioner's id, as `tandem handovers` lists it.
        person: String,
        /// Share your journey with them (you may change it later with `tandem revoke`).
        #[arg(long)]
        agree: bool,
        /// Forget the offer.
        #[arg(long)]
        decline: bool,
    },
    /// Sync: share one of your documents with a linked person (read-only unless --write).
    #[command(group(ArgGroup::new("access").args(["read", "write"])))]
    Share {
        /// `journey` (your journey), or a document id.
        doc: String,
        /// The person's id, as `tandem status` lists it.
        person: String,
        /// They may read it (the default).
        #[arg(long)]
        read: bool,
        /// They may also change it.
        #[arg(long)]
        write: bool,
    },
    /// Sync: stop sharing a document with a person; the server stops syncing it to them at once.
    Revoke {
        /// `journey` (your journey), or a document id.
        doc: String,
        /// The person's id, as `tandem status` lists it.
        person: String,
    },
    /// Sync now: send your changes and bring what others changed, then disconnect.
    Sync {
        /// Stay connected: each change made elsewhere arrives as it is made and is printed
        /// (what, whose, when), and this device's changes go out; Ctrl-C stops.
        #[arg(long)]
        live: bool,
    },
    /// Sync: the server, your role, when you last synced, and the people you are linked to.
    Status,
    /// Your devices: list them, name this one, or remove a lost one from your account.
    ///
    /// A removed device is refused by the server from then on (its open connections close at
    /// once); on its next contact it learns it was removed, and `tandem erase-local` there
    /// erases what it holds.
    #[command(subcommand)]
    Devices(DevicesCommand),
    /// Who looked: when each linked person's device last synced your journey.
    AccessLog,
    /// Erase this device's store (a device removed from your account, or a computer you hand
    /// on). Asks for --yes: nothing on this device can bring it back; what you synced stays
    /// on the server and your other devices.
    EraseLocal {
        /// Yes, erase it.
        #[arg(long)]
        yes: bool,
    },
    /// Erase your account on your server, then this device's store. Asks for --yes: it cannot
    /// be undone. The server deletes your documents, devices, links and consents; the people
    /// you shared with delete their copies when they next sync; your other devices erase what
    /// they hold on their next contact.
    EraseAccount {
        /// Yes, erase my account.
        #[arg(long)]
        yes: bool,
    },
    /// Coaching: condition, sessions, case reviews, what was shared; a coach's overview.
    ///
    /// One coaching document per practitioner and coach: the condition (skills-acquisition or
    /// transformational), sessions with the practitioner's agenda and the coach's comments,
    /// pseudonymous case reviews, and whatever the practitioner chose to share into it.
    #[command(subcommand)]
    Coaching(CoachingCommand),
    /// Reflections on your own reactions: private, unless you share one with your coach.
    ///
    /// What happened, how I reacted, the pattern I notice, and the plans and clients (by code)
    /// it shows up in. Kept in your private notes, on your own devices; a copy goes into your
    /// coaching only when you share it, without its links to plans and clients.
    #[command(subcommand)]
    Reflect(ReflectCommand),
    /// Alliance check-ins on a working relationship, and the ruptures they show.
    ///
    /// A client answers about their practitioner, a practitioner about their coach: three
    /// items of our own wording, 0–10, and "Something felt off today".
    #[command(subcommand)]
    Alliance(AllianceCommand),
    /// Wellbeing: WHO-5 and single-item stress and burnout ratings, kept on your own devices.
    #[command(subcommand)]
    Wellbeing(WellbeingCommand),
    /// The parallel view: your own plans beside your clients', week by week (practitioners).
    ///
    /// Completion and reasons of your own action plans beside the same over all your clients
    /// (only where at least three had plans), ruptures with clients and with your coach, your
    /// wellbeing, and prompts to reflect on. Computed on this device; `tandem parallel share`
    /// puts a summary (rates and counts only) into your coaching.
    Parallel(ParallelArgs),
    /// Encryption at rest: encrypt this store with a passphrase, or change it.
    ///
    /// An encrypted store opens with its passphrase: from TANDEM_PASSPHRASE, else asked on the
    /// terminal. Setting TANDEM_PASSPHRASE for a plain store also encrypts it on first use.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Exports: everything that is yours (`tandem export mine`), or what was shared for research.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Play two weeks of a client's and a practitioner's journeys, show what each sees, then
    /// sync them, two more clients and a coach through a server running in this process, and
    /// end with the parallel process: the practitioner's own plans beside their clients', and
    /// what the coach is shown.
    Demo {
        /// Keep the demo stores here (client.db, client-robin.db, client-jamie.db,
        /// practitioner.db, coach.db, and the server's data in server/) instead of throwing them
        /// away.
        #[arg(long, value_name = "DIR")]
        store_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("whose").args(["person", "journey"])))]
pub struct ShowArgs {
    /// Show the journey of this linked person (a practitioner viewing a client), as last synced.
    #[arg(long, value_name = "PERSON_ID")]
    pub person: Option<String>,
    /// Show this linked journey, by its id.
    #[arg(long, value_name = "JOURNEY_ID")]
    pub journey: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ValueCommand {
    /// Add a value, in your own words.
    Add {
        text: String,
        /// The part of life it belongs to.
        #[arg(long, value_parser = Words::<LifeArea>::default())]
        area: LifeArea,
        /// How much it matters, 0–10.
        #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
        importance: u8,
    },
    /// List your values.
    List,
}

#[derive(Debug, Subcommand)]
pub enum StrengthCommand {
    /// Add a strength.
    Add {
        text: String,
        /// A time it showed.
        #[arg(long)]
        example: Option<String>,
    },
    /// List your strengths.
    List,
}

#[derive(Debug, Subcommand)]
pub enum SupportCommand {
    /// Add a person, service or resource that helps.
    Add {
        name: String,
        #[arg(long, value_parser = Words::<SupportKind>::default())]
        kind: SupportKind,
        /// How it helps, or how to reach it.
        #[arg(long)]
        note: Option<String>,
    },
    /// List your supports.
    List,
}

#[derive(Debug, Subcommand)]
pub enum VisionCommand {
    /// Write your vision (earlier ones are kept).
    Set {
        text: String,
        /// The day it was written (default: today).
        #[arg(long, value_parser = parse::date)]
        date: Option<DateArg>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Add a goal, in your own words.
    Add(GoalArgs),
    /// List your goals.
    List,
    /// Steps (milestones) of a goal.
    #[command(subcommand)]
    Step(StepCommand),
    /// Pause, complete, let go of or reactivate a goal.
    Status {
        goal: String,
        #[arg(value_parser = Words::<GoalStatus>::default())]
        status: GoalStatus,
    },
}

#[derive(Debug, Args)]
pub struct GoalArgs {
    pub text: String,
    /// How much it matters, 0–10.
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub importance: u8,
    /// How sure you are you can do it, 0–10.
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub confidence: u8,
    /// A value it serves (repeat for more).
    #[arg(long = "value", value_name = "VALUE_ID")]
    pub values: Vec<String>,
    #[arg(long, value_parser = Words::<Framing>::default(), default_value = "approach")]
    pub framing: Framing,
    #[arg(long, value_parser = Words::<ProposedBy>::default(), default_value = "myself")]
    pub proposed_by: ProposedBy,
    #[arg(long, value_parser = parse::date)]
    pub target: Option<DateArg>,
    /// A goal-attainment level, LEVEL:DESCRIPTION with LEVEL −2…+2 (repeat for more).
    #[arg(long = "level", value_parser = parse::level, allow_hyphen_values = true)]
    pub levels: Vec<AttainmentLevel>,
}

#[derive(Debug, Subcommand)]
pub enum StepCommand {
    /// Add a step at the end of a goal's steps.
    Add { goal: String, text: String },
    /// Mark a step done (or not, with --undo).
    Done {
        goal: String,
        step: String,
        #[arg(long)]
        undo: bool,
    },
    /// Move a step to a place among its goal's steps (1 = first).
    Move {
        goal: String,
        step: String,
        #[arg(value_parser = parse::place)]
        place: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Add an action plan.
    Add(Box<PlanArgs>),
    /// List your action plans.
    List,
    /// End a plan after a day (default: today); its check-ins stay.
    End {
        plan: String,
        #[arg(value_parser = parse::date)]
        last_day: Option<DateArg>,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("repeat").required(true).args(["days", "every"])))]
pub struct PlanArgs {
    /// What you will do.
    pub what: String,
    /// Days of the week: mon,wed,fri, or weekdays, weekend, daily.
    #[arg(long, value_parser = parse::days, value_delimiter = ',')]
    pub days: Vec<DaySet>,
    /// Every N days, counted from the start.
    #[arg(long, value_name = "N")]
    pub every: Option<u32>,
    /// Times of day, HH:MM (repeat or separate with commas); none: any time that day.
    #[arg(long = "at", value_parser = parse::time, value_delimiter = ',')]
    pub times: Vec<NaiveTime>,
    /// How long it takes.
    #[arg(long)]
    pub minutes: Option<u32>,
    /// The goal it works toward.
    #[arg(long)]
    pub goal: Option<String>,
    /// The step of that goal it works toward.
    #[arg(long, requires = "goal")]
    pub step: Option<String>,
    /// Where you will do it.
    #[arg(long = "where", value_name = "PLACE")]
    pub place: Option<String>,
    /// What might get in the way.
    #[arg(long)]
    pub barriers: Option<String>,
    /// What will help.
    #[arg(long)]
    pub supports: Option<String>,
    /// Who agreed to it (separate with commas).
    #[arg(long, value_parser = Words::<Party>::default(), value_delimiter = ',')]
    pub agreed_by: Vec<Party>,
    /// Remind me of each occurrence.
    #[arg(long)]
    pub reminder: bool,
    /// First day (default: today).
    #[arg(long, value_parser = parse::date)]
    pub start: Option<DateArg>,
    /// Last day.
    #[arg(long, value_parser = parse::date)]
    pub end: Option<DateArg>,
}

#[derive(Debug, Args)]
pub struct CheckInArgs {
    pub plan: String,
    #[arg(value_parser = Words::<Outcome>::default())]
    pub outcome: Outcome,
    /// The day it was planned for (default: today).
    #[arg(long, value_parser = parse::date)]
    pub date: Option<DateArg>,
    /// The planned time it answers, when the plan happens more than once that day.
    #[arg(long, value_parser = parse::time)]
    pub time: Option<NaiveTime>,
    /// Why it was not (fully) done (repeat or separate with commas).
    #[arg(long = "reason", value_parser = Words::<Reason>::default(), value_delimiter = ',')]
    pub reasons: Vec<Reason>,
    /// Why, in your own words.
    #[arg(long)]
    pub why: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// 0–10.
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub motivation: u8,
    /// 0–10.
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub confidence: u8,
    /// 0–10.
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub progress: u8,
    /// The goal reviewed (default: the journey as a whole).
    #[arg(long)]
    pub goal: Option<String>,
    /// Goal attainment, −2…+2.
    #[arg(long, value_parser = parse::attainment, allow_negative_numbers = true)]
    pub attainment: Option<i8>,
    #[arg(long)]
    pub note: Option<String>,
    /// The day of the review (default: today).
    #[arg(long, value_parser = parse::date)]
    pub date: Option<DateArg>,
}

/// The `--who5` help: the five statements, their scale, and the credit.
fn who5_help() -> String {
    use tandem_core::coaching::{WHO5_CREDIT, WHO5_ITEMS};
    let mut help = String::from(
        "The five WHO-5 answers, separated by commas, in this order, each for the last two weeks \
         from 0 (at no time) to 5 (all of the time):",
    );
    for (n, item) in WHO5_ITEMS.iter().enumerate() {
        help.push_str(&format!("\n  {}. {item}", n + 1));
    }
    help.push_str(&format!("\n{WHO5_CREDIT}"));
    help
}

/// Which coaching (or care) relationship a command is about.
#[derive(Debug, Args)]
pub struct With {
    /// The other person (your coach, a practitioner you coach, your practitioner), by the id
    /// `tandem status` lists; needed only when there is more than one.
    #[arg(long = "with", value_name = "PERSON_ID")]
    pub person: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CoachingCommand {
    /// Everything in your coaching document: condition, sessions, case reviews, what was shared.
    Show {
        #[command(flatten)]
        with: With,
    },
    /// Set the coaching condition from a day on (either person may).
    Condition {
        #[arg(value_parser = Words::<CoachingCondition>::default())]
        condition: CoachingCondition,
        /// The day it applies from (default: today).
        #[arg(long, value_parser = parse::date)]
        from: Option<DateArg>,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        with: With,
    },
    /// Add a coaching session with its agenda (the practitioner sets it).
    Session {
        agenda: String,
        /// The day of the session (default: today).
        #[arg(long, value_parser = parse::date)]
        date: Option<DateArg>,
        #[command(flatten)]
        with: With,
    },
    /// Comment on a session (typically the coach, on the agenda).
    Comment {
        session: String,
        text: String,
        #[command(flatten)]
        with: With,
    },
    /// Bring a case to skills-acquisition coaching (the practitioner). The client appears only
    /// by their pseudonymous code, never by name or id.
    CaseReview {
        /// The client: their person id (turned into their code here) or their code (C-...).
        #[arg(long, value_name = "CLIENT")]
        client: String,
        /// What you want to look at.
        #[arg(long)]
        question: String,
        #[arg(long)]
        notes: Option<String>,
        /// The day (default: today).
        #[arg(long, value_parser = parse::date)]
        date: Option<DateArg>,
        #[command(flatten)]
        with: With,
    },
    /// The pseudonymous code of a client of yours, as case reviews and reflections name them.
    ClientCode {
        /// The client's person id, as `tandem status` lists it.
        client: String,
    },
    /// For a coach: each practitioner's coaching and what they shared, by condition.
    Overview,
    /// Share your own journey with your coach, to read (transformational coaching only).
    ShareJourney {
        #[command(flatten)]
        with: With,
    },
    /// Stop sharing your own journey with your coach; the server stops syncing it to them at once.
    WithdrawJourney {
        #[command(flatten)]
        with: With,
    },
    /// Share one of your own goals (its steps and the plans toward it) with your coach: a part
    /// of your journey instead of all of it (transformational coaching only). Share it again to
    /// bring their copy up to date.
    ShareGoal {
        /// The goal's id, as `tandem show` lists it.
        goal: String,
        #[command(flatten)]
        with: With,
    },
    /// Take a shared goal back out of your coaching.
    WithdrawGoal {
        goal: String,
        #[command(flatten)]
        with: With,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReflectCommand {
    /// Write a reflection in your private notes.
    Add(Box<ReflectArgs>),
    /// List your reflections, and where each is shared.
    List,
    /// Share a copy of a reflection with your coach (without its links to plans or clients).
    Share {
        reflection: String,
        #[command(flatten)]
        with: With,
    },
    /// Withdraw a shared reflection: its copy leaves your coaching document.
    Withdraw {
        reflection: String,
        #[command(flatten)]
        with: With,
    },
    /// Delete a reflection (withdrawing any shared copy first).
    Remove { reflection: String },
}

#[derive(Debug, Args)]
pub struct ReflectArgs {
    /// What happened.
    pub what_happened: String,
    /// How I reacted.
    #[arg(long)]
    pub reaction: String,
    /// The pattern I notice.
    #[arg(long)]
    pub pattern: Option<String>,
    /// Which way it travels: client-to-coaching or coaching-to-client.
    #[arg(long, value_parser = Words::<Direction>::default())]
    pub direction: Option<Direction>,
    /// One of my own action plans it shows up in (repeat for more).
    #[arg(long = "plan", value_name = "PLAN_ID")]
    pub plans: Vec<String>,
    /// A client I see it in: person id or code (repeat for more); kept as their code.
    #[arg(long = "client", value_name = "CLIENT")]
    pub clients: Vec<String>,
    /// The day (default: today).
    #[arg(long, value_parser = parse::date)]
    pub date: Option<DateArg>,
}

#[derive(Debug, Subcommand)]
pub enum AllianceCommand {
    /// Answer an alliance check-in about your practitioner (clients) or your coach
    /// (practitioners): three items, 0–10, and a flag.
    Add(AllianceArgs),
    /// The alliance check-ins of your relationships.
    List {
        #[command(flatten)]
        with: With,
    },
    /// Write how a rupture was repaired, on the check-in that showed it.
    Repair {
        check_in: String,
        note: String,
        #[command(flatten)]
        with: With,
    },
    /// The ruptures in each of your relationships: a flag, or a score well below the usual.
    Ruptures,
}

#[derive(Debug, Args)]
pub struct AllianceArgs {
    /// 0–10: "We agree on what we are working toward."
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub goals: u8,
    /// 0–10: "We agree on how we are working on it."
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub tasks: u8,
    /// 0–10: "I feel respected and understood."
    #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
    pub bond: u8,
    /// "Something felt off today."
    #[arg(long)]
    pub felt_off: bool,
    /// How it was repaired, if it was.
    #[arg(long)]
    pub repair_note: Option<String>,
    /// The day (default: today).
    #[arg(long, value_parser = parse::date)]
    pub date: Option<DateArg>,
    #[command(flatten)]
    pub with: With,
}

#[derive(Debug, Subcommand)]
pub enum WellbeingCommand {
    /// Record wellbeing: WHO-5, stress and/or burnout (`tandem wellbeing questions` shows them).
    Add {
        /// The five WHO-5 answers, 0–5 each, separated by commas, in the order
        /// `tandem wellbeing questions` lists them.
        #[arg(long, value_parser = parse::who5, value_name = "A,B,C,D,E", long_help = who5_help())]
        who5: Option<[u8; 5]>,
        /// 0–10: "How stressed have I felt this week?"
        #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
        stress: Option<u8>,
        /// 0–10: "How worn out by my work have I felt this week?"
        #[arg(long, value_parser = parse::rating, allow_negative_numbers = true)]
        burnout: Option<u8>,
        /// The day (default: today).
        #[arg(long, value_parser = parse::date)]
        date: Option<DateArg>,
    },
    /// List your wellbeing entries.
    List,
    /// The WHO-5 statements, their scale and credit, and the stress and burnout items.
    Questions,
    /// Share chosen measures of one entry with your coach (each measure by choice).
    #[command(group(ArgGroup::new("measures").required(true).multiple(true).args(["who5", "stress", "burnout"])))]
    Share {
        entry: String,
        /// Share its WHO-5 score (the percentage, not the answers).
        #[arg(long)]
        who5: bool,
        #[arg(long)]
        stress: bool,
        #[arg(long)]
        burnout: bool,
        #[command(flatten)]
        with: With,
    },
    /// Withdraw a shared entry from your coaching document.
    Withdraw {
        entry: String,
        #[command(flatten)]
        with: With,
    },
}

/// A range of days.
#[derive(Debug, Args)]
pub struct Range {
    /// First day (default: four weeks ago).
    #[arg(long, value_parser = parse::date)]
    pub from: Option<DateArg>,
    /// Last day (default: today).
    #[arg(long, value_parser = parse::date)]
    pub to: Option<DateArg>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ParallelArgs {
    #[command(subcommand)]
    pub command: Option<ParallelCommand>,
    #[command(flatten)]
    pub range: Range,
}

#[derive(Debug, Subcommand)]
pub enum ParallelCommand {
    /// Share a summary of the parallel view with your coach: rates and counts only, client
    /// figures only over at least three clients, your wellbeing only if you include it.
    Share(ShareSummaryArgs),
    /// Withdraw a shared summary from your coaching document.
    Withdraw {
        summary: String,
        #[command(flatten)]
        with: With,
    },
}

#[derive(Debug, Args)]
pub struct ShareSummaryArgs {
    #[command(flatten)]
    pub range: Range,
    /// Include your weekly wellbeing (WHO-5, stress, burnout means).
    #[arg(long)]
    pub include_wellbeing: bool,
    /// A note for your coach.
    #[arg(long)]
    pub note: Option<String>,
    /// The note may also go into research exports (anonymised, without names or ids).
    #[arg(long, requires = "note")]
    pub note_for_research: bool,
    #[command(flatten)]
    pub with: With,
}

#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// Your devices: name, when added, when last seen.
    List,
    /// Give this device a name on your list ("Sam's laptop").
    Name { name: String },
    /// Remove another of your devices from your account (a lost phone), by its id.
    Remove { device_id: String },
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Encrypt this plain store: with a random key kept in the desktop's keyring (the Secret
    /// Service) where one answers, else (or with --passphrase) with a new passphrase (asked
    /// twice, or TANDEM_NEW_PASSPHRASE).
    Set {
        /// A passphrase, even where a keyring answers.
        #[arg(long)]
        passphrase: bool,
    },
    /// Change the key: a store whose key the keyring keeps gets a new random one there; a
    /// passphrase store, the current passphrase (TANDEM_PASSPHRASE, or asked) then the new one
    /// (asked twice, or TANDEM_NEW_PASSPHRASE).
    Change,
    /// Whether this store is encrypted.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Everything that is yours — journey, every month of check-ins, reviews, reflections,
    /// wellbeing, alliance check-ins, consent records — into a folder: tandem-export.json
    /// (complete), a CSV file for each kind of record, and report.html, a readable report with
    /// charts to open in a browser or hand to your practitioner.
    Mine {
        /// The folder to write into (made if missing; an earlier export there is replaced).
        #[arg(long, value_name = "FOLDER")]
        out: PathBuf,
    },
    /// The research export: per-practitioner weekly figures from the summaries shared in your
    /// coaching documents, by condition. No names, no ids, no free text unless a practitioner
    /// marked their note for research; practitioners appear under codes made for this export
    /// only.
    Research {
        /// The first week (weeks starting on or after this day).
        #[arg(long, value_parser = parse::date)]
        from: DateArg,
        /// The last week (weeks starting on or before this day).
        #[arg(long, value_parser = parse::date)]
        to: DateArg,
        /// csv (the default) or json (the default with --json).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// Write it to this file instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}
