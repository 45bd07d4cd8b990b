use super::*;

fn names(text: &str) -> KnownNames {
    let speakers: Vec<&str> = parser::headers(text)
        .map(|header| header.speaker(text))
        .collect();
    KnownNames::new(text, speakers)
}

#[test]
fn speakers_are_known_longest_first() {
    let text = "> 07:00:00  降峰  \n\n好  \n\n> 07:00:01  降峰 百度金融pm 北京  \n\n好  \n";
    let names = names(text);
    assert_eq!(names.longest_at("降峰 百度金融pm 北京?你们"), Some(28));
    assert_eq!(names.longest_at("降峰 你好"), Some(6));
    // A known name must end where it stops.
    assert_eq!(names.longest_at("降峰呀?你好"), None);
}

#[test]
fn a_repeated_mention_with_different_continuations_is_a_name() {
    let text = "> 07:00:00  甲  \n\n@肖勇-亿宏-c?to?[强]  \n@肖勇-亿宏-c?to?农商行  \n";
    let names = names(text);
    assert_eq!(
        names.longest_at("肖勇-亿宏-c?to?好"),
        Some("肖勇-亿宏-c?to".len())
    );
    // Twins of one message show nothing.
    let twins = "> 07:00:00  甲  \n\n@Leo 你好?在吗  \n@Leo 你好?在吗  \n";
    assert_eq!(self::names(twins).longest_at("Leo 你好?在吗"), None);
}

#[test]
fn a_name_with_a_question_mark_followed_by_a_space_and_by_text_is_a_name() {
    // Not split at `c?` by the first mention's reading.
    let text = "> 07:00:00  甲  \n\n@肖勇-亿宏-c?to 你好  \n@肖勇-亿宏-c?to?农商行  \n";
    let name = "肖勇-亿宏-c?to".len();
    assert_eq!(names(text).longest_at("肖勇-亿宏-c?to?好"), Some(name));
    // Ended by U+2005 once: a name for certain.
    let fixed = "> 07:00:00  甲  \n\n@肖勇-亿宏-c?to\u{2005}农商行  \n";
    assert_eq!(names(fixed).longest_at("肖勇-亿宏-c?to 你好"), Some(name));
}

#[test]
fn a_name_ended_by_a_glued_question_mark_is_known_unless_it_may_go_on() {
    let text = "> 07:00:00  甲  \n\n@右军?支付宝  \n@牟宁波?天地融?产品  \n";
    let names = names(text);
    assert_eq!(names.longest_at("右军?好的"), Some(6));
    assert_eq!(names.longest_at("牟宁波?好的"), None);
}
