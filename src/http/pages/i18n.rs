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
        if self.zh() { role.label_zh() } else { role.as_str() }
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
            _ => if self.zh() { "女" } else { "female" },
        }
    }

    pub fn residence(&self, residence: &str) -> &'static str {
        match (residence, self.zh()) {
            ("renter", true) => "租住",
            ("renter", false) => "renter",
            (_, true) => "常住",
            (_, false) => "permanent",
        }
    }

    pub fn cause<'a>(&self, cause: &'a str) -> &'a str {
        crate::domain::ColourCause::label(cause, self.zh())
    }

    pub fn t(&self, key: &str) -> &'static str {
        let (zh, en) = match key {
            "app" => ("网格化疫情防控", "Grid epidemic control"),
            "login" => ("登录", "Log in"),
            "logout" => ("退出", "Log out"),
            "login_name" => ("账号", "Login"),
            "password" => ("密码", "Password"),
            "home" => ("首页", "Home"),
            "search" => ("查找居民", "Find a resident"),
            "search_hint" => ("姓名、身份证号或手机号", "name, ID number or phone"),
            "my_households" => ("我的包联户", "My households"),
            "audit" => ("审计日志", "Audit log"),
            "accounts" => ("账号管理", "Accounts"),
            "add_account" => ("新建账号", "New account"),
            "role" => ("角色", "Role"),
            "scope_unit" => ("管辖单位编码", "Scope unit code"),
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
            "code_optional" => ("编码（可留空自动编号）", "Code (blank: numbered automatically)"),
            "name" => ("名称", "Name"),
            "person_name" => ("姓名", "Name"),
            "people" => ("居民", "Residents"),
            "add" => ("添加", "Add"),
            "units_sheet_hint" => ("或上传表格（列：code、name、parent_code），一次添加多个。", "Or upload a sheet (columns code, name, parent_code) to add many at once."),
            "upload_roster" => ("导入花名册", "Import a roster"),
            "upload_hint" => ("CSV（UTF-8 或 GBK）或 Excel .xlsx，每行一人；有任何错误则整个文件不导入。", "CSV (UTF-8 or GBK) or Excel .xlsx, one row per resident; any error rejects the whole file."),
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
            "id_number" => ("身份证号", "ID number"),
            "phone" => ("联系电话", "Phone"),
            "sex" => ("性别", "Sex"),
            "birth_date" => ("出生日期", "Born"),
            "residence" => ("居住类型", "Residence"),
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
}
