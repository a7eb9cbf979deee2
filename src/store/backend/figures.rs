//! The records behind each of the dashboard's figures (`CommandStore::figure_records`): each
//! figure's rows are chosen by the conditions `command::count_figures` counts with, so the
//! list a figure opens holds as many records as the figure says (tests/it/figure_links.rs).

use sqlx::QueryBuilder;
use uuid::Uuid;

use super::Db;
use crate::domain::trends::Metric;
use crate::domain::{Target, TargetKind, UnitPath};
use crate::store::command::{Day, FigureRecord};
use crate::store::scope::Scope;
use crate::store::{StoreError, StoreResult};

/// What one figure's rows are: the columns (title, detail, at, target kind, target id), and
/// `FROM … WHERE` up to the subtree's condition, which `push_from` appends.
struct Source {
    columns: &'static str,
    from: &'static str,
    path_column: &'static str,
    /// When a flow's fact happened, for the day's bounds.
    time_column: &'static str,
    order: &'static str,
}

const HOUSEHOLDS: Source = Source {
    columns: "h.household_no || ' ' || h.head_name, h.address, h.created_at, 'household', h.id",
    from: "households h JOIN units u ON u.code = h.unit_code WHERE TRUE",
    path_column: "h.unit_path",
    time_column: "h.created_at",
    order: "h.unit_path, h.household_no, h.id",
};

const RESIDENTS: Source = Source {
    columns: "r.name, h.household_no || ' ' || h.head_name, r.created_at, 'household', h.id",
    from: "residents r JOIN households h ON h.id = r.household_id JOIN units u ON u.code = h.unit_code WHERE TRUE",
    path_column: "r.unit_path",
    time_column: "r.created_at",
    order: "r.unit_path, h.household_no, r.id",
};

const RETURNEES: Source = Source {
    columns: "r.name, t.origin, t.arrived_at, 'household', t.household_id",
    from: "returnees t JOIN residents r ON r.id = t.resident_id JOIN households h ON h.id = t.household_id JOIN units u ON u.code = h.unit_code WHERE t.arrived_at < ",
    path_column: "t.unit_path",
    time_column: "t.arrived_at",
    order: "t.arrived_at DESC, t.id",
};

const ISOLATIONS: Source = Source {
    columns: "r.name, h.address, i.starts_at, 'isolation', i.id",
    from: "isolations i JOIN residents r ON r.id = i.resident_id JOIN households h ON h.id = i.household_id JOIN units u ON u.code = h.unit_code WHERE i.starts_at < ",
    path_column: "i.unit_path",
    time_column: "i.starts_at",
    order: "i.starts_at DESC, i.id",
};

const FOLLOWUPS: Source = Source {
    columns: "r.name, f.note, f.at, 'isolation', i.id",
    from: "followups f JOIN isolations i ON i.id = f.isolation_id JOIN residents r ON r.id = i.resident_id \
           JOIN households h ON h.id = i.household_id JOIN units u ON u.code = h.unit_code WHERE f.at >= ",
    path_column: "f.unit_path",
    time_column: "f.at",
    order: "f.at DESC, f.id",
};

const CHECKINS: Source = Source {
    columns: "r.name, c.place, c.at, 'household', c.household_id",
    from: "checkins c JOIN residents r ON r.id = c.resident_id JOIN households h ON h.id = c.household_id JOIN units u ON u.code = h.unit_code WHERE c.day = ",
    path_column: "c.unit_path",
    time_column: "c.at",
    order: "c.unit_path, h.household_no, r.id",
};

const PASSAGES: Source = Source {
    columns: "COALESCE(p.name, p.plate, ''), k.name, p.at, CASE WHEN p.person_id IS NULL THEN 'checkpoint' ELSE 'person' END, COALESCE(p.person_id, p.checkpoint_id)",
    from: "passages p JOIN checkpoints k ON k.id = p.checkpoint_id JOIN units u ON u.code = k.unit_code WHERE p.at >= ",
    path_column: "p.unit_path",
    time_column: "p.at",
    order: "p.at DESC, p.id",
};

