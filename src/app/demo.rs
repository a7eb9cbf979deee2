//! Demo data: the real divisions of Tongliao (通辽市, embedded) and generated villager
//! groups, households and residents below them. Generation is deterministic, so loading
//! twice changes nothing. The small scale is one whole county: its first three villages as
//! the full scale has them, and a sample (the first households of one group) of the first
//! villages of each of its other townships, so that every township has figures to show.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::roster::{RosterHousehold, RosterResident};
use crate::domain::unit::NewUnit;
use crate::domain::{Caller, IdNumber, Phone, Residence, UnitCode, UnitPath};
use crate::store::ImportSummary;

use super::accounts::{NewUser, add_demo_user};
use super::{App, AppError};

/// The official division files of Tongliao, as published (see data/divisions-tongliao).
pub const TONGLIAO_DIVISIONS: [(&str, &str); 5] = [
    ("provinces", include_str!("../../data/divisions-tongliao/provinces.csv")),
    ("cities", include_str!("../../data/divisions-tongliao/cities.csv")),
    ("areas", include_str!("../../data/divisions-tongliao/areas.csv")),
    ("streets", include_str!("../../data/divisions-tongliao/streets.csv")),
    ("villages", include_str!("../../data/divisions-tongliao/villages.csv")),
];

/// The seeds' Tongliao: 9,192 villager groups holding 640,000 households.
pub const TONGLIAO_GROUPS: usize = 9_192;
pub const TONGLIAO_HOUSEHOLDS: usize = 640_000;
/// The small scale: the first villages of the first county in full, and of each of its other
/// townships this many villages, each one group of `SAMPLE_HOUSEHOLDS`.
const SMALL_VILLAGES: usize = 3;
const SAMPLE_VILLAGES: usize = 2;
const SAMPLE_HOUSEHOLDS: usize = 12;

pub const DEMO_PASSWORD: &str = "wangge-demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// 科尔沁区: three villages in full and two villages of each other township, sampled:
    /// about 1,450 households.
    Small,
    /// All of Tongliao as the seeds count it: 9,192 groups, 640,000 households, ~2.5 M residents.
    Tongliao,
}

/// A villager group to generate, with its household count.
#[derive(Debug, Clone)]
pub struct GroupPlan {
    pub village_code: String,
    pub code: String,
    pub name: String,
    pub households: usize,
}

/// The villager groups of a scale, county by county (the county code is the key).
pub fn plan(scale: Scale) -> Vec<(String, Vec<GroupPlan>)> {
    let villages = official_villages();
    let extra_groups = TONGLIAO_GROUPS - 3 * villages.len();
    let mut group_index = 0;
    let mut counties: Vec<(String, Vec<GroupPlan>)> = Vec::new();
    if scale == Scale::Small {
        return small_plan(&villages);
    }
    for (i, (code, county)) in villages.iter().enumerate() {
        let groups = if i < extra_groups { 4 } else { 3 };
        for (g, numeral) in CHINESE_NUMERALS.iter().enumerate().take(groups + 1).skip(1) {
            let households = TONGLIAO_HOUSEHOLDS / TONGLIAO_GROUPS + usize::from(group_index < TONGLIAO_HOUSEHOLDS % TONGLIAO_GROUPS);
            group_index += 1;
            let plan = GroupPlan { village_code: code.clone(), code: format!("{code}{g:03}"), name: format!("第{numeral}村民小组"), households };
            match counties.last_mut() {
                Some((c, groups)) if c == county => groups.push(plan),
                _ => counties.push((county.clone(), vec![plan])),
            }
        }
    }
    counties
}

/// The small scale's groups: the full scale's first three villages, then the first group of the
/// first `SAMPLE_VILLAGES` villages of each other township of the same county, sampled.
fn small_plan(villages: &[(String, String)]) -> Vec<(String, Vec<GroupPlan>)> {
    let full = plan(Scale::Tongliao);
    let (county, all_groups) = &full[0];
    let first: Vec<&String> = villages.iter().take(SMALL_VILLAGES).map(|(code, _)| code).collect();
    let mut groups: Vec<GroupPlan> = all_groups.iter().filter(|g| first.contains(&&g.village_code)).cloned().collect();
    let first_townships: Vec<&str> = first.iter().map(|v| &v[..9]).collect();
    let mut sampled: HashMap<&str, usize> = HashMap::new();
    for (village, of_county) in villages {
        let township = &village[..9];
        if of_county != county || first_townships.contains(&township) {
            continue;
        }
        let taken = sampled.entry(township).or_default();
        if *taken == SAMPLE_VILLAGES {
            continue;
        }
        *taken += 1;
        if let Some(group) = all_groups.iter().find(|g| &g.village_code == village) {
            groups.push(GroupPlan { households: SAMPLE_HOUSEHOLDS, ..group.clone() });
        }
    }
    vec![(county.clone(), groups)]
}

