//! What a checkpoint's poster opens to the public (`/r/{token}`): the checkpoint's name, and
//! nothing beside it. The registration itself is `checkpoints::register_self`.

use super::{App, AppError};

/// The name of the checkpoint whose poster carries `token`, if the token is a current one.
pub async fn checkpoint_name(app: &App, token: &str) -> Result<Option<String>, AppError> {
    if !super::accounts::plausible_token(token) {
        return Ok(None);
    }
    Ok(app.store.checkpoint_by_token(token).await?.map(|c| c.name))
}
