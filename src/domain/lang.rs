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
        _ => return field,
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => field,
    }
}