const REGISTRATIONS: Source = Source {
    columns: "COALESCE(g.name, g.plate, ''), k.name, g.at, 'checkpoint', g.checkpoint_id",
    from: "registrations g JOIN checkpoints k ON k.id = g.checkpoint_id JOIN units u ON u.code = k.unit_code WHERE g.passage_id IS NULL",
    path_column: "g.unit_path",
    time_column: "g.at",
    order: "g.at DESC, g.id",
};

const ALERTS: Source = Source {
    // Alerts from before targets were kept have an empty one.
    columns: "l.subject, NULL, l.created_at, l.target_kind, CASE WHEN l.target_kind = '' THEN NULL ELSE l.target_id END",
    from: "alerts l JOIN units u ON u.path = l.unit_path WHERE l.kind <> 'escalation'",
    path_column: "l.unit_path",
    time_column: "l.created_at",
    order: "l.created_at DESC, l.id",
};

const ESCALATIONS: Source = Source {
    columns: "COALESCE(l.subject, e.kind), e.kind, e.at, COALESCE(l.target_kind, ''), l.target_id",
    from: "escalations e LEFT JOIN alerts l ON l.id = e.alert_id JOIN units u ON u.path = e.unit_path WHERE e.at >= ",
    path_column: "e.unit_path",
    time_column: "e.at",
    order: "e.at DESC, e.subject, e.step",
};

/// Appends `FROM …` with the metric's conditions for the day and the subtree of `path`; the
/// source it read from.
fn push_from(q: &mut QueryBuilder<Db>, metric: Metric, day: Day, fever: f64, path: &UnitPath, columns: bool) -> &'static Source {
    use Metric::*;
    // Flows count [from, to); stocks stand at `at` (the day's end, or now): as count_figures.
    let (from, to, at) = (day.starts, day.ends, day.until);
    let source = match metric {
        Households | Red | Yellow | Blue | White => &HOUSEHOLDS,
        Residents | CheckinsExpected => &RESIDENTS,
        ReturneesArrived | ReturneesInObservation | ReturneesFromKeyAreas => &RETURNEES,
        IsolatedHome | IsolatedCentral | IsolationsStarted | IsolationsReleased | FollowupsDue | FollowupsOverdue => &ISOLATIONS,
        FollowupsDone => &FOLLOWUPS,
        CheckinsReported | CheckinsUnwell => &CHECKINS,
        PassagesIn | PassagesOut | TurnedBack | Referred | Fevers => &PASSAGES,
        RegistrationsPending => &REGISTRATIONS,
        AlertsOpen | AlertsAcknowledged => &ALERTS,
        AlertsEscalated => &ESCALATIONS,
    };
    if columns {
        q.push(source.columns).push(", u.code, u.name");
    } else {
        q.push("COUNT(*)");
    }
    q.push(" FROM ").push(source.from);
    match metric {
        ReturneesArrived | ReturneesInObservation | ReturneesFromKeyAreas => {
            q.push_bind(at);
        }
        IsolatedHome | IsolatedCentral | IsolationsStarted | IsolationsReleased | FollowupsDue | FollowupsOverdue => {
            q.push_bind(to);
        }
        FollowupsDone | PassagesIn | PassagesOut | TurnedBack | Referred | Fevers | AlertsEscalated => {
            q.push_bind(from).push(" AND ").push(source.time_column).push(" < ").push_bind(to);
        }
        CheckinsReported | CheckinsUnwell => {
            q.push_bind(day.date);
        }
        _ => {}
    }
    match metric {
        Red | Yellow | Blue | White => {
            let colour = match metric {
                Red => "red",
                Yellow => "yellow",
                Blue => "blue",
                _ => "white",
            };
            q.push(" AND h.colour = ").push_bind(colour);
        }
        ReturneesArrived => {
            q.push(" AND t.arrived_at >= ").push_bind(from);
        }
        ReturneesInObservation => {
            q.push(" AND t.observe_until > ").push_bind(at);
        }
        ReturneesFromKeyAreas => {
            q.push(" AND t.observe_until > ").push_bind(at).push(" AND t.from_key_area");
        }
        IsolatedHome | IsolatedCentral => {
            let kind = if metric == IsolatedHome { "home" } else { "central" };
            q.push(" AND i.kind = ").push_bind(kind).push(" AND i.starts_at <= ").push_bind(at);
            q.push(" AND (i.ended_at IS NULL OR i.ended_at > ").push_bind(at).push(") AND i.planned_end > ").push_bind(at);
        }
        IsolationsStarted => {
            q.push(" AND i.starts_at >= ").push_bind(from);
        }
        IsolationsReleased => {
            q.push(" AND i.ended_at >= ").push_bind(from).push(" AND i.ended_at < ").push_bind(to);
        }
        FollowupsDue | FollowupsOverdue => {
            q.push(" AND ");
            super::command::push_followup_condition(q, "i", day, metric == FollowupsDue);
        }
        CheckinsUnwell => {
            q.push(" AND c.status = 'unwell'");
        }
        PassagesIn => {
            q.push(" AND p.direction = 'in'");
        }
        PassagesOut => {
            q.push(" AND p.direction = 'out'");
        }
        TurnedBack => {
            q.push(" AND p.outcome = 'turned_back'");
        }
        Referred => {
            q.push(" AND p.outcome = 'referred'");
        }
        Fevers => {
            q.push(" AND p.temperature >= ").push_bind(fever);
        }
        AlertsOpen => {
            q.push(" AND l.created_at <= ").push_bind(at).push(" AND (l.acknowledged_at IS NULL OR l.acknowledged_at > ").push_bind(at).push(")");
        }
        AlertsAcknowledged => {
            q.push(" AND l.acknowledged_at >= ").push_bind(from).push(" AND l.acknowledged_at < ").push_bind(to);
        }
        _ => {}
    }
    q.push(" AND ");
    Scope::of(path).push_within(q, source.path_column);
    source
}