/// (village code, county code) of every embedded village, in file order.
fn official_villages() -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(TONGLIAO_DIVISIONS[4].1.as_bytes());
    reader.records().filter_map(Result::ok).map(|r| (r[0].to_string(), r[5].to_string())).collect()
}

const CHINESE_NUMERALS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Generates the households of one county's groups. Sequence numbers of ID numbers are
/// counted per birth date within the county, so every number is unique.
pub fn households(county: &str, groups: &[GroupPlan]) -> Vec<RosterHousehold> {
    let mut sequences: HashMap<(NaiveDate, bool), u16> = HashMap::new();
    let mut out = Vec::with_capacity(groups.iter().map(|g| g.households).sum());
    for group in groups {
        let mut rng = Rng::seeded(&group.code);
        let unit_code = UnitCode::parse(&group.code).expect("generated codes are valid");
        for n in 1..=group.households {
            let mongolian = rng.chance(45);
            let renters = rng.chance(8);
            let surname = if mongolian { pick(&mut rng, MONGOLIAN_SURNAMES) } else { pick(&mut rng, HAN_SURNAMES) };
            let head_age = 28 + rng.below(48) as i32;
            let mut members = vec![("户主", head_age, rng.chance(50))];
            if rng.chance(80) {
                let male = !members[0].2;
                members.push(("配偶", (head_age + rng.below(7) as i32 - 3).max(20), male));
            }
            for _ in 0..rng.below(4) + u64::from(rng.chance(40)) {
                members.push(("子女", (head_age - 22 - rng.below(14) as i32).max(0), rng.chance(50)));
            }
            if head_age < 55 && rng.chance(40) {
                members.push(("父母", head_age + 24 + rng.below(10) as i32, rng.chance(50)));
            }
            let residents = members
                .into_iter()
                .enumerate()
                .map(|(i, (relation, age, male))| {
                    let birth = birth_date(&mut rng, age);
                    let counter = sequences.entry((birth, male)).or_insert(0);
                    *counter += 1;
                    let sequence = *counter * 2 - u16::from(male);
                    let name = person_name(&mut rng, surname, mongolian, relation);
                    let phone = (age >= 16 && rng.chance(if i == 0 { 90 } else { 50 })).then(|| mobile(&mut rng));
                    RosterResident {
                        row: 0,
                        name,
                        id_number: IdNumber::compose(county, birth, sequence).expect("composed numbers are valid"),
                        relation: relation.to_string(),
                        phone,
                        residence: if renters { Residence::Renter } else { Residence::Permanent },
                    }
                })
                .collect();
            out.push(RosterHousehold {
                unit_code: unit_code.clone(),
                household_no: format!("{n:03}"),
                address: Some(format!("{}{}号", group.name, n)),
                residents,
            });
        }
    }
    out
}

/// Writes households as a roster CSV with Chinese headers, as an office would keep it.
pub fn write_csv(households: &[RosterHousehold], out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["户号", "姓名", "身份证号", "与户主关系", "联系电话", "住址", "网格编码", "居住类型"])?;
    for h in households {
        for r in &h.residents {
            writer.write_record([
                h.household_no.as_str(),
                r.name.as_str(),
                r.id_number.as_str(),
                r.relation.as_str(),
                r.phone.as_ref().map_or("", |p| p.as_str()),
                h.address.as_deref().unwrap_or(""),
                h.unit_code.as_str(),
                if r.residence == Residence::Renter { "租住" } else { "常住" },
            ])?;
        }
    }
    writer.flush()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct DemoSummary {
    pub units_created: usize,
    pub roster: ImportSummary,
}

