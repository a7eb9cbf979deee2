//! What both doors share: a record's id and a unit's code read from a path (one that cannot be
//! one answers 404, as one outside the caller's area does), and the public links and QR codes
//! printed on posters and handed to households.

use axum::http::{HeaderMap, header};
use uuid::Uuid;

use crate::app::{App, AppError};
use crate::domain::{Target, TargetKind, UnitCode};
use crate::http::HttpError;

pub fn parse_id(raw: &str) -> Result<Uuid, HttpError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound.into())
}

pub fn unit_code(raw: &str) -> Result<UnitCode, HttpError> {
    UnitCode::parse(raw).map_err(|_| AppError::NotFound.into())
}

/// The full address of a public page (`/r/…` a poster opens, `/c/…` a household's check-in).
pub fn public_link(app: &App, headers: &HeaderMap, path: &str) -> String {
    let base = app.settings.public_url.clone().unwrap_or_else(|| {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        format!("http://{host}")
    });
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Whether the public links printed for this request would carry an address the public cannot
/// reach: no `--public-url`, and the browser's own address is this machine or a private network.
pub fn unreachable_public_link(app: &App, headers: &HeaderMap) -> bool {
    if app.settings.public_url.is_some() {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    match name.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback() || ip.is_unspecified() || (ip.segments()[0] & 0xfe00) == 0xfc00,
        Err(_) => name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local"),
    }
}

/// A QR code as SVG, big enough to print on A4 and scan from a metre away.
pub fn poster_svg(link: &str) -> Result<String, HttpError> {
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(400, 400).quiet_zone(true).build())
}

/// The page a task or alert points at (storage keeps only the kind and id of the record).
pub fn href(target: &Target) -> String {
    let id = target.id;
    match target.kind {
        TargetKind::Person => format!("/people/{id}"),
        TargetKind::Household => format!("/households/{id}"),
        TargetKind::Isolation => format!("/isolations/{id}"),
        TargetKind::Checkpoint => format!("/checkpoints/{id}"),
        TargetKind::Round => format!("/rounds/{id}?unit={}", target.unit.as_deref().unwrap_or_default()),
        TargetKind::Report => {
            format!("/units/{}/dashboard?date={}#signoff", target.unit.as_deref().unwrap_or_default(), target.day.map(|d| d.to_string()).unwrap_or_default())
        }
    }
}
