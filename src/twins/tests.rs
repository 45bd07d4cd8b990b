use super::*;
use crate::parser::parse;

/// A transcript of `(time, speaker, text)` messages.
fn chat(messages: &[(&str, &str, &str)]) -> String {
    messages
        .iter()
        .map(|(time, speaker, text)| format!("> {time}  {speaker}  \n   \n{text}  \n   \n"))
        .collect()
}

/// The twins as (earlier, later, why), by message index.
fn twins_of(text: &str, aliases: &Aliases) -> Vec<(usize, usize, Why)> {
    let options = TwinOptions::default();
    let transcript = parse(text);
    let evidence = Evidence::of_transcript(text, &transcript, &options);
    find_twins(text, &transcript, &options, aliases, &evidence)
        .into_iter()
        .map(|pair| (pair.earlier, pair.later, pair.why))
        .collect()
}

/// Two exports of one chat merged: each message twice, the second export's
/// clock a second late and its names the long ones. Sixteen messages of
/// `钟` and `于高禾` alternately, then both say `[强]` at one second, then
/// `右军`, who speaks once, sends an empty message.
fn merged() -> String {
    let names = [
        ("钟", "钟文帅-移付宝科技-产品经理"),
        ("于高禾", "于高禾-一亩田 PL"),
    ];
    let mut messages = Vec::new();
    for i in 0..16 {
        let (short, long) = names[i % 2];
        let text = format!("第{i}条");
        messages.push((format!("20:{:02}:05", 10 + i), short, text.clone()));
        messages.push((format!("20:{:02}:06", 10 + i), long, text));
    }
    for (time, name) in [
        ("20:30:00", "钟"),
        ("20:30:00", "于高禾"),
        ("20:30:01", "钟文帅-移付宝科技-产品经理"),
        ("20:30:01", "于高禾-一亩田 PL"),
    ] {
        messages.push((time.to_string(), name, "[强]".to_string()));
    }
    messages.push(("20:31:00".to_string(), "右军", String::new()));
    messages.push(("20:31:01".to_string(), "右军-支付宝", String::new()));
    let messages: Vec<(&str, &str, &str)> = messages
        .iter()
        .map(|(time, name, text)| (time.as_str(), *name, text.as_str()))
        .collect();
    chat(&messages)
}

#[test]
fn a_merge_pairs_each_copy_with_its_own() {
    let text = merged();
    let mut expected: Vec<(usize, usize, Why)> =
        (0..16).map(|i| (2 * i, 2 * i + 1, Why::Evident)).collect();
    // Each `[强]` with its own, not with the other person's of that second.
    expected.extend([(32, 34, Why::Evident), (33, 35, Why::Evident)]);
    // Seen once, with an empty body: in a merge, still a twin.
    expected.push((36, 37, Why::Evident));
    assert_eq!(twins_of(&text, &Aliases::default()), expected);
    let transcript = parse(&text);
    let evidence = Evidence::of_transcript(&text, &transcript, &TwinOptions::default());
    assert!(evidence.merged());
    assert!(evidence.pair_up("钟", "钟文帅-移付宝科技-产品经理"));
    // `钟` and `于高禾-一亩田 PL` said `[强]` a second apart, once: neither is
    // the other's most frequent partner.
    assert!(!evidence.pair_up("钟", "于高禾-一亩田 PL"));
    assert_eq!((evidence.consistent(), evidence.messages()), (19, 38));
    // The four coincidences of the `[强]` burst.
    assert_eq!(evidence.across_names(), 23);
}

#[test]
fn coincidences_in_one_export_are_not_twins() {
    let text = chat(&[
        ("19:05:08", "Tom", "签到"),
        ("19:05:08", "西纳", "签到"),
        ("19:05:09", "王新", "签到"),
        ("19:05:10", "七夜", "1"),
        ("19:05:10", "陈宏", "1"),
        ("19:05:11", "右军", "这个话题很有意思，大家怎么看"),
        ("19:05:30", "甲", "收到"),
        ("19:05:31", "乙", "收到"),
        ("19:06:00", "丙", "今天的分享到这里"),
        ("19:07:00", "丁", "谢谢"),
        ("19:08:00", "戊", "[强]"),
        ("19:09:00", "己", "好"),
    ]);
    let transcript = parse(&text);
    let evidence = Evidence::of_transcript(&text, &transcript, &TwinOptions::default());
    assert!(!evidence.merged(), "{evidence:?}");
    assert_eq!(twins_of(&text, &Aliases::default()), []);
    // Configured, two names are one person's wherever they are.
    let aliases = Aliases::new([("甲".to_string(), "乙".to_string())].into());
    assert_eq!(twins_of(&text, &aliases), [(6, 7, Why::Configured)]);
}