/// Loads the divisions, villager groups, roster and demo accounts. `progress` gets
/// (households done, households in all).
pub async fn load(app: &App, scale: Scale, progress: &(dyn Fn(usize, usize) + Send + Sync)) -> Result<DemoSummary, AppError> {
    let root = app.system_caller(UnitPath::root());
    let sheets: Vec<(String, Vec<u8>)> = TONGLIAO_DIVISIONS.iter().map(|(stem, text)| (stem.to_string(), text.as_bytes().to_vec())).collect();
    let mut summary = DemoSummary { units_created: super::divisions::import(app, &root, &sheets).await?.created, ..Default::default() };
    let counties = plan(scale);
    let groups: Vec<(usize, NewUnit)> = counties
        .iter()
        .flat_map(|(_, groups)| groups)
        .map(|g| (0, NewUnit::parse(&g.code, &g.name, Some(&g.village_code), None).expect("generated units are valid")))
        .collect();
    summary.units_created += app.store.upsert_units(&root, &groups).await?.created;
    let total: usize = counties.iter().flat_map(|(_, g)| g).map(|g| g.households).sum();
    let mut done = 0;
    for (county, groups) in &counties {
        let households = households(county, groups);
        let into = UnitCode::parse(county)?;
        let caller = app.system_caller(UnitPath::root());
        let counted = households.len();
        let part = app.store.import_roster(&caller, &into, &households, &|_| {}).await?;
        add(&mut summary.roster, part);
        done += counted;
        progress(done, total);
    }
    demo_accounts(app, &root, &counties).await?;
    let first = &counties[0].1[0];
    super::demo_field::load(app, &first.village_code, &first.code).await?;
    super::demo_maps::load(app, &counties[0].0).await?;
    Ok(summary)
}

fn add(total: &mut ImportSummary, part: ImportSummary) {
    total.households_created += part.households_created;
    total.households_updated += part.households_updated;
    total.households_unchanged += part.households_unchanged;
    total.residents_created += part.residents_created;
    total.residents_updated += part.residents_updated;
    total.residents_unchanged += part.residents_unchanged;
}

/// The demo logins, each with `DEMO_PASSWORD`: (login, role, unit).
pub fn demo_logins(counties: &[(String, Vec<GroupPlan>)]) -> Vec<(&'static str, &'static str, String)> {
    let first_group = &counties[0].1[0];
    vec![
        ("admin", "admin", "15".to_string()),
        ("hq", "hq", counties[0].0.clone()),
        ("leader", "grid_leader", first_group.village_code.clone()),
        ("member", "grid_member", first_group.code.clone()),
        ("checkpoint", "checkpoint", first_group.village_code.clone()),
    ]
}

