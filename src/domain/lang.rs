//! The two languages of the user interface and the names of fields in each.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// The user-facing name of a field, as the column headers of a roster name it.
pub fn field_name(field: &str, lang: Lang) -> &str {
    let (zh, en) = match field {
        "household_no" => ("户号", "Household no."),
        "name" => ("姓名", "Name"),
        // The name of a unit, a round, a checkpoint or an organisation (a person's is `name`).
        "title" => ("名称", "Name"),
        "id_number" => ("身份证号", "ID number"),
        "relation" => ("与户主关系", "Relation to head"),
        // A relative's relation to the staff member an organisation reports for (三个制度).
        "relation_to_staff" => ("与本人关系", "Relation to you"),
        "phone" => ("联系电话", "Phone"),
        "address" => ("住址", "Address"),
        "unit_code" => ("网格编码", "Unit code"),
        "residence" => ("居住类型", "Residence"),
        "code" => ("编码", "Code"),
        "parent_code" => ("上级编码", "Parent code"),
        "login" => ("账号", "Login"),
        "password" => ("密码", "Password"),
        "role" => ("角色", "Role"),
        "level" => ("层级", "Level"),
        "temperature" => ("体温", "Temperature"),
        "plate" => ("车牌号", "Plate"),
        "direction" => ("方向", "Direction"),
        "outcome" => ("结果", "Outcome"),
        "purpose" => ("事由", "Purpose"),
        "from" => ("从哪里来", "Coming from"),
        "to" => ("到哪里去", "Going to"),
        "at" => ("时间", "Time"),
        "kind" => ("类型", "Kind"),
        "lat" => ("纬度", "Latitude"),
        "lon" => ("经度", "Longitude"),
        "area" => ("地区", "Area"),
        "valid_from" => ("起始日期", "From"),
        "valid_to" => ("截止日期", "Until"),
        "origin" => ("来源地", "Came from"),
        "travel" => ("旅居地", "Travelled through"),
        "arrived_at" => ("到达时间", "Arrived"),
        "transport" => ("交通方式", "Transport"),
        "transport_detail" => ("车次/航班/车牌", "Train, flight or plate"),
        "health" => ("健康状况", "Health"),
        "contacts" => ("接触人员", "Contacts"),
        "expected_departure" => ("预计返程", "Expected departure"),
        "household_id" => ("落脚户编号", "Household id"),
        // The returnee form's household, typed as its number (户号).
        "household" => ("落脚户户号", "Household no. staying with"),
        "round" => ("排查轮次", "Screening round"),
        "note" => ("备注", "Note"),
        "starts_at" => ("开始时间", "Starts"),
        "ends_at" => ("结束时间", "Ends"),
        "staff" => ("值班人员", "On duty"),
        // One person of a shift's staff, each line of the form's 值班人员.
        "staff_name" => ("值班人员（姓名）", "On duty (name)"),
        "staff_duty" => ("值班人员（职责）", "On duty (duty)"),
        "duty" => ("职责", "Duty"),
        "days" => ("天数", "Days"),
        "start" => ("开始时间", "Start"),
        "date" => ("日期", "Date"),
        // A trend's range and figures.
        "first_day" => ("起始日期", "From"),
        "last_day" => ("截止日期", "To"),
        "metrics" => ("指标", "Figures"),
        "window_minutes" => ("时间窗（分钟）", "Window (minutes)"),
        "where" => ("在哪里", "Where"),
        "status" => ("身体状况", "Health"),
        "symptoms" => ("症状", "Symptoms"),
        "reason" => ("原因", "Reason"),
        "place" => ("隔离地点", "Place"),
        "cadre_login" => ("包保干部账号", "Cadre's login"),
        "resident_id" => ("居民", "Resident"),
        "member_id" => ("人员", "Person"),
        "reached" => ("随访方式", "Reached by"),
        "needs" => ("需求", "Needs"),
        "location" => ("所在位置", "Whereabouts"),
        "via" => ("报告方式", "Reported via"),
        // A household's check-in form as a whole.
        "checkin" => ("报平安", "Check-in"),
        // A unit's boundary, as GeoJSON.
        "boundary" => ("边界", "Boundary"),
        // A map's figure, and the property of a boundaries file holding the unit's code.
        "metric" => ("按指标着色", "Colour by"),
        "code_property" => ("单位编码所在属性", "Property holding the unit code"),
        // A staff member's relatives on their own link (三个制度).
        "relatives" => ("亲属", "Relatives"),
        "unit" => ("单位", "Unit"),
        "followup_windows" => ("随访时段", "Follow-up windows"),
        // A unit's issuing body (出具单位), printed on its notices and posters.
        "issuer_name" => ("出具单位名称", "Issuing body"),
        "issuer_phone" => ("联系电话", "Phone"),
        "seal_text" => ("印章文字", "Seal text"),
        // The unit a new account acts over.
        "scope_unit" => ("管辖单位", "Unit in charge"),
        _ => return field,
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