type Row = (String, Option<String>, chrono::DateTime<chrono::Utc>, String, Option<Uuid>, String, String);

impl super::SqlStore<Db> {
    pub(super) async fn figure_rows(
        &self,
        path: &UnitPath,
        metric: Metric,
        day: Day,
        fever: f64,
        offset: u32,
        limit: u32,
    ) -> StoreResult<(Vec<FigureRecord>, i64)> {
        let mut count = QueryBuilder::new("SELECT ");
        push_from(&mut count, metric, day, fever, path, false);
        let total: i64 = count.build_query_scalar().fetch_one(&self.reader).await?;
        let mut select = QueryBuilder::new("SELECT ");
        let source = push_from(&mut select, metric, day, fever, path, true);
        select.push(" ORDER BY ").push(source.order).push(" LIMIT ").push_bind(i64::from(limit)).push(" OFFSET ").push_bind(i64::from(offset));
        let rows: Vec<Row> = select.build_query_as().fetch_all(&self.reader).await?;
        let records = rows
            .into_iter()
            .map(|(title, detail, at, target_kind, target_id, unit_code, unit_name)| {
                // A report is a unit's day, not a page with an id: its alerts link to nothing here.
                let target = match (TargetKind::from_stored(&target_kind), target_id) {
                    (Ok(TargetKind::Report | TargetKind::Round), _) | (_, None) => None,
                    (Ok(kind), Some(id)) => Some(Target { kind, id, unit: None, day: None }),
                    (Err(_), Some(_)) if target_kind.is_empty() => None,
                    (Err(unknown), Some(_)) => return Err(StoreError::from(unknown)),
                };
                Ok(FigureRecord { title, detail: detail.filter(|d| !d.is_empty()), at, unit_code, unit_name, target })
            })
            .collect::<StoreResult<_>>()?;
        Ok((records, total))
    }
}
