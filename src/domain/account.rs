//! Accounts, roles and what each role may do. Every account acts over one scope unit
//! and its subtree; the storage layer filters people's data by that scope.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::error::{DomainError, Reason};
use super::unit::UnitPath;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Hq,
    GridLeader,
    GridMember,
    Checkpoint,
    Inspector,
}

super::words::stored_words!(Role);

impl Role {
    pub const ALL: [Role; 6] = [Role::Admin, Role::Hq, Role::GridLeader, Role::GridMember, Role::Checkpoint, Role::Inspector];

    pub fn parse(raw: &str) -> Result<Role, DomainError> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw.trim()).ok_or(DomainError::invalid("role", Reason::UnknownRole))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Hq => "hq",
            Role::GridLeader => "grid_leader",
            Role::GridMember => "grid_member",
            Role::Checkpoint => "checkpoint",
            Role::Inspector => "inspector",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Hq => "指挥部",
            Role::GridLeader => "网格长",
            Role::GridMember => "网格员",
            Role::Checkpoint => "卡点",
            Role::Inspector => "督查",
        }
    }

    /// Whether this role may do what `permission` allows: the one table of roles and
    /// operations (README's Roles section is tested against it).
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ReadRoster => !matches!(self, Checkpoint),
            WriteRoster | ManageCheckpoints | TraceContacts => matches!(self, Admin | Hq | GridLeader),
            ManageAccounts | ReadAudit => self == Admin,
            Screen => matches!(self, Admin | Hq | GridLeader | GridMember),
            Command => matches!(self, Admin | Hq),
            LogPassages | ReadTrajectories => matches!(self, Admin | Hq | GridLeader | Checkpoint),
            HoldHouseholds => matches!(self, GridMember | GridLeader),
        }
    }

    /// Households and residents: the roster of the subtree.
    pub fn reads_roster(self) -> bool {
        self.may(Permission::ReadRoster)
    }

    pub fn writes_roster(self) -> bool {
        self.may(Permission::WriteRoster)
    }

    pub fn manages_accounts(self) -> bool {
        self.may(Permission::ManageAccounts)
    }

    pub fn reads_audit(self) -> bool {
        self.may(Permission::ReadAudit)
    }

    pub fn screens(self) -> bool {
        self.may(Permission::Screen)
    }

    pub fn commands(self) -> bool {
        self.may(Permission::Command)
    }

    pub fn manages_checkpoints(self) -> bool {
        self.may(Permission::ManageCheckpoints)
    }

    pub fn logs_passages(self) -> bool {
        self.may(Permission::LogPassages)
    }

    pub fn reads_trajectories(self) -> bool {
        self.may(Permission::ReadTrajectories)
    }

    pub fn traces_contacts(self) -> bool {
        self.may(Permission::TraceContacts)
    }

    pub fn holds_households(self) -> bool {
        self.may(Permission::HoldHouseholds)
    }
}

/// What an operation needs beyond a login. Every account acts only inside its own subtree;
/// these say which kinds of work each role does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Households, residents, returnees, rounds and their coverage, isolation orders,
    /// check-ins, organisations' staff, escalations.
    ReadRoster,
    /// Units, households and residents, roster imports, 包联, isolation orders, organisations.
    WriteRoster,
    /// Registering returnees, visiting households, follow-ups, check-ins, staff lists and links.
    Screen,
    /// Declaring key areas and opening screening rounds: command HQ's work.
    Command,
    /// Setting up checkpoints, their shifts and posters.
    ManageCheckpoints,
    /// Logging passages and confirming self-registrations.
    LogPassages,
    /// A person's passages across checkpoints on a time line.
    ReadTrajectories,
    /// Contact lists and turning them into screening tasks.
    TraceContacts,
    /// Holding households (包联): grid members, and leaders who hold some themselves.
    HoldHouseholds,
    ManageAccounts,
    ReadAudit,
}