async fn demo_accounts(app: &App, root: &Caller, counties: &[(String, Vec<GroupPlan>)]) -> Result<(), AppError> {
    for (login, role, unit_code) in demo_logins(counties) {
        let user = NewUser { login, password: DEMO_PASSWORD, role, unit_code: &unit_code, display_name: "" };
        match add_demo_user(app, root, user).await {
            Ok(_) => {
                if login == "member" {
                    let first = &counties[0].1[0];
                    let page = app.store.households(&root.scope, &UnitCode::parse(&first.code)?, None, 8).await?.ok_or(AppError::NotFound)?;
                    for item in page.items {
                        app.store.assign_member(root, item.id, Some(&crate::domain::Login::parse(login)?)).await?;
                    }
                }
                if login == "leader" {
                    let village = UnitCode::parse(&unit_code)?;
                    app.store.set_staff(root, &village, &crate::domain::Login::parse(login)?, Some(crate::store::Duty::Leader)).await?;
                }
                if login == "member" {
                    let group = UnitCode::parse(&unit_code)?;
                    app.store.set_staff(root, &group, &crate::domain::Login::parse(login)?, Some(crate::store::Duty::Member)).await?;
                }
            }
            Err(AppError::Conflict(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

/// SplitMix64: small, fast and the same on every machine.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn seeded(text: &str) -> Rng {
        Rng(text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// A birth date for someone of `age` in 2020, the year of the seeds.
fn birth_date(rng: &mut Rng, age: i32) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2020 - age - 1, 1, 1).expect("valid year");
    let days = if start.leap_year() { 366 } else { 365 };
    start + chrono::Duration::days(rng.below(days) as i64)
}

fn person_name(rng: &mut Rng, surname: &str, mongolian: bool, relation: &str) -> String {
    if mongolian {
        // Many Mongolian names are given names alone; a spouse keeps their own.
        let given = pick(rng, MONGOLIAN_GIVEN);
        if relation == "配偶" || rng.chance(50) { given.to_string() } else { format!("{surname}{given}") }
    } else {
        let surname = if relation == "配偶" { pick(rng, HAN_SURNAMES) } else { surname };
        let first = pick(rng, HAN_GIVEN);
        if rng.chance(30) { format!("{surname}{first}") } else { format!("{surname}{first}{}", pick(rng, HAN_GIVEN)) }
    }
}

fn mobile(rng: &mut Rng) -> Phone {
    let prefix = pick(
        rng,
        &["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "177", "180", "183", "186", "187", "189", "199"],
    );
    Phone::parse(&format!("{prefix}{:08}", rng.below(100_000_000))).expect("generated mobiles are valid")
}

const HAN_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐",
    "冯", "于", "董", "程", "曹", "袁", "邓", "许", "沈", "彭", "吕", "苏", "卢", "蒋", "贾", "丁", "魏", "薛", "田", "任", "姜", "范", "石", "姚", "崔", "毛",
    "郝", "孟", "常", "武", "乔", "贺", "邢", "付", "齐", "尹", "霍", "闫", "葛", "侯", "段", "杜",
];
const HAN_GIVEN: &[&str] = &[
    "建", "国", "军", "华", "明", "玉", "英", "秀", "兰", "芳", "丽", "红", "霞", "志", "强", "伟", "刚", "勇", "平", "文", "海", "春", "梅", "凤", "林", "东",
    "云", "金", "桂", "淑", "静", "敏", "磊", "洋", "艳", "娟", "涛", "鹏", "宇", "浩", "欣", "怡", "佳", "琪", "振", "福", "德", "庆", "荣", "成", "利", "新",
    "立", "彬", "晶", "雪", "颖", "慧", "婷", "超", "亮", "杰", "旭", "博",
];
const MONGOLIAN_SURNAMES: &[&str] = &["包", "白", "吴", "韩", "宝", "鲍", "乌", "敖", "海", "陶"];
const MONGOLIAN_GIVEN: &[&str] = &[
    "巴特尔",
    "其木格",
    "乌云",
    "苏和",
    "额尔敦",
    "萨仁",
    "图雅",
    "宝音",
    "朝鲁",
    "那日苏",
    "斯琴",
    "阿拉坦",
    "格日勒",
    "乌兰",
    "敖特根",
    "哈斯",
    "白音",
    "满都拉",
    "吉日木图",
    "达林台",
    "娜仁",
    "高娃",
    "乌日娜",
    "孟和",
    "巴雅尔",
    "布和",
    "查干",
    "都仁",
    "阿木尔",
    "额日敦",
    "特木尔",
    "呼和",
    "斯日古楞",
    "塔娜",
    "萨日娜",
    "其其格",
    "乌力吉",
    "宝力道",
    "青格乐",
    "苏日娜",
    "扎那",
    "朝格图",
    "图门",
    "额尔德木图",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tongliao_scale_matches_the_seeds() {
        let counties = plan(Scale::Tongliao);
        assert_eq!(counties.len(), 9);
        let groups: Vec<&GroupPlan> = counties.iter().flat_map(|(_, g)| g).collect();
        assert_eq!(groups.len(), TONGLIAO_GROUPS);
        assert_eq!(groups.iter().map(|g| g.households).sum::<usize>(), TONGLIAO_HOUSEHOLDS);
    }

    #[test]
    fn small_scale_is_one_county_begun_as_the_full_one() {
        let small = plan(Scale::Small);
        let full = plan(Scale::Tongliao);
        assert_eq!(small.len(), 1, "one county");
        let townships: std::collections::BTreeSet<&str> = small[0].1.iter().map(|g| &g.village_code[..9]).collect();
        assert_eq!(townships.len(), 27, "every township of 科尔沁区");
        let in_full = small[0].1.iter().take_while(|g| g.households != SAMPLE_HOUSEHOLDS).count();
        let small_households = households(&small[0].0, &small[0].1[..in_full]);
        let full_households = households(&full[0].0, &full[0].1[..in_full]);
        assert_eq!(small_households, full_households, "the first villages as the full scale has them");
        let sampled: std::collections::HashSet<_> =
            households(&small[0].0, &small[0].1).iter().flat_map(|h| h.residents.iter().map(|r| r.id_number.clone())).collect();
        let sampled_people: usize = households(&small[0].0, &small[0].1).iter().map(|h| h.residents.len()).sum();
        assert_eq!(sampled.len(), sampled_people, "ID numbers are unique in the small scale too");
        let ids: std::collections::HashSet<_> =
            households(&full[0].0, &full[0].1).iter().flat_map(|h| h.residents.iter().map(|r| r.id_number.clone())).collect();
        let people: usize = households(&full[0].0, &full[0].1).iter().map(|h| h.residents.len()).sum();
        assert_eq!(ids.len(), people, "ID numbers are unique within a county");
    }
}
