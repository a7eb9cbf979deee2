use super::*;

#[test]
fn every_word_the_templates_use_exists_in_both_languages() {
    let templates = [
        include_str!("../../../../templates/base.html"),
        include_str!("../../../../templates/unit.html"),
        include_str!("../../../../templates/household.html"),
        include_str!("../../../../templates/household_rows.html"),
        include_str!("../../../../templates/login.html"),
        include_str!("../../../../templates/member.html"),
        include_str!("../../../../templates/search.html"),
        include_str!("../../../../templates/audit.html"),
        include_str!("../../../../templates/error.html"),
        include_str!("../../../../templates/accounts.html"),
        include_str!("../../../../templates/checkpoint.html"),
        include_str!("../../../../templates/register.html"),
        include_str!("../../../../templates/message.html"),
        include_str!("../../../../templates/person.html"),
        include_str!("../../../../templates/tasks.html"),
        include_str!("../../../../templates/returnees.html"),
        include_str!("../../../../templates/round.html"),
        include_str!("../../../../templates/key_areas.html"),
        include_str!("../../../../templates/checkin.html"),
        include_str!("../../../../templates/checkins.html"),
        include_str!("../../../../templates/isolation.html"),
        include_str!("../../../../templates/staff.html"),
        include_str!("../../../../templates/organisation.html"),
        include_str!("../../../../templates/dashboard.html"),
        include_str!("../../../../templates/unit_map.html"),
        include_str!("../../../../templates/colour_map.html"),
        include_str!("../../../../templates/colour_map_print.html"),
        include_str!("../../../../templates/colour_tiles.html"),
        include_str!("../../../../templates/issuer.html"),
        include_str!("../../../../templates/trends.html"),
        include_str!("../../../../templates/dashboard_trends.html"),
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
        ("accounts.html", include_str!("../../../../templates/accounts.html")),
        ("checkin.html", include_str!("../../../../templates/checkin.html")),
        ("checkpoint.html", include_str!("../../../../templates/checkpoint.html")),
        ("dashboard.html", include_str!("../../../../templates/dashboard.html")),
        ("unit_map.html", include_str!("../../../../templates/unit_map.html")),
        ("household.html", include_str!("../../../../templates/household.html")),
        ("isolation.html", include_str!("../../../../templates/isolation.html")),
        ("key_areas.html", include_str!("../../../../templates/key_areas.html")),
        ("login.html", include_str!("../../../../templates/login.html")),
        ("organisation.html", include_str!("../../../../templates/organisation.html")),
        ("person.html", include_str!("../../../../templates/person.html")),
        ("register.html", include_str!("../../../../templates/register.html")),
        ("returnees.html", include_str!("../../../../templates/returnees.html")),
        ("round.html", include_str!("../../../../templates/round.html")),
        ("staff.html", include_str!("../../../../templates/staff.html")),
        ("trends.html", include_str!("../../../../templates/trends.html")),
        ("unit.html", include_str!("../../../../templates/unit.html")),
        ("issuer.html", include_str!("../../../../templates/issuer.html")),
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

#[test]
fn a_tasks_subject_reads_in_the_pages_language() {
    let (zh, en) = (Texts { lang: Lang::Zh }, Texts { lang: Lang::En });
    assert_eq!(zh.subject("王强 · household,checkpoint"), "王强 · 同户、同卡点");
    assert_eq!(en.subject("王强 · household,checkpoint"), "王强 · same household, same checkpoint");
    assert_eq!(zh.subject(" · checkpoint"), "（本地未录入姓名） · 同卡点");
    assert_eq!(en.subject("followup_missed · 鲍哈斯"), "follow-up missed · 鲍哈斯");
    assert_eq!(zh.subject("乌兰 2026-12-05"), "乌兰 2026-12-05", "anything else as it is");
}
