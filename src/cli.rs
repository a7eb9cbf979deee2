//! The command line: `serve`, `demo`, `import`, `report` and `user`. Each command opens the
//! database named by `--database-url` and calls the same operations as the web (`app`);
//! `serve` prepares the application and its listener, and `main` starts the server.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::app::accounts::NewUser;
use crate::app::command::{self, SheetFormat};
use crate::app::demo::{self, Scale};
use crate::app::{App, AppError, accounts, divisions, roster};
use crate::domain::isolation::FollowupWindows;
use crate::domain::{Lang, Temperature, UnitCode, UnitPath};

#[derive(Parser)]
#[command(name = "wangge", version, about = "网格 wangge: grid-based epidemic prevention and control")]
pub struct Cli {
    /// sqlite:PATH (embedded, the default) or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "WANGGE_DATABASE_URL", default_value = "sqlite:wangge.db")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (pages and the JSON API under /api/v1).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Load the small demo first (Tongliao's divisions, one county of households with 30 days
        /// of history, demo logins); a database that has it already is left as it is.
        #[arg(long)]
        demo: bool,
        /// A temperature at or above this (°C) is a fever and raises an alert.
        #[arg(long, env = "WANGGE_FEVER_LINE", default_value_t = 37.3)]
        fever_line: f64,
        /// Days a returnee's household stays under observation after arrival.
        #[arg(long, env = "WANGGE_OBSERVATION_DAYS", default_value_t = crate::domain::screening::DEFAULT_OBSERVATION_DAYS)]
        observation_days: u32,
        /// The morning and afternoon windows (local time) in which isolation follow-ups are due.
        #[arg(long, env = "WANGGE_FOLLOWUP_WINDOWS", default_value = "07:00-12:00,14:00-19:00")]
        followup_windows: String,
        /// The address the public reaches this server at, for the QR codes on checkpoint
        /// posters (e.g. http://192.168.1.10:8080); the address in the browser when unset.
        #[arg(long, env = "WANGGE_PUBLIC_URL")]
        public_url: Option<String>,
        /// Mark cookies Secure (sent over HTTPS only). On by default when --public-url is https;
        /// set it when a proxy in front of the server speaks HTTPS.
        #[arg(long, env = "WANGGE_SECURE_COOKIES", num_args = 0..=1, default_missing_value = "true")]
        secure_cookies: Option<bool>,
        /// The hour (HH:MM, local time) by which each village, township and county confirms the
        /// day's report; after it an unconfirmed day is a task and climbs the grid.
        #[arg(long, env = "WANGGE_REPORT_DEADLINE", default_value = "18:00")]
        report_deadline: String,
    },
    /// Load demo data: Tongliao's real divisions and generated households below them (the small
    /// scale with 30 days of history).
    Demo {
        #[arg(long, value_enum, default_value = "small")]
        scale: Scale,
    },
    /// Import divisions or a roster.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Store every unit's own figures of a day that ended (the daily close, which the server
    /// also runs at local midnight); without --date, every day not yet closed up to yesterday.
    CloseDay {
        /// The day, YYYY-MM-DD (local); closed again if it was.
        #[arg(long)]
        date: Option<String>,
        /// A temperature at or above this (°C) is a fever.
        #[arg(long, env = "WANGGE_FEVER_LINE", default_value_t = 37.3)]
        fever_line: f64,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The evening report sheet (日报表) of a unit: .xlsx or .csv, by the output's extension.
    Daily {
        /// The unit the sheet is about: a row per child unit and a total.
        #[arg(long)]
        unit: String,
        /// The day, YYYY-MM-DD (local); today when left out.
        #[arg(long, default_value = "")]
        date: String,
        /// Where to write it: FILE.xlsx or FILE.csv.
        #[arg(long)]
        output: PathBuf,
        /// The sheet's language: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Division files: a folder in the statistical bureau's layout (provinces.csv, cities.csv,
    /// areas.csv, streets.csv, villages.csv) or one code,name,parent_code CSV. Idempotent.
    Divisions { path: PathBuf },
    /// A roster (花名册): CSV (UTF-8 or GBK) or .xlsx, one row per resident. All or nothing.
    Roster {
        file: PathBuf,
        /// The unit the roster belongs to; every row's 网格编码 must lie under it.
        #[arg(long)]
        unit: String,
    },
    /// Units' boundaries for the maps: a GeoJSON file of features (Polygon or MultiPolygon, WGS 84),
    /// each naming its unit by a property. All or nothing: every bad feature is listed.
    Boundaries {
        file: PathBuf,
        /// The property of each feature that holds its unit's code.
        #[arg(long, default_value = "code")]
        code_property: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        login: String,
        /// admin, hq, grid_leader, grid_member, checkpoint or inspector
        #[arg(long)]
        role: String,
        /// The account's scope unit: it acts over this unit and everything below.
        #[arg(long)]
        unit: String,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long, default_value = "")]
        name: String,
    },
}

