use chrono::{NaiveDate, NaiveDateTime};

use super::lang::{self, Lang};

/// A value that failed to parse, or a rule that a request would break.
/// Each carries enough to explain itself to the user in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: Reason },
    #[error("not allowed for role {0}")]
    NotAllowed(&'static str),
    /// Every problem of a form at once, so that it is fixed in one go (see `Problems`).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Several(Vec<DomainError>),
    /// A day's report that cannot be confirmed yet: these units below (by name) have not
    /// confirmed theirs.
    #[error("not yet confirmed below: {}", .0.join(", "))]
    Unconfirmed(Vec<String>),
    /// A feature of a boundaries file that cannot be read (a file's are `Several` of these).
    #[error("{}", .0.message(Lang::En))]
    Feature(super::boundaries::FeatureError),
}

/// Why a field was rejected; `message` renders it for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Empty,
    TooLong(usize),
    BadCharacters,
    IdLength,
    IdFormat,
    IdBirthDate,
    IdCheckDigit(char),
    PhoneFormat,
    UnknownRole,
    UnknownLevel,
    UnknownResidence,
    /// Shorter than the least length it names.
    PasswordTooShort(usize),
    /// Letters only, digits only, or other signs only.
    PasswordOneKind,
    /// One of the passwords people choose first.
    PasswordCommon,
    /// One of a fixed list of words: as the API spells them, and as a Chinese form shows
    /// them (both space-separated; both are accepted).
    OneOf(&'static str, &'static str),
    TemperatureRange,
    /// Text in a temperature's field that is no number.
    TemperatureFormat,
    PlateFormat,
    DateFormat,
    TimeFormat,
    DateOrder,
    Coordinates,
    TooMany(usize),
    InFuture,
    /// An ID number registered in a place the caller does not hold.
    HeldElsewhere,
    /// A passage with no ID number, no name and no plate.
    NamesNobody,
    /// A number outside `min..=max`.
    Between(i64, i64),
    /// A year the time parser does not take (before 1900, after 2200).
    YearRange,
    /// A day outside the window around today (see `time::Window`).
    DateWindow(NaiveDate, NaiveDate),
    /// An instant outside the window around now, as local (Beijing) times.
    TimeWindow(NaiveDateTime, NaiveDateTime),
    /// A person's name with something besides letters, spaces and `. - '` (see `person_name`).
    NameCharacters,
    /// A label with markup, a line break or an invisible character (see `label`).
    LabelCharacters,
    /// A free text with markup, a line break or an invisible character (see `text`).
    TextCharacters,
    /// A unit's code that does not begin with its parent's code.
    CodeUnderParent,
    /// No free three-digit number is left for an automatically numbered unit.
    NoFreeCode,
    /// No such record (an account's login, say) in the caller's area.
    Unknown,
    /// An account named as a unit's staff whose role or area is not for it.
    NotStaff,
    /// An account given a household to hold that is no grid member of the household's grid.
    NotMemberHere,
    /// A day's report confirmed by someone who is not the unit's own (its leader or HQ).
    NotOwnUnit,
    /// A unit of a level that does not sign off a day (above a county, below a village).
    NoSignOff,
    /// A household number (户号) that this many groups use.
    SeveralHouseholds(usize),
    /// A form that names people it was not made for (an old page, or one made by hand).
    StaleForm,
    /// A page's cursor that no answer gave.
    NotACursor,
    /// Symptoms reported with a status of well.
    SymptomsWhenWell,
    /// Not a GeoJSON Polygon or MultiPolygon of WGS 84 positions with closed rings.
    NotABoundary,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl Reason {
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let zh = lang == Lang::Zh;
        match *self {
            Empty => {
                if zh {
                    "不能为空".into()
                } else {
                    "must not be empty".into()
                }
            }
            TooLong(n) => {
                if zh {
                    format!("不能超过 {n} 个字符")
                } else {
                    format!("must be at most {n} characters")
                }
            }
            BadCharacters => {
                if zh {
                    "含有不允许的字符".into()
                } else {
                    "contains characters that are not allowed".into()
                }
            }
            IdLength => {
                if zh {
                    "身份证号应为 18 位".into()
                } else {
                    "an ID number has 18 characters".into()
                }
            }
            IdFormat => {
                if zh {
                    "身份证号前 17 位应为数字，末位为数字或 X".into()
                } else {
                    "an ID number is 17 digits and a final digit or X".into()
                }
            }
            IdBirthDate => {
                if zh {
                    "身份证号中的出生日期无效".into()
                } else {
                    "the birth date inside the ID number is not a real date".into()
                }
            }
            IdCheckDigit(c) => {
                if zh {
                    format!("身份证号校验位错误（应为 {c}）")
                } else {
                    format!("the ID number's check digit is wrong (expected {c})")
                }
            }
            PhoneFormat => {
                if zh {
                    "应为 11 位手机号或带区号的固定电话".into()
                } else {
                    "must be an 11-digit mobile number or a landline with area code".into()
                }
            }
            UnknownRole => {
                if zh {
                    "角色应为 admin、hq、grid_leader、grid_member、checkpoint 或 inspector".into()
                } else {
                    "role must be admin, hq, grid_leader, grid_member, checkpoint or inspector".into()
                }
            }
            UnknownLevel => {
                if zh {
                    "未知的层级".into()
                } else {
                    "unknown level".into()
                }
            }
            UnknownResidence => {
                if zh {
                    "居住类型应为 常住 或 租住".into()
                } else {
                    "residence must be permanent (常住) or renter (租住)".into()
                }
            }
            PasswordTooShort(n) => {
                if zh {
                    format!("密码至少 {n} 位")
                } else {
                    format!("a password has at least {n} characters")
                }
            }
            PasswordOneKind => {
                if zh {
                    "密码须混合至少两类字符（字母、数字、其他符号），且至少含 5 个不同的字符".into()
                } else {
                    "a password mixes at least two kinds of characters (letters, digits, other signs) and has at least 5 different characters".into()
                }
            }
            PasswordCommon => {
                if zh {
                    "这是常见密码，很容易被猜中，请换一个".into()
                } else {
                    "this is one of the most common passwords, easily guessed; choose another".into()
                }
            }
            OneOf(words, shown) => {
                if zh {
                    format!("应为以下之一：{}", shown.split_whitespace().collect::<Vec<_>>().join("、"))
                } else {
                    format!("must be one of: {}", words.split_whitespace().collect::<Vec<_>>().join(", ").replace('_', " "))
                }
            }
            TemperatureRange => {
                if zh {
                    "体温应在 34.0 到 43.0 ℃ 之间".into()
                } else {
                    "a body temperature lies between 34.0 and 43.0 °C".into()
                }
            }
            TemperatureFormat => {
                if zh {
                    "应为数字（℃），如 36.5".into()
                } else {
                    "must be a number of degrees Celsius, e.g. 36.5".into()
                }
            }
            PlateFormat => {
                if zh {
                    "车牌号格式不对（例：蒙G12345）".into()
                } else {
                    "not a vehicle plate (e.g. 蒙G12345)".into()
                }
            }
            DateFormat => {
                if zh {
                    "日期格式应为 YYYY-MM-DD".into()
                } else {
                    "a date is written YYYY-MM-DD".into()
                }
            }
            TimeFormat => {
                if zh {
                    "时间格式应为 YYYY-MM-DDTHH:MM（北京时间）或带时区".into()
                } else {
                    "a time is written YYYY-MM-DDTHH:MM (Beijing time) or with a zone".into()
                }
            }
            DateOrder => {
                if zh {
                    "结束不能早于开始".into()
                } else {
                    "the end cannot come before the start".into()
                }
            }
            Coordinates => {
                if zh {
                    "经纬度无效".into()
                } else {
                    "not a valid latitude/longitude".into()
                }
            }
            TooMany(n) => {
                if zh {
                    format!("最多 {n} 项")
                } else {
                    format!("at most {n} items")
                }
            }
            InFuture => {
                if zh {
                    "时间不能晚于现在".into()
                } else {
                    "cannot be in the future".into()
                }
            }
            NamesNobody => {
                if zh {
                    "请填写身份证号、姓名或车牌号中的至少一项".into()
                } else {
                    "give an ID number, a name or a plate".into()
                }
            }
            HeldElsewhere => {
                if zh {
                    "无法在此登记：须由同时管辖两处的上级指挥部处理，已通知其处置".into()
                } else {
                    "cannot be registered here: the HQ over both places must settle it, and has been told".into()
                }
            }
            Between(min, max) => {
                if zh {
                    format!("须在 {min} 到 {max} 之间")
                } else {
                    format!("must be between {min} and {max}")
                }
            }
            YearRange => {
                if zh {
                    "年份须在 1900 到 2200 之间".into()
                } else {
                    "the year must be between 1900 and 2200".into()
                }
            }
            DateWindow(from, to) => {
                if zh {
                    format!("须在 {from} 到 {to} 之间")
                } else {
                    format!("must be between {from} and {to}")
                }
            }
            TimeWindow(from, to) => {
                let (from, to) = (from.format("%Y-%m-%d %H:%M"), to.format("%Y-%m-%d %H:%M"));
                if zh { format!("须在 {from} 到 {to}（北京时间）之间") } else { format!("must be between {from} and {to} (Beijing time)") }
            }
            NameCharacters => {
                if zh {
                    "只能含文字、空格和 · . - '，不能含数字、其他符号、换行或不可见字符".into()
                } else {
                    "may hold only letters, spaces and . - ' (no digits, other symbols, line breaks or invisible characters)".into()
                }
            }
            TextCharacters => {
                if zh {
                    "不能含网页标记（如 <b>）、换行或不可见字符".into()
                } else {
                    "must not contain markup (such as <b>), line breaks or invisible characters".into()
                }
            }
            LabelCharacters => {
                if zh {
                    "不能含 < >、换行或不可见字符".into()
                } else {
                    "must not contain < >, line breaks or invisible characters".into()
                }
            }
            CodeUnderParent => {
                if zh {
                    "须以上级单位的编码开头，并比它长".into()
                } else {
                    "must begin with the parent unit's code and be longer than it".into()
                }
            }
            NoFreeCode => {
                if zh {
                    "已无可自动编的三位序号，请填写编码".into()
                } else {
                    "no three-digit number is left to give automatically; type a code".into()
                }
            }
            Unknown => {
                if zh {
                    "找不到，或不在您的管辖范围内".into()
                } else {
                    "not found, or outside your area".into()
                }
            }
            NotStaff => {
                if zh {
                    "须是管辖此单位的网格长（网格员须是网格员或网格长）".into()
                } else {
                    "must be a grid leader over this unit (a member: a grid member or leader over it)".into()
                }
            }
            NotMemberHere => {
                if zh {
                    "须是此户所在网格的网格员".into()
                } else {
                    "must be a grid member of this household's grid".into()
                }
            }
            NotOwnUnit => {
                if zh {
                    "只能由本单位的网格长或指挥部确认本单位的日报告".into()
                } else {
                    "a unit's day is confirmed by its own grid leader or HQ only".into()
                }
            }
            NoSignOff => {
                if zh {
                    "只有村（社区）、乡镇（街道）和县（区）确认日报告".into()
                } else {
                    "only villages, townships and counties confirm a day's report".into()
                }
            }
            NotABoundary => {
                if zh {
                    format!(
                        "须为 GeoJSON 的 Polygon 或 MultiPolygon：WGS 84 经纬度，每个环至少 4 个点且首尾相接，共不超过 {} 个点",
                        super::boundaries::MAX_POINTS
                    )
                } else {
                    format!(
                        "must be a GeoJSON Polygon or MultiPolygon: WGS 84 longitude and latitude, each ring of at least 4 positions and closed, {} points at most",
                        super::boundaries::MAX_POINTS
                    )
                }
            }
            NotACursor => {
                if zh {
                    "不是上一页答复中给出的 next 值".into()
                } else {
                    "is not a `next` that a previous page gave".into()
                }
            }
            SymptomsWhenWell => {
                if zh {
                    "选了症状时，身体状况应为“有症状”".into()
                } else {
                    "with a symptom ticked, the health must be unwell".into()
                }
            }
            StaleForm => {
                if zh {
                    "这张表已过期或不是本户的，请刷新页面后重新填写".into()
                } else {
                    "this form is out of date or not this household's: reload the page and fill it in again".into()
                }
            }
            SeveralHouseholds(groups) => {
                if zh {
                    format!("有 {groups} 个小组都有这个户号：请在户号前写上小组名（必要时连同村名），如“一组 001”")
                } else {
                    format!(
                        "{groups} groups have a household of this number: write the group's name (and its village's, if need be) before it, e.g. “一组 001”"
                    )
                }
            }
        }
    }
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: Reason) -> Self {
        DomainError::Invalid { field, reason }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            DomainError::Invalid { field, reason } => {
                format!("{}: {}", lang::field_name(field, lang), reason.message(lang))
            }
            DomainError::NotAllowed(what) => match (lang, refusal_zh(what)) {
                (Lang::Zh, Some(what)) => format!("您的账号无权{what}"),
                (Lang::Zh, None) => "您的账号无权执行此操作".into(),
                (Lang::En, _) => format!("Your account may not {what}."),
            },
            DomainError::Several(all) => all.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join(if lang == Lang::Zh { "；" } else { "; " }),
            DomainError::Feature(feature) => feature.message(lang),
            DomainError::Unconfirmed(names) => match lang {
                Lang::Zh => format!("下级尚未确认当日报告：{}", names.join("、")),
                Lang::En => format!("not yet confirmed by the units below: {}", names.join(", ")),
            },
        }
    }

    /// The same problem said of `field`: a value parsed by a type that names its own field
    /// (`Login::parse` says `login`) in a form that labels it otherwise.
    pub fn named(self, field: &'static str) -> Self {
        match self {
            DomainError::Invalid { reason, .. } => DomainError::Invalid { field, reason },
            other => other,
        }
    }

    /// Each problem on its own (one, or each of `Several`).
    pub fn each(&self) -> Vec<&DomainError> {
        match self {
            DomainError::Several(all) => all.iter().flat_map(DomainError::each).collect(),
            one => vec![one],
        }
    }
}

