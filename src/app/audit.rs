//! The audit log: who read or wrote what, when (administrators read it).

use super::{App, AppError};
use crate::domain::{Caller, Permission};
pub use crate::store::AuditEntry;

/// The entries about records in the caller's subtree, newest first, before the entry `before`.
pub async fn log(app: &App, caller: &Caller, before: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>, AppError> {
    caller.require(caller.role.may(Permission::ReadAudit), "read the audit log")?;
    Ok(app.store.audit_log(&caller.scope, before, limit).await?)
}
