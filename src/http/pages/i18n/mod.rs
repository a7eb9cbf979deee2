//! The words of the pages in Chinese and English.

use crate::domain::{Colour, Lang, Level, Role};

mod words;

#[derive(Debug, Clone, Copy)]
pub struct Texts {
    pub lang: Lang,
}

impl Texts {
    pub fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// The other language, for the switch in the header.
    pub fn other(&self) -> (&'static str, &'static str) {
        if self.zh() { ("en", "English") } else { ("zh", "中文") }
    }

    pub fn level(&self, level: &Level) -> &'static str {
        if self.zh() { level.label_zh() } else { level.label_en() }
    }

    pub fn colour(&self, colour: &Colour) -> &'static str {
        if self.zh() { colour.label_zh() } else { colour.label_en() }
    }

    pub fn role(&self, role: &Role) -> &'static str {
        if self.zh() {
            role.label_zh()
        } else {
            match role {
                Role::Admin => "administrator",
                Role::Hq => "command HQ",
                Role::GridLeader => "grid leader",
                Role::GridMember => "grid member",
                Role::Checkpoint => "checkpoint staff",
                Role::Inspector => "inspector",
            }
        }
    }

    /// A stored time in the region's time zone.
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
    }

    pub fn sex(&self, sex: &str) -> &'static str {
        match (sex, self.zh()) {
            ("male", true) => "男",
            ("female", true) => "女",
            ("male", false) => "male",
            _ => {
                if self.zh() {
                    "女"
                } else {
                    "female"
                }
            }
        }
    }

    /// A relation to the head as typed on the roster, in English where it is a common one.
    pub fn relation<'a>(&self, relation: &'a str) -> &'a str {
        if self.zh() { relation } else { crate::domain::household::relation_in_english(relation).unwrap_or(relation) }
    }

    pub fn residence(&self, residence: &str) -> &'static str {
        match (residence, self.zh()) {
            ("renter", true) => "租住",
            ("renter", false) => "renter",
            (_, true) => "常住",
            (_, false) => "permanent",
        }
    }

    pub fn kind(&self, kind: &crate::domain::CheckpointKind) -> &'static str {
        let (zh, en) = super::checkpoints::kind_words(*kind);
        if self.zh() { zh } else { en }
    }

    pub fn outcome(&self, outcome: &crate::domain::Outcome) -> &'static str {
        use crate::domain::Outcome::*;
        match (outcome, self.zh()) {
            (Passed, true) => "通行",
            (TurnedBack, true) => "劝返",
            (Referred, true) => "送医",
            (Passed, false) => "passed",
            (TurnedBack, false) => "turned back",
            (Referred, false) => "sent to a doctor",
        }
    }

    pub fn direction(&self, direction: &crate::domain::Direction) -> &'static str {
        match (direction, self.zh()) {
            (crate::domain::Direction::In, true) => "进",
            (crate::domain::Direction::Out, true) => "出",
            (crate::domain::Direction::In, false) => "in",
            (crate::domain::Direction::Out, false) => "out",
        }
    }

    pub fn transport(&self, transport: &crate::domain::Transport) -> &'static str {
        use crate::domain::Transport::*;
        match (transport, self.zh()) {
            (Train, true) => "火车",
            (Bus, true) => "客车",
            (Car, true) => "自驾",
            (Flight, true) => "飞机",
            (Other, true) => "其他",
            (Train, false) => "train",
            (Bus, false) => "bus",
            (Car, false) => "car",
            (Flight, false) => "flight",
            (Other, false) => "other",
        }
    }

    pub fn visit(&self, outcome: &str) -> &'static str {
        match (outcome, self.zh()) {
            ("visited", true) => "已走访",
            ("nobody_home", true) => "无人在家",
            ("refused", true) => "拒绝",
            ("visited", false) => "visited",
            ("nobody_home", false) => "nobody home",
            ("refused", false) => "refused",
            (_, true) => "未走访",
            (_, false) => "not visited",
        }
    }

    pub fn reason(&self, reason: &crate::domain::contacts::ContactReason) -> &'static str {
        use crate::domain::contacts::ContactReason::*;
        match (reason, self.zh()) {
            (Household, true) => "同户",
            (Vehicle, true) => "同车",
            (Checkpoint, true) => "同卡点",
            (Household, false) => "same household",
            (Vehicle, false) => "same vehicle",
            (Checkpoint, false) => "same checkpoint",
        }
    }

    pub fn symptom(&self, symptom: &crate::domain::isolation::Symptom) -> &'static str {
        use crate::domain::isolation::Symptom::*;
        let (zh, en) = match symptom {
            Fever => ("发热", "fever"),
            Cough => ("咳嗽", "cough"),
            Fatigue => ("乏力", "fatigue"),
            Breathlessness => ("气促", "breathlessness"),
            SoreThroat => ("咽痛", "sore throat"),
            Diarrhoea => ("腹泻", "diarrhoea"),
            LossOfTaste => ("味觉丧失", "loss of taste"),
            Other => ("其他", "other"),
        };
        if self.zh() { zh } else { en }
    }

    /// A stored word of a closed list (isolation kinds and reasons, follow-up outcomes,
    /// symptoms, needs) in the page's language.
    pub fn word<'a>(&self, word: &'a str) -> &'a str {
        if !self.zh() {
            // The stored words in English as people write them, not as the API spells them.
            return match word {
                "home" => "home isolation",
                "central" => "central observation",
                "key_area" => "from a key area",
                "contact" => "close contact",
                "not_reached" => "not reached",
                "phone" => "by phone",
                "visit" => "by visit",
                "sore_throat" => "sore throat",
                "loss_of_taste" => "loss of taste",
                "followup_missed" => "follow-up missed",
                "alert_unacknowledged" => "alert not acknowledged",
                "followup" => "follow-up",
                "id_conflict" => "ID number conflict",
                other => other,
            };
        }
        match word {
            "followup_missed" => "随访逾期未做",
            "followup" => "随访",
            "id_conflict" => "身份证号冲突",
            "alert_unacknowledged" => "预警未确认",
            "home" => "居家隔离",
            "central" => "集中医学观察",
            "key_area" => "来自重点地区",
            "contact" => "密切接触者",
            "fever" => "发热",
            "other" => "其他",
            "phone" => "电话随访",
            "visit" => "上门随访",
            "not_reached" => "未联系上",
            "food" => "需要食品",
            "medicine" => "需要药品",
            "cough" => "咳嗽",
            "fatigue" => "乏力",
            "breathlessness" => "气促",
            "sore_throat" => "咽痛",
            "diarrhoea" => "腹泻",
            "loss_of_taste" => "味觉丧失",
            _ => word,
        }
    }

    /// A task's subject in the page's language: the parts it is made of (`name · reason`)
    /// each as the page says them: a contact's reasons (`household,checkpoint`), an
    /// escalation's lapse, and a person nobody here typed a name for.
    pub fn subject(&self, subject: &str) -> String {
        use crate::domain::contacts::ContactReason;
        let reason = |code: &str| [ContactReason::Household, ContactReason::Vehicle, ContactReason::Checkpoint].into_iter().find(|r| r.as_str() == code);
        subject
            .split(" · ")
            .map(|part| {
                let reasons: Option<Vec<&str>> = part.split(',').map(|code| reason(code).map(|r| self.reason(&r))).collect();
                match reasons {
                    _ if part.trim().is_empty() => self.t("name_not_typed").to_string(),
                    Some(reasons) => reasons.join(if self.zh() { "、" } else { ", " }),
                    None => self.word(part).to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    pub fn task_kind(&self, kind: &str) -> &'static str {
        match (kind, self.zh()) {
            ("followup_alert", true) => "随访异常",
            ("followup_alert", false) => "follow-up alert",
            ("id_conflict_alert", true) => "身份证号两处登记待处置",
            ("id_conflict_alert", false) => "ID number registered in two places",
            ("escalation_alert", true) => "升级预警",
            ("escalation_alert", false) => "escalation",
            ("followup_due", true) => "今日随访",
            ("followup_due", false) => "follow-up due",
            ("followup_overdue", true) => "随访逾期",
            ("followup_overdue", false) => "follow-up overdue",
            ("release_due", true) => "期满解除",
            ("release_due", false) => "release due",
            ("households_to_visit", true) => "未走访户",
            ("households_to_visit", false) => "households to visit",
            ("returnee_to_screen", true) => "重点地区返乡待处置",
            ("returnee_to_screen", false) => "returnee from a key area to decide on",
            // Nothing due now: every window so far has its follow-up, or none has opened yet.
            ("done", true) => "当前无待做随访",
            ("done", false) => "no follow-up due now",
            ("ended", true) => "已解除",
            ("ended", false) => "ended",
            ("fever_alert", true) => "发热预警",
            ("fever_alert", false) => "fever alert",
            ("screen_contact", true) => "排查接触者",
            ("screen_contact", false) => "screen a contact",
            ("report_unconfirmed", true) => "日报告未确认",
            ("report_unconfirmed", false) => "day's report not confirmed",
            (_, true) => "待办",
            (_, false) => "task",
        }
    }

    /// A dashboard figure by the name its answer gives it (`totals.fevers` for a total), as the
    /// sign-off's "changed since confirmation" names it.
    pub fn figure<'a>(&self, key: &'a str) -> &'a str {
        let (zh, en) = match key {
            "returnees_arrived" => ("当日抵达返乡人员", "returnees arrived"),
            "returnees_in_observation" => ("观察期内返乡人员", "returnees in observation"),
            "returnees_from_key_areas" => ("来自重点地区（观察期内）", "from key areas (in observation)"),
            "isolated_home" => ("居家隔离", "home isolation"),
            "isolated_central" => ("集中隔离", "central isolation"),
            "isolations_started" => ("当日开始隔离", "isolations started"),
            "isolations_released" => ("当日解除隔离", "isolations released"),
            "followups_done" => ("随访", "follow-ups"),
            "followups_due" => ("应随访", "follow-ups due"),
            "followups_overdue" => ("随访逾期", "follow-ups overdue"),
            "checkins_reported" => ("已报平安", "checked in"),
            "checkins_unwell" => ("报平安不适", "unwell"),
            "passages_in" => ("卡点进", "passages in"),
            "passages_out" => ("卡点出", "passages out"),
            "turned_back" => ("劝返", "turned back"),
            "referred" => ("送医", "referred"),
            "fevers" => ("发热", "fevers"),
            "alerts_open" => ("未处理预警", "open alerts"),
            "alerts_acknowledged" => ("当日已处理预警", "alerts acknowledged"),
            "alerts_escalated" => ("当日升级", "escalated"),
            "totals.returnees" => ("返乡人员累计", "returnees to date"),
            "totals.returnees_from_key_areas" => ("来自重点地区累计", "from key areas to date"),
            "totals.returnees_from_key_areas_arrived" => ("来自重点地区当日新增", "from key areas that day"),
            "totals.home_started" => ("居家隔离累计", "home isolation to date"),
            "totals.home_started_that_day" => ("居家隔离当日新增", "home isolation that day"),
            "totals.central_started" => ("集中隔离累计", "central isolation to date"),
            "totals.central_started_that_day" => ("集中隔离当日新增", "central isolation that day"),
            "totals.released" => ("解除隔离累计", "released to date"),
            "totals.passages" => ("卡点通行累计", "passages to date"),
            "totals.turned_back" => ("劝返累计", "turned back to date"),
            "totals.fevers" => ("发热累计", "fevers to date"),
            "totals.alerts_escalated" => ("升级累计", "escalated to date"),
            other => return other,
        };
        if self.zh() { zh } else { en }
    }

    pub fn cause<'a>(&self, cause: &'a str) -> &'a str {
        crate::domain::ColourCause::label(cause, self.zh())
    }

    /// A number of households: 3 户, 1 household, 3 households.
    /// (Askama hands arguments over by reference.)
    pub fn households<N: Copy + TryInto<i64>>(&self, n: &N) -> String {
        match (self.zh(), (*n).try_into().unwrap_or(i64::MAX)) {
            (true, n) => format!("{n} 户"),
            (false, 1) => "1 household".to_string(),
            (false, n) => format!("{n} households"),
        }
    }

    /// Told once after a login: the failed attempts since the account's last login.
    pub fn failed_logins(&self, n: u32) -> String {
        if self.zh() {
            format!("自您上次登录以来，您的账号有 {n} 次登录失败。如果不是您本人所为，请告知管理员。")
        } else {
            let attempts = if n == 1 { "attempt" } else { "attempts" };
            format!("There were {n} failed {attempts} to log in to your account since your last login. If they were not yours, tell your administrator.")
        }
    }

    /// A map's figure, as the trends name theirs.
    pub fn metric_words(&self, metric: crate::domain::boundaries::MapMetric) -> &'static str {
        self.t(&format!("metric_{}", metric.as_str()))
    }

    pub fn t(&self, key: &str) -> &'static str {
        let (zh, en) = words::words(key);
        if self.zh() { zh } else { en }
    }
}

#[cfg(test)]
mod tests;
