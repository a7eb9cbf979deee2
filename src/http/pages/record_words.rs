//! The words of records: what the audit log says was done to which kind of record, an
//! organisation's kind, in Chinese and English.

use super::Texts;

impl Texts {
    /// What was done: `read` → 查看 / viewed.
    pub fn audit_action<'a>(&self, action: &'a str) -> &'a str {
        let (zh, en) = match action {
            "read" => ("查看", "viewed"),
            "create" => ("新建", "created"),
            "update" => ("修改", "changed"),
            "delete" => ("删除", "removed"),
            "import" => ("导入", "imported"),
            "refuse" => ("拒绝", "refused"),
            "login" => ("登录", "logged in"),
            "login_failed" => ("登录失败", "failed to log in"),
            "acknowledge" => ("确认", "acknowledged"),
            "confirm" => ("确认上报", "confirmed"),
            "finish" => ("完成", "finished"),
            "visit" => ("走访", "visited"),
            "rotate_token" => ("更换二维码", "renewed the QR code of"),
            _ => return action,
        };
        if self.zh() { zh } else { en }
    }

    /// A kind of record: `household` → 住户 / household.
    pub fn audit_entity<'a>(&self, entity: &'a str) -> &'a str {
        let (zh, en) = match entity {
            "household" => ("住户", "household"),
            "resident" => ("居民", "resident"),
            "person" => ("人员轨迹", "person's trajectory"),
            "isolation" => ("隔离单", "isolation order"),
            "isolations" => ("隔离名单", "isolation list"),
            "figure" => ("统计数字明细", "records behind a figure"),
            "followup" => ("随访", "follow-up"),
            "checkin_link" => ("报平安链接", "check-in link"),
            "checkpoint" => ("卡点", "checkpoint"),
            "passage" => ("通行记录", "passage"),
            "registration" => ("扫码登记", "self-registration"),
            "screening_round" => ("排查轮次", "screening round"),
            "screening_task" => ("排查任务", "screening task"),
            "returnees" => ("返乡人员名单", "returnee list"),
            "key_area" => ("重点地区", "key area"),
            "organisation" => ("单位", "organisation"),
            "org_members" => ("单位职工", "organisation's staff"),
            "org_checkins" => ("单位报平安", "organisation's check-ins"),
            "staff_link" => ("职工报平安链接", "staff check-in link"),
            "alert" => ("预警", "alert"),
            "unit" => ("网格", "unit"),
            "units" => ("下级网格", "units"),
            "roster" => ("花名册", "roster"),
            "account" => ("账号", "account"),
            "report" => ("日报告", "daily report"),
            _ => return entity,
        };
        if self.zh() { zh } else { en }
    }

    /// Who acted, when it was not a person's account.
    pub fn audit_actor<'a>(&self, actor: &'a str) -> &'a str {
        let (zh, en) = match actor {
            "cli" => ("命令行", "command line"),
            "system" => ("系统", "the system"),
            "public" => ("群众（公开链接）", "the public (a public link)"),
            _ => return actor,
        };
        if self.zh() { zh } else { en }
    }

    /// An entry's details, as `key: value` pairs in the page's language; nothing for `{}`.
    pub fn audit_detail(&self, detail: &str) -> String {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(detail) else { return detail.to_string() };
        let key = |k: &str| -> String {
            let (zh, en) = match k {
                "what" => ("内容", "what"),
                "count" => ("条数", "count"),
                "found" => ("找到", "found"),
                "day" => ("日期", "day"),
                "name" => ("姓名", "name"),
                "household_no" => ("户号", "household no."),
                "household_id" => ("户", "household"),
                "address" => ("住址", "address"),
                "member" => ("包联网格员", "grid member"),
                "phone" => ("电话", "phone"),
                "id_number" => ("身份证号", "ID number"),
                "relation" => ("与户主关系", "relation"),
                "residence" => ("居住类型", "residence"),
                "failed_attempts" => ("失败次数", "failed attempts"),
                "held_in" => ("登记于", "registered in"),
                "households" => ("户数", "households"),
                "residents" => ("人数", "residents"),
                _ => return k.to_string(),
            };
            (if self.zh() { zh } else { en }).to_string()
        };
        let value = |v: &serde_json::Value| -> String {
            match v {
                serde_json::Value::String(s) => match (s.as_str(), self.zh()) {
                    ("phones", true) => "电话号码".into(),
                    ("phones", false) => "phone numbers".into(),
                    ("trajectory", true) => "行程轨迹".into(),
                    ("list", true) => "名单".into(),
                    ("search", true) => "查找".into(),
                    ("notice", true) => "公示".into(),
                    ("page", true) => "页面".into(),
                    _ => s.clone(),
                },
                serde_json::Value::Null => "—".into(),
                serde_json::Value::Array(items) => {
                    items.iter().map(|i| if let serde_json::Value::String(s) = i { s.clone() } else { i.to_string() }).collect::<Vec<_>>().join(" → ")
                }
                other => other.to_string(),
            }
        };
        map.iter().map(|(k, v)| format!("{}: {}", key(k), value(v))).collect::<Vec<_>>().join(" · ")
    }

    /// An organisation's kind: the words the API takes in English (bureau, school, …) in
    /// the page's language; a kind typed in Chinese stays as typed.
    pub fn org_kind<'a>(&self, kind: &'a str) -> &'a str {
        let (zh, en) = match kind.trim().to_ascii_lowercase().as_str() {
            "bureau" | "局" | "机关" => ("机关单位", "government bureau"),
            "school" | "学校" => ("学校", "school"),
            "company" | "enterprise" | "企业" | "公司" => ("企业", "company"),
            "hospital" | "医院" => ("医院", "hospital"),
            _ => return kind,
        };
        if self.zh() { zh } else { en }
    }
}
