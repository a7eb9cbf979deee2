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
    let zh = match field {
        "household_no" => "户号",
        "name" => "姓名",
        "id_number" => "身份证号",
        "relation" => "与户主关系",
        "phone" => "联系电话",
        "address" => "住址",
        "unit_code" => "网格编码",
        "residence" => "居住类型",
        "code" => "编码",
        "parent_code" => "上级编码",
        "login" => "账号",
        "password" => "密码",
        "role" => "角色",
        "level" => "层级",
        "temperature" => "体温",
        "plate" => "车牌号",
        "direction" => "方向",
        "outcome" => "结果",
        "purpose" => "事由",
        "from" => "从哪里来",
        "to" => "到哪里去",
        "at" => "时间",
        "kind" => "类型",
        "lat" => "纬度",
        "lon" => "经度",
        "area" => "地区",
        "valid_from" => "起始日期",
        "valid_to" => "截止日期",
        "origin" => "来源地",
        "travel" => "旅居史",
        "arrived_at" => "到达时间",
        "transport" => "交通方式",
        "health" => "健康状况",
        "contacts" => "接触人员",
        "expected_departure" => "预计返程",
        "household_id" => "户",
        "round" => "排查轮次",
        "note" => "备注",
        "starts_at" => "开始时间",
        "ends_at" => "结束时间",
        "staff" => "值班人员",
        "duty" => "职责",
        "days" => "天数",
        "start" => "开始时间",
        "date" => "日期",
        "window_minutes" => "时间窗（分钟）",
        _ => return field,
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => field,
    }
}