/// The problems of a form, collected field after field, so that a person sees them all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<DomainError>);

impl Problems {
    /// The value, or `None` with its problem kept.
    pub fn check<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub fn push(&mut self, err: DomainError) {
        self.0.push(err);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each problem kept, in the order the fields were checked.
    pub fn into_each(self) -> Vec<DomainError> {
        self.0
    }

    /// `Ok` when there were none; one problem as itself, more as `Several`.
    pub fn finish(mut self) -> Result<(), DomainError> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => Err(DomainError::Several(self.0)),
        }
    }
}

/// What a refused account tried to do, in Chinese (the English is the words themselves).
fn refusal_zh(what: &str) -> Option<&'static str> {
    Some(match what {
        "add residents" => "添加居民",
        "draw units' boundaries" => "绘制单位边界",
        "assign households" => "分配包联户",
        "assign staff" => "指派网格长和网格员",
        "change households" => "修改户信息",
        "change the roster" => "修改户籍名册",
        "do command HQ's work" => "执行指挥部的工作",
        "change residents" => "修改居民信息",
        "create households" => "新增户",
        "create units" => "新增下级单位",
        "declare key areas" => "设定重点地区",
        "end isolation" => "解除隔离",
        "follow up isolation" => "登记隔离随访",
        "hand out check-in links" => "生成报平安链接",
        "hand out staff links" => "生成职工报平安链接",
        "import" | "import roster" => "导入花名册",
        "import units" => "导入单位",
        "list an organisation's staff" => "登记单位职工",
        "log passages" => "登记卡点通行",
        "manage accounts" => "管理账号",
        "open screening rounds" => "发起排查轮次",
        "order isolation" => "下达隔离",
        "read the audit log" => "查看操作日志",
        "read the roster" => "查看户籍名册",
        "read trajectories" => "查看行动轨迹",
        "record visits" => "登记入户排查",
        "register organisations" => "登记单位",
        "register returnees" => "登记返乡人员",
        "rename units" => "修改单位名称",
        "set the issuing body of printouts" => "设置打印件的出具单位",
        "report check-ins" => "报平安",
        "screen people" => "排查人员",
        "search for people" => "查找人员",
        "set up checkpoints" => "设置卡点",
        "trace contacts" => "追踪密切接触者",
        "confirm the day's report" => "确认日报告",
        "change an order that has ended" => "修改已结束的隔离",
        "follow up an order that has ended" => "为已结束的隔离登记随访",
        "pair a cadre who cannot see the household" => "指派看不到此户的干部",
        "release without a final follow-up on the planned day" => "在计划解除日登记最后一次随访之前解除隔离",
        _ => return None,
    })
}