/// Reads the command line (exiting with clap's message when it cannot) and starts the log.
pub fn parse() -> Cli {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("WANGGE_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    cli
}

/// Runs `work` on a multi-threaded runtime; an error is told on the terminal.
/// After a command that is done (its store dropped): its group writers finalise their
/// statements while the runtime they need still runs.
pub fn settle() {
    crate::store::settle(std::time::Duration::from_secs(5));
}

pub fn block_on(work: impl Future<Output = Result<(), String>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// What is left to do once a command has run: serve the web (`main` starts the server), or
/// nothing.
pub enum Next {
    Serve { app: App, listener: tokio::net::TcpListener },
    Done,
}

/// Runs a command through `app`. `serve` only prepares: the application with its settings (and
/// the demo, if asked), and the bound listener.
pub async fn run(cli: Cli) -> Result<Next, String> {
    let mut app = App::open(&cli.database_url).await.map_err(describe)?;
    match cli.command {
        Command::Serve { addr, demo, fever_line, observation_days, followup_windows, public_url, secure_cookies, report_deadline } => {
            app.settings.report_deadline =
                crate::domain::confirmations::ReportDeadline::parse(&report_deadline).map_err(|e| format!("--report-deadline: {}", e.message(Lang::En)))?;
            app.settings.followup_windows = FollowupWindows::parse(&followup_windows).map_err(|e| format!("--followup-windows: {}", e.message(Lang::En)))?;
            app.settings.fever = Temperature::from_celsius(fever_line).map_err(|e| e.message(Lang::En))?;
            if observation_days == 0 || observation_days > 60 {
                return Err("--observation-days must be between 1 and 60".into());
            }
            app.settings.observation_days = observation_days;
            app.settings.secure_cookies = secure_cookies.unwrap_or(public_url.as_deref().is_some_and(|url| url.starts_with("https://")));
            app.settings.public_url = public_url;
            if demo {
                load_demo(&app, Scale::Small).await?;
            }
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("wangge is serving http://{addr}/  (database {})", cli.database_url);
            if demo {
                println!("demo logins (password {}): admin, hq, leader, member, checkpoint", demo::DEMO_PASSWORD);
            }
            if app.settings.public_url.is_none() {
                eprintln!(
                    "warning: --public-url is not set: checkpoint posters and check-in links will carry the address each browser used, \
                     which the public cannot reach if it is this machine or a private network"
                );
            }
            Ok(Next::Serve { app, listener })
        }
        Command::Demo { scale } => load_demo(&app, scale).await.map(|()| Next::Done),
        Command::Import(ImportCommand::Divisions { path }) => {
            let sheets = read_sheets(&path)?;
            let caller = app.system_caller(UnitPath::root());
            let summary = divisions::import(&app, &caller, &sheets).await.map_err(describe)?;
            println!("units: {} created, {} renamed, {} unchanged", summary.created, summary.renamed, summary.unchanged);
            Ok(Next::Done)
        }
        Command::Import(ImportCommand::Roster { file, unit }) => {
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let unit = UnitCode::parse(&unit).map_err(|e| e.message(Lang::En))?;
            let caller = app.system_caller(UnitPath::root());
            let bar = progress_bar("residents");
            let summary = roster::import(&app, &caller, &unit, &bytes, &|done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
            .await;
            bar.finish_and_clear();
            let s = summary.map_err(describe)?;
            println!(
                "households: {} created, {} updated, {} unchanged; residents: {} created, {} updated, {} unchanged",
                s.households_created, s.households_updated, s.households_unchanged, s.residents_created, s.residents_updated, s.residents_unchanged
            );
            Ok(Next::Done)
        }
        Command::Import(ImportCommand::Boundaries { file, code_property }) => {
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text (GeoJSON is UTF-8)", file.display()))?;
            let caller = app.system_caller(UnitPath::root());
            let drawn = crate::app::maps::import(&app, &caller, &text, &code_property, false).await.map_err(describe)?;
            println!("boundaries: {drawn} units");
            Ok(Next::Done)
        }
        Command::Report(ReportCommand::Daily { unit, date, output, lang }) => {
            let format = match output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some("xlsx") => SheetFormat::Xlsx,
                Some("csv") => SheetFormat::Csv,
                _ => return Err(format!("--output {}: name a .xlsx or a .csv file", output.display())),
            };
            let lang = match lang.as_str() {
                "zh" => Lang::Zh,
                "en" => Lang::En,
                other => return Err(format!("--lang {other}: zh or en")),
            };
            let caller = app.system_caller(UnitPath::root());
            let bytes = command::daily_sheet(&app, &caller, &unit, &date, format, lang).await.map_err(describe)?;
            // Written beside, then moved over: a half-written sheet never bears the name.
            let partial = output.with_extension(format!("{}.partial", format.extension()));
            std::fs::write(&partial, &bytes).map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
            std::fs::rename(&partial, &output).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
            println!("wrote {} ({} bytes)", output.display(), bytes.len());
            Ok(Next::Done)
        }
        Command::CloseDay { date, fever_line } => {
            app.settings.fever = Temperature::from_celsius(fever_line).map_err(|e| e.message(Lang::En))?;
            match date {
                Some(date) => {
                    let day = crate::domain::time::parse_date("date", &date).map_err(|e| format!("--date: {}", e.message(Lang::En)))?;
                    let units = crate::app::history::close_day(&app, day).await.map_err(describe)?;
                    println!("closed {day}: {units} units");
                }
                None => {
                    let days = crate::app::history::close_due_days(&app).await.map_err(describe)?;
                    println!("closed {} days", days.len());
                }
            }
            Ok(Next::Done)
        }
        Command::User(UserCommand::Add { login, role, unit, password_stdin: _, name }) => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).map_err(|e| e.to_string())?;
            let password = password.trim_end_matches(['\n', '\r']);
            let caller = app.system_caller(UnitPath::root());
            let user = NewUser { login: &login, password, role: &role, unit_code: &unit, display_name: &name };
            let account = accounts::add_user(&app, &caller, user).await.map_err(describe)?;
            println!("account {} created: {} over unit {}", account.login, account.role.as_str(), account.unit_code);
            Ok(Next::Done)
        }
    }
}

