//! The one place where errors become HTTP responses. Handlers return `HttpError`; its
//! response carries the error in an extension, and `render_errors`, which knows the
//! request's language and whether it came to the API or to a page, writes the body.

use axum::Json;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::app::AppError;
use crate::domain::{DomainError, Lang};

#[derive(Debug, Clone)]
pub enum HttpError {
    App(AppError),
    Unauthenticated,
    CsrfMismatch,
    BadRequest(String),
    /// A body past its route's limit, found while reading it.
    TooLarge,
    /// A request axum refused before any handler: no such route or method, or a body or query
    /// it could not read. `detail` is axum's own words, for programs (never shown on a page).
    Rejected {
        status: StatusCode,
        detail: String,
    },
}

impl From<AppError> for HttpError {
    fn from(err: AppError) -> HttpError {
        match err {
            AppError::Unauthenticated => HttpError::Unauthenticated,
            err => HttpError::App(err),
        }
    }
}

impl From<DomainError> for HttpError {
    fn from(err: DomainError) -> HttpError {
        AppError::from(err).into()
    }
}

impl HttpError {
    pub fn status(&self) -> StatusCode {
        match self {
            HttpError::Unauthenticated => StatusCode::UNAUTHORIZED,
            HttpError::CsrfMismatch => StatusCode::FORBIDDEN,
            HttpError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HttpError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::Rejected { status, .. } => *status,
            HttpError::App(err) => match err {
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::BadCredentials | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
                AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Domain(DomainError::NotAllowed(_)) => StatusCode::FORBIDDEN,
                AppError::Domain(_) | AppError::Rows(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    fn code(&self) -> &'static str {
        match self {
            HttpError::Unauthenticated => "unauthenticated",
            HttpError::CsrfMismatch => "csrf",
            HttpError::BadRequest(_) => "bad_request",
            HttpError::TooLarge => "too_large",
            HttpError::Rejected { status, .. } => match *status {
                StatusCode::NOT_FOUND => "not_found",
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                // A value of the wrong type (`"days": true`): invalid, as the API's 422 is documented.
                StatusCode::UNPROCESSABLE_ENTITY => "invalid",
                _ => "bad_request",
            },
            HttpError::App(err) => match err {
                AppError::NotFound => "not_found",
                AppError::BadCredentials => "bad_credentials",
                AppError::TooManyAttempts { .. } => "too_many_attempts",
                AppError::Unauthenticated => "unauthenticated",
                AppError::Domain(DomainError::NotAllowed(_)) => "forbidden",
                AppError::Domain(_) => "invalid",
                AppError::Rows(_) => "rejected_rows",
                AppError::Conflict(_) => "conflict",
                AppError::Internal(_) => "internal",
            },
        }
    }

    /// The `Retry-After` an answer carries, if any.
    pub fn retry_after(&self) -> Option<[(header::HeaderName, String); 1]> {
        match self {
            HttpError::App(AppError::TooManyAttempts { retry_after }) => Some([(header::RETRY_AFTER, retry_after.to_string())]),
            _ => None,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            HttpError::Unauthenticated => if zh { "请先登录" } else { "please log in" }.into(),
            HttpError::CsrfMismatch => if zh { "表单已过期，请刷新页面后重试" } else { "the form has expired; reload the page and try again" }.into(),
            HttpError::BadRequest(why) => why.clone(),
            HttpError::Rejected { status, .. } => match *status {
                StatusCode::NOT_FOUND => if zh { "没有这个页面" } else { "there is no such page" }.into(),
                StatusCode::PAYLOAD_TOO_LARGE => if zh { "提交的内容太大" } else { "what was sent is too large" }.into(),
                _ => if zh {
                    "请求无法读取，请检查填写的内容后重试"
                } else {
                    "the request could not be read; check what was filled in and try again"
                }
                .into(),
            },
            HttpError::TooLarge => {
                if zh {
                    "文件太大".into()
                } else {
                    "the file is too large".into()
                }
            }
            HttpError::App(err) => match err {
                AppError::NotFound => if zh { "找不到，或不在您的管辖范围内" } else { "not found, or outside your area" }.into(),
                AppError::BadCredentials => if zh { "账号或密码错误" } else { "wrong login or password" }.into(),
                AppError::TooManyAttempts { retry_after } => {
                    let wait = wait_words(*retry_after, lang);
                    if zh { format!("登录失败次数过多，请 {wait}后再试") } else { format!("too many failed logins; try again in {wait}") }
                }
                AppError::Unauthenticated => HttpError::Unauthenticated.message(lang),
                AppError::Domain(err) => err.message(lang),
                AppError::Rows(rows) => {
                    // A file's rows or a request's records: nothing of either was saved.
                    match (zh, rows.len()) {
                        (true, n) => format!("有 {n} 处错误，未保存任何数据"),
                        (false, 1) => "1 problem; nothing was saved".to_string(),
                        (false, n) => format!("{n} problems; nothing was saved"),
                    }
                }
                AppError::Conflict(what) => conflict_message(what, lang),
                AppError::Internal(_) => if zh { "服务器内部错误，请稍后再试" } else { "internal error; please try again later" }.into(),
            },
        }
    }
}

/// What is already there, as the person who typed it would say it.
pub fn conflict_message(what: &str, lang: Lang) -> String {
    let (zh, en) = match what {
        "login" => ("这个账号名已被使用，请换一个", "That login is taken; choose another."),
        "household number" => ("这个户号在本单位已存在", "That household number is already used in this unit."),
        "unit code" => ("这个编码已存在", "That unit code already exists."),
        "ID number" => ("这个身份证号已登记在本单位的另一个人名下", "That ID number is already registered to someone else here."),
        "an isolation order for this resident" => ("此人已有进行中的隔离", "This person is already under an isolation order."),
        "id" => ("这个 id 已被另一条记录或另一个请求使用", "That id is taken by another record or another request."),
        other => return if lang == Lang::Zh { "已存在，不能重复登记".into() } else { format!("Already exists: {other}.") },
    };
    if lang == Lang::Zh { zh.into() } else { en.into() }
}

/// A wait in words: seconds under a minute, else minutes rounded up.
fn wait_words(seconds: u64, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match seconds {
        0..60 => {
            if zh {
                format!("{seconds} 秒")
            } else if seconds == 1 {
                "1 second".into()
            } else {
                format!("{seconds} seconds")
            }
        }
        _ => {
            let minutes = seconds.div_ceil(60);
            if zh {
                format!("{minutes} 分钟")
            } else if minutes == 1 {
                "1 minute".into()
            } else {
                format!("{minutes} minutes")
            }
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// What every API error answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `unauthenticated`, `forbidden`, `not_found`, `invalid`, `conflict`, …
    pub error: &'static str,
    /// What went wrong, in the request's language (`Accept-Language` or the `lang` cookie).
    pub message: String,
    /// What could not be read, when the request itself was malformed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Each bad row of a table (an import, a batch), when there are any: nothing was saved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowErrorBody>,
    /// Seconds to wait before trying to log in again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// One bad row of a table.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RowErrorBody {
    /// The row as the file or the array counts it (the first data row is 1).
    pub row: usize,
    pub column: Option<&'static str>,
    pub message: String,
}

/// Writes the body of every error response, in the request's language.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = super::auth::request_lang(request.headers());
    let api = request.uri().path().starts_with("/api/");
    let target = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
    let mut response = next.run(request).await;
    let err = match response.extensions_mut().remove::<HttpError>() {
        Some(err) => err,
        None => match rejected(response).await {
            Ok(err) => err,
            Err(response) => return response,
        },
    };
    if let HttpError::App(AppError::Internal(detail)) = &err {
        tracing::error!(%target, %detail, "internal error");
    }
    if api {
        let body = ErrorBody {
            error: err.code(),
            message: err.message(lang),
            detail: match &err {
                HttpError::Rejected { detail, .. } => Some(plain_detail(detail, lang)),
                _ => None,
            },
            errors: match &err {
                HttpError::App(AppError::Rows(rows)) => rows.iter().map(|r| RowErrorBody { row: r.row, column: r.column, message: r.message(lang) }).collect(),
                _ => Vec::new(),
            },
            retry_after: match &err {
                HttpError::App(AppError::TooManyAttempts { retry_after }) => Some(*retry_after),
                _ => None,
            },
        };
        return (err.status(), err.retry_after(), Json(body)).into_response();
    }
    if matches!(err, HttpError::Unauthenticated) {
        return Redirect::to(&format!("/login?next={}", super::pages::url_encode(&target))).into_response();
    }
    let page = super::pages::error_page(lang, &err);
    (err.status(), err.retry_after(), [(header::CACHE_CONTROL, "no-store")], Html(page)).into_response()
}

/// An error answer that no handler made (axum's rejections and its empty 404), as an
/// `HttpError`, so that it too is a page in the user's language or the API's JSON; any other
/// response is given back.
async fn rejected(response: Response) -> Result<HttpError, Response> {
    let status = response.status();
    let plain = response.headers().get(header::CONTENT_TYPE).is_none_or(|t| t.to_str().is_ok_and(|t| t.starts_with("text/plain")));
    if !status.is_client_error() || !plain {
        return Err(response);
    }
    let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap_or_default();
    Ok(HttpError::Rejected { status, detail: String::from_utf8_lossy(&body).into_owned() })
}

/// What a request that could not be read got wrong, in the user's words: which field, and
/// what it should be. axum's and serde's own wording (Rust types, "deserialize", positions in
/// the text) never reaches the answer.
fn plain_detail(raw: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let (source, rest) = if let Some(rest) = raw.strip_prefix("Failed to deserialize the JSON body into the target type: ") {
        ("body", rest)
    } else if let Some(rest) = raw.strip_prefix("Failed to deserialize query string: ") {
        ("query", rest)
    } else if let Some(rest) = raw.strip_prefix("Failed to deserialize form body: ") {
        ("body", rest)
    } else if raw.starts_with("Failed to parse the request body as JSON") || raw.starts_with("Failed to deserialize the JSON body") {
        return (if zh { "请求内容不是有效的 JSON" } else { "the body is not valid JSON" }).into();
    } else if raw.contains("Content-Type") {
        return (if zh { "请求内容应为 JSON（Content-Type: application/json）" } else { "the body must be JSON (Content-Type: application/json)" }).into();
    } else if raw.starts_with("Failed to buffer the request body") || raw.contains("length limit") {
        return (if zh { "请求内容过大" } else { "the body is too large" }).into();
    } else if raw == "This request takes no body" {
        return (if zh { "这个请求不带内容（请求体应为空）" } else { "this request takes no body" }).into();
    } else if raw.starts_with("Invalid URL") || raw.starts_with("Wrong number of path arguments") {
        return (if zh { "地址有误" } else { "the address is not valid" }).into();
    } else {
        return (if zh { "请求无法读取" } else { "the request could not be read" }).into();
    };
    // "field: problem at line 1 column 5", or just "problem" for the whole.
    let rest = rest.split(" at line ").next().unwrap_or(rest);
    let (field, problem) = match rest.split_once(": ") {
        Some((field, problem)) if !field.contains(' ') => (Some(field), problem),
        _ => (None, rest),
    };
    if let Some(missing) = problem.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        return if zh { format!("缺少字段 `{missing}`") } else { format!("`{missing}` is missing") };
    }
    if let Some(rest) = problem.strip_prefix("unknown field `") {
        let (unknown, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let known = rest.split_once("expected one of ").or_else(|| rest.split_once("expected ")).map(|(_, known)| known);
        let what = match (source, zh) {
            ("query", true) => format!("地址中不认识的参数 `{unknown}`"),
            ("query", false) => format!("unknown parameter `{unknown}` in the address"),
            (_, true) => format!("不认识的字段 `{unknown}`"),
            (_, false) => format!("unknown field `{unknown}`"),
        };
        return match (known, zh) {
            (Some(known), true) => format!("{what}（可用：{known}）"),
            (Some(known), false) => format!("{what} (known: {known})"),
            (None, true) => format!("{what}（这里不接受任何参数）"),
            (None, false) => format!("{what} (none are taken here)"),
        };
    }
    if problem.starts_with("unknown variant") {
        let choices = problem.split_once("expected ").map_or("", |(_, c)| c);
        return match (field, zh) {
            (Some(f), true) => format!("`{f}` 应为其中之一：{choices}"),
            (Some(f), false) => format!("`{f}` must be one of {choices}"),
            (None, true) => format!("应为其中之一：{choices}"),
            (None, false) => format!("must be one of {choices}"),
        };
    }
    let wanted = if let Some((_, expected)) = problem.split_once(", expected ") {
        Some(match expected {
            e if e.starts_with('u') || e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) => {
                if zh {
                    "整数"
                } else {
                    "a whole number"
                }
            }
            e if e.starts_with('f') => {
                if zh {
                    "数字"
                } else {
                    "a number"
                }
            }
            e if e.contains("bool") => {
                if zh {
                    "true 或 false"
                } else {
                    "true or false"
                }
            }
            e if e.contains("string") || e.contains("UUID") || e.contains("uuid") => {
                if zh {
                    "文本"
                } else {
                    "text"
                }
            }
            e if e.contains("sequence") => {
                if zh {
                    "列表"
                } else {
                    "a list"
                }
            }
            _ => {
                if zh {
                    "另一种值"
                } else {
                    "another kind of value"
                }
            }
        })
    } else if problem.contains("number too large") || problem.contains("invalid digit") || problem.contains("cannot parse integer") {
        Some(if zh { "0 到 4294967295 之间的整数" } else { "a whole number from 0 to 4294967295" })
    } else {
        None
    };
    let place = if source == "query" {
        if zh { "地址参数" } else { "the address's parameter" }
    } else if zh {
        "字段"
    } else {
        "field"
    };
    match (field, wanted, zh) {
        (Some(f), Some(w), true) => format!("{place} `{f}` 应为{w}"),
        (Some(f), Some(w), false) => format!("{place} `{f}` must be {w}"),
        (Some(f), None, true) => format!("{place} `{f}` 无法读取"),
        (Some(f), None, false) => format!("{place} `{f}` could not be read"),
        (None, Some(w), true) => format!("应为{w}"),
        (None, Some(w), false) => format!("must be {w}"),
        (None, None, true) => "请求无法读取".into(),
        (None, None, false) => "the request could not be read".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What axum and serde say, and what the answer says instead.
    #[test]
    fn a_request_that_cannot_be_read_is_told_in_plain_words() {
        let cases = [
            (
                "Failed to deserialize the JSON body into the target type: temperature: invalid type: string \"hot\", expected f64 at line 1 column 20",
                "field `temperature` must be a number",
            ),
            ("Failed to deserialize the JSON body into the target type: missing field `login` at line 1 column 2", "`login` is missing"),
            (
                "Failed to deserialize query string: offset: number too large to fit in target type",
                "the address's parameter `offset` must be a whole number from 0 to 4294967295",
            ),
            (
                "Failed to deserialize query string: limit: invalid digit found in string",
                "the address's parameter `limit` must be a whole number from 0 to 4294967295",
            ),
            (
                "Failed to deserialize the JSON body into the target type: direction: unknown variant `sideways`, expected `in` or `out` at line 1 column 9",
                "`direction` must be one of `in` or `out`",
            ),
            ("Failed to parse the request body as JSON: key must be a string at line 1 column 2", "the body is not valid JSON"),
            ("Failed to buffer the request body: length limit exceeded", "the body is too large"),
            (
                "Failed to deserialize the JSON body into the target type: days: invalid type: string \"14\", expected u32 at line 1 column 9",
                "field `days` must be a whole number",
            ),
            (
                "Failed to deserialize the JSON body into the target type: unknown field `temprature`, expected one of `resident_id`, `temperature` at line 1 column 14",
                "unknown field `temprature` (known: `resident_id`, `temperature`)",
            ),
            (
                "Failed to deserialize the JSON body into the target type: items[0]: unknown field `x`, there are no fields at line 1 column 14",
                "unknown field `x` (none are taken here)",
            ),
            ("Failed to deserialize query string: unknown field `unit_code`, expected `unit`", "unknown parameter `unit_code` in the address (known: `unit`)"),
            ("something else entirely", "the request could not be read"),
        ];
        for (raw, plain) in cases {
            assert_eq!(plain_detail(raw, Lang::En), plain, "{raw}");
        }
        assert_eq!(plain_detail(cases[0].0, Lang::Zh), "字段 `temperature` 应为数字");
        for (raw, _) in cases {
            let told = plain_detail(raw, Lang::En);
            for internal in ["deserialize", "target type", "buffer", "invalid type", "f64", "u32", "line 1"] {
                assert!(!told.contains(internal), "{told}");
            }
        }
    }
}