#[test]
fn a_copy_is_a_twin_in_any_file_but_a_repeat_is_not() {
    let text = chat(&[
        ("10:00:00", "右军", "已转"),
        ("10:00:00", "右军", "已转"),
        ("10:00:02", "右军", "已转"),
        ("10:00:03", "右军", ""),
        ("10:00:03", "右军", ""),
        ("10:05:00", "左军", "好"),
        ("10:06:00", "中军", "嗯"),
        ("10:07:00", "后军", "行"),
    ]);
    // Same second and text: a copy. Seconds later, or empty: not in one export.
    assert_eq!(twins_of(&text, &Aliases::default()), [(0, 1, Why::Copy)]);
}

#[test]
fn twins_are_near_in_time_and_on_one_day() {
    let mut text = merged();
    // Five seconds apart is more than the exporters' clocks differ.
    text.push_str(&chat(&[
        ("20:20:00", "钟", "晚安"),
        ("20:20:05", "钟文帅-移付宝科技-产品经理", "晚安"),
    ]));
    assert_eq!(twins_of(&text, &Aliases::default()).len(), 19);
    // A day heading between two messages: two days.
    let days = "> 23:59:59  钟  \n   \n晚安  \n   \n## 2017-12-21\n> 23:59:59  钟  \n   \n晚安  \n";
    assert_eq!(twins_of(days, &Aliases::default()), []);
}

/// The evidence from the text a part at a time is the evidence from the
/// whole model.
#[test]
fn evidence_in_parts_is_the_evidence_whole() {
    let mut text = String::from("---\ntitle: t\n---\n");
    for i in 0..8000 {
        // A new day every 1,000 messages, with the same times again: the
        // twins do not cross it.
        if i % 1000 == 0 {
            text.push_str(&format!("## 2017-12-{:02}\n", 17 + i / 1000));
        }
        let time = format!(
            "{:02}:{:02}:{:02}",
            8 + i % 1000 / 3600,
            i % 1000 / 60 % 60,
            i % 60
        );
        text.push_str(&chat(&[
            (&time, &format!("甲{}", i % 7), &format!("第{}条", i % 1000)),
            (&time, &format!("乙{}", i % 7), &format!("第{}条", i % 1000)),
        ]));
    }
    let options = TwinOptions::default();
    let whole = Evidence::of_transcript(&text, &parse(&text), &options);
    let parts = Evidence::of_text(&text, &options);
    assert!(text.len() > 2 << 18 && whole.merged());
    assert_eq!(
        (whole.messages(), whole.across_names(), whole.consistent()),
        (parts.messages(), parts.across_names(), parts.consistent())
    );
    assert!(parts.pair_up("甲3", "乙3") && !parts.pair_up("甲3", "乙4"));
    assert_eq!(parts.across_names(), 8000);
    // Across a day heading, at the same time of day, two days.
    let days = "> 23:59:59  甲  \n   \n晚安  \n## 2017-12-21\n> 23:59:59  乙  \n   \n晚安  \n";
    let whole = Evidence::of_transcript(days, &parse(days), &options);
    let parts = Evidence::of_text(days, &options);
    assert_eq!((whole.across_names(), parts.across_names()), (0, 0));
    let one_day = days.replace("## 2017-12-21\n", "");
    assert_eq!(Evidence::of_text(&one_day, &options).across_names(), 1);
}

#[test]
fn a_cut_that_no_twins_cross_settles_what_follows() {
    let text = chat(&[
        ("10:00:00", "a", "x"),
        ("10:00:01", "b", "x"),
        ("10:00:02", "c", "x"),
        ("10:01:00", "d", "y"),
        ("10:01:01", "e", "y"),
    ]);
    let start = text.find("> 10:00:01").unwrap();
    let transcript = crate::parser::parse_range(&text, start..text.len());
    let options = TwinOptions {
        max_distance: 1,
        ..TwinOptions::default()
    };
    // From the part's start: between `c` and `d` (a minute), one message in.
    assert!(settled_from(&transcript, 3, &options));
    // Not before `c`: `b` and `c` are a second apart.
    assert!(!settled_from(&transcript, 1, &options));
    // The file's start needs nothing before it.
    assert!(settled_from(&parse(&text), 0, &options));
}