async fn load_demo(app: &App, scale: Scale) -> Result<(), String> {
    let bar = progress_bar("households");
    let summary = demo::load(app, scale, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await;
    bar.finish_and_clear();
    let summary = summary.map_err(describe)?;
    println!(
        "demo loaded: {} units created, {} households and {} residents created ({} households already there)",
        summary.units_created, summary.roster.households_created, summary.roster.residents_created, summary.roster.households_unchanged
    );
    // The small demo's county gets its 30 days behind today (a large one is for measuring).
    if scale == Scale::Small {
        let county = demo::plan(scale).first().map(|(county, _)| county.clone()).unwrap_or_default();
        let bar = progress_bar("days of history");
        let days = crate::app::demo_history::load(app, &county, &|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await;
        bar.finish_and_clear();
        match days.map_err(describe)? {
            0 => println!("history already there"),
            days => println!("{days} days of history written and closed"),
        }
    }
    Ok(())
}

fn progress_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} ({{eta}} left)")).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// A folder is read as its .csv files (named by stem); a single file as a generic sheet.
fn read_sheets(path: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    if path.is_dir() {
        let mut sheets = Vec::new();
        let entries = std::fs::read_dir(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for entry in entries.flatten() {
            let file = entry.path();
            if file.extension().is_some_and(|e| e == "csv" || e == "xlsx") {
                let stem = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
                sheets.push((stem, read(&file)?));
            }
        }
        if sheets.is_empty() {
            return Err(format!("no .csv files in {}", path.display()));
        }
        Ok(sheets)
    } else {
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        Ok(vec![(stem, read(path)?)])
    }
}

/// An error for a terminal: every bad row on its own line.
fn describe(err: AppError) -> String {
    match err {
        AppError::Rows(rows) => {
            let mut lines = vec![format!("nothing was imported; {} problems:", rows.len())];
            lines.extend(roster::describe(&rows, Lang::En, 100).into_iter().map(|l| format!("  {l}")));
            lines.join("\n")
        }
        AppError::Domain(err @ crate::domain::DomainError::Several(_)) => {
            let each = err.each();
            let mut lines = vec![format!("nothing was imported; {} problems:", each.len())];
            lines.extend(each.iter().map(|e| format!("  {}", e.message(Lang::En))));
            lines.join("\n")
        }
        AppError::Domain(err) => err.message(Lang::En),
        AppError::NotFound => "not found (is the unit code right, and imported?)".into(),
        other => other.to_string(),
    }
}
