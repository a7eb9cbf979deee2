//! Accounts, roles and what each role may do. Every account acts over one scope unit
//! and its subtree; the storage layer filters people's data by that scope.

use chrono::{DateTime, Utc};
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
            ConfirmReports => matches!(self, Hq | GridLeader),
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

    /// Whether an account of this role may be named a unit's leader (网格长) or member (网格员):
    /// alerts about the unit's residents go to its leader, so only those whose work it is.
    pub fn may_be_staff(self, leader: bool) -> bool {
        if leader { self == Role::GridLeader } else { self.holds_households() }
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
    /// Declaring key areas, opening screening rounds and drawing units' boundaries: command
    /// HQ's work.
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
    /// Confirming the caller's own unit's day (日报告、零报告): the one answerable for it, its
    /// leader or HQ; an administrator or inspector attests to nothing.
    ConfirmReports,
    ManageAccounts,
    ReadAudit,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::ReadRoster,
        Permission::WriteRoster,
        Permission::Screen,
        Permission::Command,
        Permission::ManageCheckpoints,
        Permission::LogPassages,
        Permission::ReadTrajectories,
        Permission::TraceContacts,
        Permission::HoldHouseholds,
        Permission::ConfirmReports,
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
            Permission::ConfirmReports => "confirm_reports",
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
}