impl Permission {
    pub const ALL: [Permission; 11] = [
        Permission::ReadRoster,
        Permission::WriteRoster,
        Permission::Screen,
        Permission::Command,
        Permission::ManageCheckpoints,
        Permission::LogPassages,
        Permission::ReadTrajectories,
        Permission::TraceContacts,
        Permission::HoldHouseholds,
        Permission::ManageAccounts,
        Permission::ReadAudit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ReadRoster => "read_roster",
            Permission::WriteRoster => "write_roster",
            Permission::Screen => "screen",
            Permission::Command => "command",
            Permission::ManageCheckpoints => "manage_checkpoints",
            Permission::LogPassages => "log_passages",
            Permission::ReadTrajectories => "read_trajectories",
            Permission::TraceContacts => "trace_contacts",
            Permission::HoldHouseholds => "hold_households",
            Permission::ManageAccounts => "manage_accounts",
            Permission::ReadAudit => "read_audit",
        }
    }

    /// The table as README's Roles section shows it: a row per permission, a column per role.
    pub fn markdown_table() -> String {
        let mut table = String::from("| permission |");
        for role in Role::ALL {
            table.push_str(&format!(" {} |", role.as_str()));
        }
        table.push_str("\n|---|");
        table.push_str(&"---|".repeat(Role::ALL.len()));
        for permission in Permission::ALL {
            table.push_str(&format!("\n| `{}` |", permission.as_str()));
            for role in Role::ALL {
                table.push_str(if role.may(permission) { " ✓ |" } else { "  |" });
            }
        }
        table
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Login, DomainError> {
        let login = raw.trim();
        if login.is_empty() {
            return Err(DomainError::invalid("login", Reason::Empty));
        }
        if login.len() > 64 {
            return Err(DomainError::invalid("login", Reason::TooLong(64)));
        }
        if !login.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@')) {
            return Err(DomainError::invalid("login", Reason::BadCharacters));
        }
        Ok(Login(login.to_ascii_lowercase()))
    }

    /// Stands for a login that does not parse, which no account can have (it starts with `!`):
    /// attempts with one are throttled and audited like any other. Keeps what can be shown of
    /// it, at most 64 characters.
    pub fn unusable(raw: &str) -> Login {
        let shown: String = raw.chars().filter(|c| c.is_ascii_graphic()).take(63).collect();
        Login(format!("!{}", shown.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The least length of a password, in characters.
pub const PASSWORD_MIN: usize = 10;

/// Passwords people choose first, refused whatever else they pass (compared ignoring case).
const COMMON_PASSWORDS: &[&str] = &[
    "password123",
    "password1234",
    "password12345",
    "passw0rd123",
    "p@ssw0rd123",
    "p@ssword123",
    "password!!",
    "password01",
    "1234567890",
    "12345678910",
    "0123456789",
    "1234567890a",
    "a1234567890",
    "a123456789",
    "123456789a",
    "abc1234567",
    "abcd123456",
    "abc123456789",
    "aa123456789",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "qwe1234567",
    "1qaz2wsx3edc",
    "1qaz@wsx3edc",
    "zaq12wsxcde3",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "asdf123456",
    "asd1234567",
    "zxcvbnm123",
    "admin12345",
    "admin123456",
    "administrator",
    "admin@12345",
    "iloveyou123",
    "welcome123",
    "welcome1234",
    "letmein123",
    "changeme123",
    "woaini1314",
    "woaini520",
    "5201314520",
    "qq123456789",
    "wangge123",
    "wangge2020",
    "wangge1234",
];

/// Words people build passwords on, checked with the digits and signs around them taken off.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "qwerty",
    "qwertyuiop",
    "asdf",
    "asdfgh",
    "zxcvbnm",
    "abc",
    "abcd",
    "abcdef",
    "admin",
    "administrator",
    "root",
    "welcome",
    "letmein",
    "changeme",
    "iloveyou",
    "woaini",
    "wangge",
    "wanggedemo",
    "china",
    "zhongguo",
    "test",
    "user",
    "login",
    "sunshine",
    "monkey",
    "dragon",
    "huawei",
    "football",
    "baseball",
    "master",
    "shadow",
    "superman",
    "princess",
    "hello",
    "love",
    "secret",
    "abcd",
    "zhang",
    "wang",
    "liu",
    "chen",
    "yang",
    "zhao",
    "huang",
    "zhou",
    "wu",
];

/// Whether a new password is good enough: at least 10 characters, not all of one kind
/// (letters, digits, other signs), and not one of the passwords people choose first.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.len() > 1024 {
        return Err(DomainError::invalid("password", Reason::TooLong(1024)));
    }
    if password.chars().count() < PASSWORD_MIN {
        return Err(DomainError::invalid("password", Reason::PasswordTooShort(PASSWORD_MIN)));
    }
    let kind = |c: char| {
        if c.is_alphabetic() {
            0
        } else if c.is_numeric() {
            1
        } else {
            2
        }
    };
    let first = password.chars().next().map(kind);
    if password.chars().all(|c| Some(kind(c)) == first) {
        return Err(DomainError::invalid("password", Reason::PasswordOneKind));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 {
        return Err(DomainError::invalid("password", Reason::PasswordOneKind));
    }
    let lower = folded(password);
    let plain = letters(&lower, false);
    // Few letters: the rest must not be a run of digits, and the whole not a handful of keys.
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    let digit_run = digits.len() >= 6 && ("01234567890".contains(&digits) || "09876543210".contains(&digits));
    let too_few_letters = plain.chars().count() < 4 && (distinct.len() < 8 || digit_run);
    if COMMON_PASSWORDS.contains(&lower.trim()) || too_few_letters || guessable(&plain) || guessable(&letters(&lower, true)) {
        return Err(DomainError::invalid("password", Reason::PasswordCommon));
    }
    Ok(())
}

/// A password as guessing tools see it: NFKC (full-width, circled and mathematical letters
/// and digits as their plain twins), lower case.
fn folded(password: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    password.nfkc().collect::<String>().to_lowercase()
}

/// The letters of a password, digits and signs taken out; `leet` reads 0 as o, @ as a, $ as s…
fn letters(lower: &str, leet: bool) -> String {
    lower
        .chars()
        .filter_map(|c| match c {
            '0' if leet => Some('o'),
            '1' | '!' if leet => Some('i'),
            '3' if leet => Some('e'),
            '4' | '@' if leet => Some('a'),
            '5' | '$' if leet => Some('s'),
            '7' if leet => Some('t'),
            c if c.is_alphabetic() => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether a password's letters are what guessing tools try first: too few, a common word (or
/// one repeated, or with up to three letters added), or a run along the alphabet or a keyboard.
fn guessable(letters: &str) -> bool {
    if letters.is_empty() {
        return false;
    }
    let repeats = |word: &str| letters.len().is_multiple_of(word.len()) && letters == word.repeat(letters.len() / word.len());
    let near = |word: &str| (letters.starts_with(word) || letters.ends_with(word)) && letters.len() <= word.len() + 3;
    COMMON_WORDS.iter().any(|word| repeats(word) || near(word)) || walked(letters) || made_of_words(letters)
}

/// Rows, columns and the alphabet, along which guessing tools walk (either way).
const RUNS: [&str; 5] = ["abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qazwsxedcrfvtgbyhnujmikolp"];

/// Whether the letters are walks of three or more keys along the alphabet or a keyboard's rows
/// or columns, one after another (qwer, poiuytrewq, qweasdzxc, 1qaz2wsx, abcabc).
fn walked(letters: &str) -> bool {
    let next = |a: char, b: char| RUNS.iter().any(|run| run.find(a).zip(run.find(b)).is_some_and(|(i, j)| i.abs_diff(j) == 1));
    let chars: Vec<char> = letters.chars().collect();
    let mut start = 0;
    for i in 1..=chars.len() {
        if i == chars.len() || !next(chars[i - 1], chars[i]) {
            if i - start < 3 {
                return false;
            }
            start = i;
        }
    }
    !chars.is_empty()
}

/// Whether the letters are common words one after another (adminwangge, passwordqwerty).
fn made_of_words(letters: &str) -> bool {
    let mut reachable = vec![false; letters.len() + 1];
    reachable[0] = true;
    for i in 0..letters.len() {
        if reachable[i] {
            for word in COMMON_WORDS.iter().filter(|w| w.len() >= 3) {
                if letters[i..].starts_with(word) {
                    reachable[i + word.len()] = true;
                }
            }
        }
    }
    letters.len() >= 3 && reachable[letters.len()]
}

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

/// Who is acting, over which subtree, and when: every storage call about people takes one.
#[derive(Debug, Clone)]
pub struct Caller {
    pub login: String,
    pub role: Role,
    pub scope: UnitPath,
    pub now: DateTime<Utc>,
}

impl Caller {
    /// A member of the public acting through a poster or a personal link, over one unit.
    /// The audit log names them `public`; they hold no role of their own, so the least one.
    pub fn public(scope: UnitPath, now: DateTime<Utc>) -> Caller {
        Caller { login: "public".into(), role: Role::Checkpoint, scope, now }
    }

    pub fn require(&self, allowed: bool, what: &'static str) -> Result<(), DomainError> {
        if allowed { Ok(()) } else { Err(DomainError::NotAllowed(what)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README's Roles section shows the table the code enforces.
    #[test]
    fn readme_shows_the_role_table() {
        let readme = include_str!("../../README.md");
        let table = Permission::markdown_table();
        assert!(readme.contains(&table), "README's Roles section must contain the table of roles, as it is now:\n{table}");
    }

    fn reason(password: &str) -> Option<Reason> {
        match check_password(password) {
            Ok(()) => None,
            Err(DomainError::Invalid { reason, .. }) => Some(reason),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn weak_passwords_are_refused_by_rule() {
        for short in ["12345678", "aaaaaaaa", "        ", "abc1234", "a1b2c3d4e"] {
            assert_eq!(reason(short), Some(Reason::PasswordTooShort(10)), "{short:?}");
        }
        for one_kind in ["aaaaaaaaaa", "abcdefghijkl", "1234567891", "          ", "!@#$%^&*()", "密码密码密码密码密码", "ABCDEFGHIJ"] {
            assert_eq!(reason(one_kind), Some(Reason::PasswordOneKind), "{one_kind:?}");
        }
        for repetitive in ["aaaaaaaaa1", "1111111111a", "         1", "\t\t\t\t\t\t\t\t\t1", "ａａａａａａａａａ1", "abababab12"] {
            assert_eq!(reason(repetitive), Some(Reason::PasswordOneKind), "{repetitive:?}");
        }
        for common in [
            "password123",
            "Password123",
            "1qaz2wsx3edc",
            "woaini1314",
            "ADMIN123456",
            "password12",
            "Password1!",
            "iloveyou12",
            "zhang12345",
            "1234567890a",
            "x-12345678",
            "ｐａｓｓｗｏｒｄ12",
            "Ｐａｓｓｗｏｒｄ１!",
            "P@ssw0rd12",
            "Passw0rd!!",
            "Pa$$word12",
            "Qwer1234!!",
            "1q2w3e4r!!",
            "qazwsx1234",
            "asdfghjkl1",
            "zhangwei123",
            "abc123abc123",
            "a1b2c3d4e5",
            "abcde12345",
            "passwordpassword1",
            "pass word12",
            "wangge-demo",
            "poiuytrewq1",
            "lkjhgfdsa12",
            "mnbvcxz123!",
            "zyxwvutsrq1",
            "qweasdzxc1",
            "qweasdzxc123",
            "zaq1xsw2cde3",
            "1qazxsw23edc",
            "1qaz!QAZ2wsx",
            "1234qwerQWER",
            "qwer1234QWER",
            "sunshine123",
            "monkey12345",
            "dragon1234!",
            "huawei12345",
            "admin-wangge1",
            "ℙ𝕒𝕤𝕤𝕨𝕠𝕣𝕕123",
            "ⓟⓐⓢⓢⓦⓞⓡⓓ123",
        ] {
            assert_eq!(reason(common), Some(Reason::PasswordCommon), "{common:?}");
        }
        assert_eq!(reason(&"a1".repeat(600)), Some(Reason::TooLong(1024)));
        // The tests' password and the ones the tests create accounts with (the demo's is public,
        // so refused for real accounts).
        for good in ["9#4$7&2*1@", "correct horse battery", "long enough", "another password", "a long password", "科尔沁区2020年春"] {
            assert_eq!(reason(good), None, "{good:?}");
        }
    }

    #[test]
    fn the_message_names_the_rule_in_both_languages() {
        use crate::domain::Lang;
        let err = check_password("aaaaaaaaaaaa").unwrap_err();
        assert!(err.message(Lang::En).contains("letters, digits, other signs"), "{}", err.message(Lang::En));
        assert!(err.message(Lang::Zh).contains("字母、数字、其他符号"), "{}", err.message(Lang::Zh));
        let err = check_password("short").unwrap_err();
        assert!(err.message(Lang::En).contains("at least 10 characters"));
        assert!(err.message(Lang::Zh).contains("至少 10 位"));
    }

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
