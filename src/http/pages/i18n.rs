//! The words of the pages in Chinese and English.

use crate::domain::{Colour, Lang, Level, Role};

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
                other => other,
            };
        }
        match word {
            "followup_missed" => "随访逾期未做",
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

    /// Told once after a login: the failed attempts since the account's last login.
    pub fn failed_logins(&self, n: u32) -> String {
        if self.zh() {
            format!("自您上次登录以来，您的账号有 {n} 次登录失败。如果不是您本人所为，请告知管理员。")
        } else {
            let attempts = if n == 1 { "attempt" } else { "attempts" };
            format!("There were {n} failed {attempts} to log in to your account since your last login. If they were not yours, tell your administrator.")
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        let (zh, en) = match key {
            "app" => ("网格化疫情防控", "Grid epidemic control"),
            "login" => ("登录", "Log in"),
            "logout" => ("退出", "Log out"),
            "login_name" => ("账号", "Login"),
            "password" => ("密码", "Password"),
            "password_rule" => (
                "至少 10 位，混合字母、数字、其他符号中的至少两类，不用常见密码",
                "At least 10 characters, mixing at least two of letters, digits and other signs; not a common password",
            ),
            "home" => ("首页", "Home"),
            "search" => ("查找人员", "Find a person"),
            "search_hint" => ("姓名、身份证号或手机号", "name, ID number or phone"),
            "my_households" => ("我的包联户", "My households"),
            "audit" => ("审计日志", "Audit log"),
            "accounts" => ("账号管理", "Accounts"),
            "add_account" => ("新建账号", "New account"),
            "role" => ("角色", "Role"),
            "scope_unit" => ("管辖单位", "Unit in charge"),
            "units" => ("下级单位", "Units below"),
            "households" => ("户数", "Households"),
            "residents" => ("人数", "Residents"),
            "units_count" => ("下辖单位", "Units"),
            "household_list" => ("户籍列表", "Households"),
            "household_no" => ("户号", "No."),
            "head" => ("户主", "Head"),
            "address" => ("住址", "Address"),
            "colour" => ("颜色", "Colour"),
            "member" => ("包联网格员", "Grid member"),
            "members_count" => ("人", "people"),
            "more" => ("下一页", "Next page"),
            "add_unit" => ("新增下级网格 / 村民小组", "Add a grid / villager group below"),
            "code_optional" => ("编码（以本单位编码开头；可留空自动编号）", "Code (begins with this unit's code; blank: numbered automatically)"),
            "name" => ("名称", "Name"),
            "person_name" => ("姓名", "Name"),
            "people" => ("居民", "Residents"),
            "add" => ("添加", "Add"),
            "units_sheet_hint" => {
                ("或上传表格（列：code、name、parent_code），一次添加多个。", "Or upload a sheet (columns code, name, parent_code) to add many at once.")
            }
            "upload_roster" => ("导入花名册", "Import a roster"),
            "upload_hint" => (
                "CSV（UTF-8 或 GBK）或 Excel .xlsx，每行一人；有任何错误则整个文件不导入。",
                "CSV (UTF-8 or GBK) or Excel .xlsx, one row per resident; any error rejects the whole file.",
            ),
            "upload" => ("上传导入", "Upload"),
            "imported" => ("导入完成", "Imported"),
            "created" => ("新增", "new"),
            "updated" => ("更新", "updated"),
            "unchanged" => ("未变", "unchanged"),
            "staff" => ("网格长与网格员", "Leader and members"),
            "leader" => ("网格长", "Leader"),
            "grid_member" => ("网格员", "Member"),
            "assign" => ("指派", "Assign"),
            "duty" => ("职责", "Duty"),
            "household" => ("户", "Household"),
            "colour_history" => ("颜色变化记录", "Colour history"),
            "cause" => ("原因", "Cause"),
            "time" => ("时间", "Time"),
            "by" => ("操作人", "By"),
            "relation" => ("与户主关系", "Relation"),
            "relation_to_staff" => ("与本人关系", "Relation to you"),
            "id_number" => ("身份证号", "ID number"),
            "phone" => ("联系电话", "Phone"),
            "sex" => ("性别", "Sex"),
            "birth_date" => ("出生日期", "Born"),
            "residence" => ("居住类型", "Residence"),
            // The audit log's filters (issue 14, item 8).
            "audit_who" => ("操作人（账号或姓名）", "By (login or name)"),
            "audit_what" => ("对象类型", "Kind of record"),
            "all" => ("全部", "All"),
            "date_from" => ("起始日期", "From"),
            "date_to" => ("截止日期", "To"),
            "filter" => ("筛选", "Filter"),
            // The household page's links (issue 14, item 7).
            "in_isolation" => ("隔离中", "in isolation"),
            "isolation_record" => ("隔离记录", "isolation order"),
            "make_checkin_link" => ("生成本户报平安链接", "Make this household's check-in link"),
            "renew_checkin_link" => ("换新链接（旧链接立即作废）", "New link (the old one stops working)"),
            "checkin_link_hint" => (
                "把此链接或二维码发给户主：全户每天在上面报平安。链接的发放已记入审计日志。",
                "Send this link or QR code to the head of the household: everyone checks in there daily. Handing it out is logged.",
            ),
            "link_unreachable" => (
                "此链接的地址只在本机或内网可用，群众的手机打不开。请用 --public-url 启动服务。",
                "This address works only on this machine or a private network: people's phones cannot open it. Start the server with --public-url.",
            ),
            "audited_notice" => ("本页显示完整个人信息，查看已记入审计日志。", "This page shows full personal data; your reading has been logged."),
            "assign_member" => ("指派包联网格员", "Assign a grid member"),
            "none" => ("无", "none"),
            "no_results" => ("没有结果", "No results"),
            "action" => ("操作", "Action"),
            "entity" => ("对象", "Record"),
            "error" => ("出错了", "Something went wrong"),
            "back" => ("返回", "Back"),
            "rejected" => ("文件未导入", "The file was not imported"),
            "figures_note" => ("所有数字均含全部下级单位。", "Every figure counts the whole subtree."),
            "tasks" => ("待办", "Tasks"),
            "dashboard" => ("今日概况", "Today"),
            "day_before" => ("前一天", "Day before"),
            "day_after" => ("后一天", "Day after"),
            "date" => ("日期", "Date"),
            "show" => ("查看", "Show"),
            "arrived" => ("当日抵达", "Arrived"),
            "home_isolation" => ("居家隔离", "Home"),
            "central_isolation" => ("集中隔离", "Central"),
            "started" => ("当日开始", "Started"),
            "released" => ("当日解除", "Released"),
            "followups_done" => ("随访", "Follow-ups"),
            "followups_due" => ("应随访", "Due"),
            "followups_overdue" => ("逾期", "Overdue"),
            "passages_in" => ("进", "In"),
            "passages_out" => ("出", "Out"),
            "turned_back" => ("劝返", "Turned back"),
            "referred" => ("送医", "Referred"),
            "fevers" => ("发热", "Fevers"),
            "alerts" => ("预警", "Alerts"),
            "open" => ("未处理", "Open"),
            "acknowledged" => ("当日已处理", "Acknowledged"),
            "escalated" => ("当日升级", "Escalated"),
            "checkin_rate" => ("报平安率", "Check-in rate"),
            "checkins_missing" => ("未报", "Missing"),
            "checkins_unwell" => ("不适", "Unwell"),
            "returnees_in_observation" => ("观察期内", "In observation"),
            "isolated" => ("隔离中", "Isolated"),
            "alerts_open" => ("未处理预警", "Open alerts"),
            "dashboard_note" => (
                "数字实时计算：录入后刷新即见。户数、四色和人数为当前值；其余为所选日期当天（北京时间）。",
                "Figures are counted live: a record shows on the next load. Households, colours and residents are as they stand now; the rest are for the chosen day (Beijing time).",
            ),
            "daily_report" => ("日报表", "Daily report"),
            "signoff" => ("日报告确认", "Sign-off"),
            "confirmed_by" => ("已确认", "Confirmed by"),
            "not_confirmed" => ("当日报告尚未确认。", "The day's report is not confirmed yet."),
            "changed_since_confirmation" => ("确认后数据有变动（确认时 → 现在）：", "Changed since confirmation (confirmed → now):"),
            "changed_since" => ("确认后有变动", "changed since confirmation"),
            "waiting_for" => ("尚未确认的下级", "Not yet confirmed below"),
            "confirm_day" => ("确认当日报告（无情况也须确认：零报告）", "Confirm the day's report (even with nothing to report)"),
            "confirm_again" => ("按现在的数据重新确认", "Confirm again with the figures as they are now"),
            // Trends and the daily close (issue 15, item 2).
            "trends" => ("趋势", "Trends"),
            "trends_30_days" => ("近 30 天", "Last 30 days"),
            "first_day" => ("起始日期", "From"),
            "last_day" => ("截止日期", "To"),
            "metrics" => ("指标", "Figures"),
            "default_metrics" => ("常用指标", "The usual figures"),
            "day" => ("日期", "Day"),
            "trends_note" => (
                "每天零时（北京时间）保存前一天各单位的数字；今天的数字实时计算。补录的往日记录会更新当天的数字。",
                "Each unit's figures are stored at midnight (Beijing time) for the day that ended; today's are counted live. A record entered late for a past day updates that day.",
            ),
            "metric_households" => ("户数", "Households"),
            "metric_households_red" => ("红色户", "Red households"),
            "metric_households_yellow" => ("黄色户", "Yellow households"),
            "metric_households_blue" => ("蓝色户", "Blue households"),
            "metric_households_white" => ("白色户", "White households"),
            "metric_residents" => ("人数", "Residents"),
            "metric_returnees_arrived" => ("当日抵达返乡人员", "Returnees arrived"),
            "metric_returnees_in_observation" => ("观察期内返乡人员", "Returnees in observation"),
            "metric_returnees_from_key_areas" => ("来自重点地区（观察期内）", "From key areas (in observation)"),
            "metric_isolated_home" => ("居家隔离", "Home isolation"),
            "metric_isolated_central" => ("集中隔离", "Central isolation"),
            "metric_isolations_started" => ("当日开始隔离", "Isolations started"),
            "metric_isolations_released" => ("当日解除隔离", "Isolations released"),
            "metric_followups_done" => ("随访", "Follow-ups"),
            "metric_followups_due" => ("应随访（人）", "Follow-ups due (people)"),
            "metric_followups_overdue" => ("随访逾期（人）", "Follow-ups overdue (people)"),
            "metric_checkins_expected" => ("应报平安", "Check-ins expected"),
            "metric_checkins_reported" => ("已报平安", "Check-ins reported"),
            "metric_checkins_unwell" => ("报告不适", "Reported unwell"),
            "metric_passages_in" => ("卡点进", "Passages in"),
            "metric_passages_out" => ("卡点出", "Passages out"),
            "metric_turned_back" => ("劝返", "Turned back"),
            "metric_referred" => ("送医", "Referred"),
            "metric_fevers" => ("发热", "Fevers"),
            "metric_registrations_pending" => ("待确认扫码登记", "Registrations to confirm"),
            "metric_alerts_open" => ("未处理预警", "Open alerts"),
            "metric_alerts_acknowledged" => ("当日处理预警", "Alerts acknowledged"),
            "metric_alerts_escalated" => ("当日升级", "Escalated"),
            "colour_map" => ("四色图", "Four-colour map"),
            "print_a4" => ("打印 A4", "Print on A4"),
            "print_a3" => ("打印 A3", "Print on A3"),
            "print" => ("打印", "Print"),
            "no_households" => ("还没有住户", "No households yet"),
            "isolation" => ("隔离", "Isolation"),
            "order_isolation" => ("下达隔离", "Order isolation"),
            "period" => ("期限", "Period"),
            "cadre" => ("结对包保干部", "Paired cadre"),
            "ended" => ("已解除", "Ended"),
            "print_notice" => ("打印公示", "Print the notice"),
            "follow_up" => ("随访", "Follow up"),
            "followups" => ("随访记录", "Follow-ups"),
            "note" => ("备注", "Note"),
            "save" => ("保存", "Save"),
            "end_or_extend" => ("解除或调整期限", "End or change the period"),
            "reason" => ("原因", "Reason"),
            "days_hint" => ("天数（延长到的新期限；留空则立即解除）", "Days (the new length; blank: end now)"),
            "days" => ("天数", "Days"),
            "cadre_login" => ("包保干部账号", "Cadre's login"),
            "daily_checkin" => ("每日报平安", "Daily check-in"),
            "add_relative" => ("添加需报平安的亲属", "Add a relative to report for"),
            "organisation" => ("单位报平安", "Organisation's daily report"),
            "organisations" => ("单位（三个制度）", "Organisations (staff and relatives)"),
            "add_organisation" => ("登记单位", "Register an organisation"),
            "add_staff" => ("添加职工", "Add staff"),
            "staff_link" => ("生成个人报平安链接", "Make their own link"),
            "org_kind" => ("类型（局、学校、企业……）", "Kind (bureau, school, company…)"),
            "checked_in" => ("已报平安，谢谢！", "Checked in, thank you!"),
            "reported_today" => ("今日已报", "reported today"),
            "symptoms" => ("症状", "Symptoms"),
            "at_home" => ("在家", "at home"),
            "elsewhere" => ("外出", "elsewhere"),
            "where" => ("在哪里", "Where"),
            "submit_checkin" => ("提交", "Check in"),
            "expected" => ("应报", "Expected"),
            "reported" => ("已报", "Reported"),
            "missing" => ("未报", "Missing"),
            "flagged" => ("与昨日相同且填写过快，请核实", "Same as yesterday and sent in a hurry: please check"),
            "not_reported" => ("今日未报平安", "Not yet checked in today"),
            "tick_well" => ("已问询：健康在家", "Asked: well, at home"),
            "confirm_well" => ("确认已问询此人，且健康在家？", "Asked them, and they are well at home?"),
            "confirm_tick" => ("确认", "Confirm"),
            "cancel" => ("取消", "Cancel"),
            "ticked_well" => ("已登记：健康在家。", "Reported: well, at home."),
            "refresh" => ("刷新", "Refresh"),
            "acknowledge" => ("已知悉", "Acknowledge"),
            "done" => ("已完成", "Done"),
            "nothing_to_do" => ("暂无待办", "Nothing to do"),
            "area" => ("地区（编码或名称）", "Area (code or name)"),
            "key_areas" => ("重点地区", "Key areas"),
            "valid_from" => ("起始日期", "From"),
            "valid_to" => ("截止日期（可空）", "Until (optional)"),
            "returnees" => ("返乡人员", "Returnees"),
            "from_key_areas" => ("来自重点地区", "From key areas"),
            "in_observation" => ("观察期内", "In observation"),
            "origin" => ("来源地", "Came from"),
            "arrived_at" => ("到达时间", "Arrived"),
            "observe_until" => ("观察期至", "Observed until"),
            "expected_departure" => ("预计返程", "Expected departure"),
            "register_returnee" => ("登记返乡人员", "Register a returnee"),
            "register_returnee_hint" => (
                "已在花名册的居民只需身份证号；新来的人员需填写姓名和落脚户编号。",
                "A resident on the roster needs only the ID number; someone new needs a name and the household they stay with.",
            ),
            "household_id_hint" => ("落脚户户号（新人员，如 001，或 一组 001）", "Household no. staying with (someone new: 001, or 一组 001)"),
            "travel" => ("旅居地（途经地点）", "Travelled through"),
            "transport_detail" => ("车次/航班/车牌", "Train, flight or plate"),
            "contacts" => ("接触人员", "Contacts"),
            "well" => ("健康", "well"),
            "unwell" => ("有症状", "unwell"),
            "register" => ("登记", "Register"),
            "returnee_registered" => ("已登记，该户颜色已更新。", "Registered; the household's colour is updated."),
            "visited" => ("已走访", "Visited"),
            "not_visited" => ("未走访", "Not visited"),
            "not_visited_households" => ("尚未走访的户", "Households not yet visited"),
            "round_complete" => ("已全覆盖", "Complete"),
            "rounds" => ("排查轮次", "Screening rounds"),
            "open_round" => ("发起排查", "Start a screening round"),
            "round_name_example" => ("如：春节返乡排查", "e.g. Spring Festival returnees"),
            "checkpoints" => ("卡点", "Checkpoints"),
            "add_checkpoint" => ("新增卡点", "Add a checkpoint"),
            "kind" => ("类型", "Kind"),
            "lat" => ("纬度", "Latitude"),
            "lon" => ("经度", "Longitude"),
            "poster" => ("打印扫码登记海报", "Print the QR poster"),
            "rotate_token" => ("更换二维码（旧海报失效）", "New QR code (old posters stop working)"),
            "pending_registrations" => ("待确认的扫码登记", "Self-registrations to confirm"),
            "confirm" => ("测温确认", "Confirm"),
            "log_passage" => ("登记通行", "Log a passage"),
            "log" => ("登记", "Log"),
            "logged" => ("已登记。", "Logged."),
            "logged_fever" => ("已登记：体温异常，已向网格长和指挥部发出预警。", "Logged: a fever; the grid leader and HQ have been alerted."),
            "passages_today" => ("24 小时内通行记录", "Passages in the last 24 hours"),
            "shifts" => ("值班", "Shifts"),
            "add_shift" => ("排班", "Add a shift"),
            "starts_at" => ("开始时间", "Starts"),
            "ends_at" => ("结束时间", "Ends"),
            "on_duty" => ("值班人员（每行：职责 姓名）", "On duty (one per line: duty, then name)"),
            "temperature" => ("体温", "Temperature"),
            "plate" => ("车牌号", "Plate"),
            "from" => ("从哪里来", "Coming from"),
            "to" => ("到哪里去", "Going to"),
            "purpose" => ("事由", "Purpose"),
            "self_register" => ("扫码登记", "Self-registration"),
            "register_hint" => {
                ("请如实填写，提交后向工作人员出示登记码并测量体温。", "Fill in truthfully, then show the code to the staff and have your temperature taken.")
            }
            "submit_registration" => ("提交登记", "Register"),
            "registered" => ("登记成功", "Registered"),
            "show_code" => ("请向工作人员出示登记码：", "Show this code to the staff:"),
            "register_another" => ("再登记一人", "Register another person"),
            "privacy_note" => {
                ("您的信息仅用于疫情防控，页面不会显示任何他人信息。", "Your data is used for epidemic control only; this page never shows anyone else's.")
            }
            "self_registered" => ("扫码登记（待确认）", "self-registered (unconfirmed)"),
            "trajectory" => ("行程轨迹", "Trajectory"),
            "minutes" => ("分钟", "minutes"),
            "window_minutes" => ("时间窗（分钟）", "Window (minutes)"),
            "window" => ("时间窗", "Window"),
            "export_csv" => ("导出 CSV", "Export CSV"),
            "make_screening_tasks" => ("生成排查任务", "Turn into screening tasks"),
            "screening_tasks_created" => ("新生成排查任务", "Screening tasks created"),
            // The new account's unit, picked from the tree (issue 14, item 13).
            "scope_unit_typed" => ("管辖单位（或填写下级单位编码）", "Unit in charge (or type the code of a unit below)"),
            "scope_unit_deeper" => (
                "管辖范围内单位较多，列表只到上面几级；更下级的单位请填写编码。",
                "Your area has many units: the list shows the upper levels; type the code of a unit below them.",
            ),
            // A shift's staff line with a name and no duty (issue 14).
            "shift_line_no_duty" => (
                "值班人员第 {n} 行“{line}”缺少职责：每行先写职责，再写姓名，如“医务人员 李医生”",
                "On duty, line {n} (“{line}”) has no duty: write the duty, then the name, e.g. “Medic Dr Li”",
            ),
            // The header's search (issue 14, item 12).
            "seen_at_checkpoints" => ("卡点登记人员", "Seen at checkpoints"),
            "residents_found" => ("本辖区居民", "Residents"),
            // The issuing body of printouts (issue 14, item 11).
            "issuer" => ("打印件出具单位", "Issuing body of printouts"),
            "issuer_hint" => (
                "公示、扫码登记海报和四色图打印时落款的单位、联系电话和印章文字。下级单位未设置时沿用本单位的。",
                "The body, phone number and seal text printed under notices, QR posters and colour maps. Units below that set none carry this one.",
            ),
            "issuer_inherited" => ("本单位未设置，沿用上级：", "This unit sets none; it carries the one of"),
            "issuer_none" => {
                ("本单位及上级都未设置出具单位：打印件不落款。", "Neither this unit nor any above it has set one: printouts name no issuing body.")
            }
            "issuer_name" => ("出具单位名称", "Issuing body"),
            "issuer_phone" => ("联系电话", "Phone"),
            "seal_text" => ("印章文字", "Seal text"),
            "issuer_example" => ("如：乌龙镇疫情防控指挥部", "e.g. Wulong Town Epidemic Command"),
            "issuer_phone_rule" => ("数字和短横线，最多 20 位", "digits and dashes, at most 20"),
            "seal_rule" => ("可不填；最多 40 字", "optional; at most 40 characters"),
            // A key with no words shows as "?"; the test below keeps templates from using one.
            _ => ("?", "?"),
        };
        if self.zh() { zh } else { en }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_the_templates_use_exists_in_both_languages() {
        let templates = [
            include_str!("../../../templates/base.html"),
            include_str!("../../../templates/unit.html"),
            include_str!("../../../templates/household.html"),
            include_str!("../../../templates/household_rows.html"),
            include_str!("../../../templates/login.html"),
            include_str!("../../../templates/member.html"),
            include_str!("../../../templates/search.html"),
            include_str!("../../../templates/audit.html"),
            include_str!("../../../templates/error.html"),
            include_str!("../../../templates/accounts.html"),
            include_str!("../../../templates/checkpoint.html"),
            include_str!("../../../templates/register.html"),
            include_str!("../../../templates/message.html"),
            include_str!("../../../templates/person.html"),
            include_str!("../../../templates/tasks.html"),
            include_str!("../../../templates/returnees.html"),
            include_str!("../../../templates/round.html"),
            include_str!("../../../templates/key_areas.html"),
            include_str!("../../../templates/checkin.html"),
            include_str!("../../../templates/checkins.html"),
            include_str!("../../../templates/isolation.html"),
            include_str!("../../../templates/staff.html"),
            include_str!("../../../templates/organisation.html"),
            include_str!("../../../templates/dashboard.html"),
            include_str!("../../../templates/colour_map.html"),
            include_str!("../../../templates/colour_map_print.html"),
            include_str!("../../../templates/colour_tiles.html"),
            include_str!("../../../templates/issuer.html"),
            include_str!("../../../templates/trends.html"),
            include_str!("../../../templates/dashboard_trends.html"),
        ];
        let mut keys = 0;
        for template in templates {
            for part in template.split("t.t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                for lang in [Lang::Zh, Lang::En] {
                    assert_ne!(Texts { lang }.t(key), "?", "no words for {key:?}");
                }
                keys += 1;
            }
        }
        assert!(keys > 50);
    }

    /// The opening tag that begins at `at` (askama's `{{ … }}` and `{% … %}` may hold `>`).
    fn tag_at(text: &str, at: usize) -> &str {
        let mut depth = 0;
        let bytes = text.as_bytes();
        for i in at..bytes.len() {
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b'>' if depth == 0 => return &text[at..=i],
                _ => {}
            }
        }
        &text[at..]
    }

    /// The word key of `t.t("…")` in `text`, if any.
    fn word_key(text: &str) -> Option<&str> {
        text.split("t.t(\"").nth(1).and_then(|rest| rest.split('"').next())
    }

    /// Issue 14, item 9: every field of every form is named in its messages as the form labels it
    /// (a `<label>`'s words, else the placeholder's; what stands in brackets aside), in both
    /// languages. A form's field is parsed under the key `field_key` names; messages name a key
    /// with `lang::field_name`.
    #[test]
    fn every_field_is_named_in_its_messages_as_its_form_labels_it() {
        use crate::domain::lang::field_name;
        let templates = [
            ("accounts.html", include_str!("../../../templates/accounts.html")),
            ("checkin.html", include_str!("../../../templates/checkin.html")),
            ("checkpoint.html", include_str!("../../../templates/checkpoint.html")),
            ("dashboard.html", include_str!("../../../templates/dashboard.html")),
            ("household.html", include_str!("../../../templates/household.html")),
            ("isolation.html", include_str!("../../../templates/isolation.html")),
            ("key_areas.html", include_str!("../../../templates/key_areas.html")),
            ("login.html", include_str!("../../../templates/login.html")),
            ("organisation.html", include_str!("../../../templates/organisation.html")),
            ("person.html", include_str!("../../../templates/person.html")),
            ("register.html", include_str!("../../../templates/register.html")),
            ("returnees.html", include_str!("../../../templates/returnees.html")),
            ("round.html", include_str!("../../../templates/round.html")),
            ("staff.html", include_str!("../../../templates/staff.html")),
            ("trends.html", include_str!("../../../templates/trends.html")),
            ("unit.html", include_str!("../../../templates/unit.html")),
            ("issuer.html", include_str!("../../../templates/issuer.html")),
        ];
        // The key a form's field is parsed under, where it is not the field's own name.
        let field_key = |template: &str, name: &str| -> String {
            let name = name.trim_end_matches("_{{ i }}");
            match (template, name) {
                // A unit's, a round's, a checkpoint's and an organisation's name.
                ("unit.html", "name") => "title",
                ("returnees.html", "travel_place") => "travel",
                ("staff.html", "relation") => "relation_to_staff",
                ("accounts.html", "unit_code" | "unit_code_typed") => "scope_unit",
                ("accounts.html", "display_name") => "name",
                _ => name,
            }
            .to_string()
        };
        let plain = |words: &str| words.split(['（', '(']).next().unwrap().trim().trim_end_matches('*').trim().to_string();
        let mut checked = 0;
        let mut wrong = Vec::new();
        for (template, text) in templates {
            for form in text.split("<form").skip(1) {
                let form = form.split("</form>").next().unwrap();
                for (at, _) in form.match_indices('<').filter(|(at, _)| ["<input ", "<select ", "<textarea "].iter().any(|t| form[*at..].starts_with(t))) {
                    let tag = tag_at(form, at);
                    let Some(name) = tag.split(" name=\"").nth(1).and_then(|rest| rest.split('"').next()) else { continue };
                    if name == "_csrf" || name == "q" || ["hidden", "radio", "checkbox", "file"].iter().any(|t| tag.contains(&format!("type=\"{t}\""))) {
                        continue;
                    }
                    let placeholder = tag.split(" placeholder=\"").nth(1).and_then(word_key);
                    let before = &form[..at];
                    let label = before.rfind("<label").filter(|open| !before[*open..].contains("</label>")).and_then(|open| word_key(&before[open..]));
                    let Some(label) = label.or(placeholder) else { continue };
                    let key = field_key(template, name);
                    for lang in [Lang::Zh, Lang::En] {
                        let (labelled, named) = (plain(Texts { lang }.t(label)), plain(field_name(&key, lang)));
                        if labelled != named {
                            wrong.push(format!("{template} {name} ({lang:?}): labelled {labelled:?}, its messages say {named:?}"));
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(checked > 40, "{checked} fields");
    }
}
