//! Accounts, roles and what each role may do. Every account acts over one scope unit
//! and its subtree; the storage layer filters people's data by that scope.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::{DomainError, Reason};
use super::unit::UnitPath;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Hq,
    GridLeader,
    GridMember,
    Checkpoint,
    Inspector,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Admin, Role::Hq, Role::GridLeader, Role::GridMember, Role::Checkpoint, Role::Inspector];

    pub fn parse(raw: &str) -> Result<Role, DomainError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or(DomainError::invalid("role", Reason::UnknownRole))
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

    /// Households and residents: the roster of the subtree.
    pub fn reads_roster(self) -> bool {
        !matches!(self, Role::Checkpoint)
    }

    /// Creating units, households and residents; importing rosters; assigning 包联.
    pub fn writes_roster(self) -> bool {
        matches!(self, Role::Admin | Role::Hq | Role::GridLeader)
    }

    pub fn manages_accounts(self) -> bool {
        self == Role::Admin
    }

    pub fn reads_audit(self) -> bool {
        self == Role::Admin
    }

    /// Registering returnees and visiting households in screening rounds.
    pub fn screens(self) -> bool {
        matches!(self, Role::Admin | Role::Hq | Role::GridLeader | Role::GridMember)
    }

    /// Declaring key areas and opening screening rounds: command HQ's work.
    pub fn commands(self) -> bool {
        matches!(self, Role::Admin | Role::Hq)
    }

    /// Setting up checkpoints, their shifts and posters.
    pub fn manages_checkpoints(self) -> bool {
        matches!(self, Role::Admin | Role::Hq | Role::GridLeader)
    }

    /// Logging passages and confirming self-registrations.
    pub fn logs_passages(self) -> bool {
        matches!(self, Role::Admin | Role::Hq | Role::GridLeader | Role::Checkpoint)
    }

    /// Trajectories and contact lists: tracing a case.
    pub fn traces_contacts(self) -> bool {
        matches!(self, Role::Admin | Role::Hq | Role::GridLeader)
    }

    /// A member holds households (包联) — grid members, and leaders who hold some themselves.
    pub fn holds_households(self) -> bool {
        matches!(self, Role::GridMember | Role::GridLeader)
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

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < 8 {
        return Err(DomainError::invalid("password", Reason::PasswordTooShort));
    }
    if password.len() > 1024 {
        return Err(DomainError::invalid("password", Reason::TooLong(1024)));
    }
    Ok(())
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
