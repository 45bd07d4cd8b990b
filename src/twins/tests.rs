use super::*;
use crate::diagnostic::Applicability;
use crate::parser::parse;
use crate::rules::registry;

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
            (
                &time,
                &format!("甲{}-乙", i % 7),
                &format!("第{}条", i % 1000),
            ),
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
    assert!(parts.pair_up("甲3", "甲3-乙") && !parts.pair_up("甲3", "甲4-乙"));
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

/// Four messages of one export: two people's `签到` in one second, two
/// others' `1` a second apart.
const FOUR_COINCIDENCES: [(&str, &str, &str); 4] = [
    ("19:05:08", "甲", "签到"),
    ("19:05:08", "乙", "签到"),
    ("19:06:00", "丙", "1"),
    ("19:06:01", "丁", "1"),
];

/// Ten messages of one export in which `甲` and `乙` echo each other twice
/// (`收到`, `好的`), a second or two apart.
const ECHOES: [(&str, &str, &str); 10] = [
    ("19:05:08", "甲", "今天谁分享"),
    ("19:05:30", "乙", "老熊"),
    ("19:06:00", "甲", "收到"),
    ("19:06:01", "乙", "收到"),
    ("19:07:00", "丙", "几点开始"),
    ("19:07:30", "甲", "八点"),
    ("19:08:00", "甲", "好的"),
    ("19:08:02", "乙", "好的"),
    ("19:09:00", "丁", "谢谢"),
    ("19:10:00", "丙", "[强]"),
];

/// A file reads as a merge only when a pair of its names looks like one
/// person's on their own, and a file too short for anyone to speak twice
/// only when all of them do.
#[test]
fn a_short_file_is_a_merge_only_under_names_alike() {
    let options = TwinOptions::default();
    let merged = |messages: &[(&str, &str, &str)]| {
        let text = chat(messages);
        Evidence::of_transcript(&text, &parse(&text), &options).merged()
    };
    // Two coincidences of one export: every message has its twin.
    assert!(!merged(&FOUR_COINCIDENCES));
    assert!(!merged(&[
        ("19:05:08", "甲", "签到"),
        ("19:05:08", "乙", "签到")
    ]));
    // Two people echoing each other twice, within seconds: a repeated pair,
    // 40 % of the messages, but no names alike (found attacking issue 12).
    assert!(!merged(&ECHOES));
    assert!(merged(&[
        ("16:22:22", "胡桥-资邦金服-财务核心", "有人买过吗？"),
        ("16:22:22", "胡桥-资邦金服-账务核心业务架构", "有人买过吗？"),
    ]));
    assert!(merged(&[
        ("08:13:34", "我", "不错。"),
        ("08:13:34", "李雄峰", "不错。")
    ]));
    assert!(merged(&[
        ("20:13:05", "钟", "7位数"),
        ("20:13:06", "钟文帅-移付宝科技-产品经理", "7位数"),
        ("20:14:05", "于高禾", "年薪"),
        ("20:14:06", "于高禾-一亩田 PL", "年薪"),
    ]));
}

/// `keep: canonical`'s count of each name's messages is the whole file's,
/// from the model or a part at a time, and kept only for names that could
/// twin under another.
#[test]
fn message_counts_are_the_whole_files() {
    let mut messages = vec![
        ("20:13:05", "钟", "7位数"),
        ("20:13:06", "钟文帅-移付宝科技-产品经理", "7位数"),
    ];
    for i in 0..5 {
        messages.push((
            ["20:20:00", "20:21:00", "20:22:00", "20:23:00", "20:24:00"][i],
            "钟",
            "嗯",
        ));
    }
    messages.push(("20:30:00", "右军", "好"));
    let text = chat(&messages);
    let options = TwinOptions::default();
    let whole = Evidence::of_transcript(&text, &parse(&text), &options);
    let parts = Evidence::of_text(&text, &options);
    for evidence in [&whole, &parts] {
        assert_eq!(evidence.message_count("钟"), 6);
        assert_eq!(evidence.message_count("钟文帅-移付宝科技-产品经理"), 1);
        assert_eq!(evidence.message_count("右军"), 0);
    }
}

// `duplicate-message`'s findings and fixes, which rest on the twins.

/// Issue 12 (found attacking it): every message of a file of four had
/// a twin under another name, so the file read as a merge, and
/// `--unsafe-fixes` deleted two people's real `签到` and `1`; two people
/// echoing each other twice in ten messages lost two the same way.
#[test]
fn unsafe_fixes_delete_no_message_of_a_short_single_export() {
    let rules = [registry::find("duplicate-message").unwrap()];
    for text in [
        chat(&FOUR_COINCIDENCES),
        chat(&[
            ("19:05:08", "Tom-澳门通-PMD", "签到"),
            ("19:05:09", "西纳", "签到"),
        ]),
        // Two people echoing each other twice.
        chat(&ECHOES),
    ] {
        let outcome = crate::fix_text("t", &text, &rules, Applicability::Unsafe).unwrap();
        assert_eq!(outcome.text, text);
        assert!(outcome.fixed.is_empty() && outcome.remaining.is_empty());
    }
    // One message twice under one person's two names is still a merge,
    // however short (two such files in the archive).
    for (a, b) in [
        ("胡桥-资邦金服-财务核心", "胡桥-资邦金服-账务核心业务架构"),
        ("我", "李雄峰"),
    ] {
        let text = chat(&[
            ("16:22:22", a, "有人买过吗？"),
            ("16:22:22", b, "有人买过吗？"),
        ]);
        let outcome = crate::fix_text("t", &text, &rules, Applicability::Unsafe).unwrap();
        assert_eq!(outcome.fixed.len(), 1, "{a} {b}");
    }
}

/// Without `aliases`, and neither name `我`, `keep: canonical` keeps
/// the name with more messages in the whole file before the longer.
#[test]
fn keep_canonical_prefers_the_name_with_more_messages() {
    let rules = [registry::find("duplicate-message").unwrap()];
    let mut messages = Vec::new();
    let texts = ["第一", "第二", "第三", "第四"];
    let times = ["20:10:00", "20:11:00", "20:12:00", "20:13:00"];
    for (time, text) in times.iter().zip(texts) {
        messages.push((*time, "钟", text));
        messages.push((*time, "钟文帅-移付宝科技-产品经理", text));
    }
    messages.extend([("20:20:00", "钟", "嗯"), ("20:21:00", "钟", "好")]);
    let text = chat(&messages);
    let outcome = crate::fix_text("t", &text, &rules, Applicability::Unsafe).unwrap();
    assert_eq!(outcome.fixed.len(), 4);
    assert!(!outcome.text.contains("钟文帅"), "{}", outcome.text);
    assert_eq!(outcome.text.matches("  钟  ").count(), 6);
}

#[test]
fn the_last_message_goes_whole_without_a_final_line_break() {
    let rules = [registry::find("duplicate-message").unwrap()];
    for (text, fixed) in [
        (
            "> 07:00:00  a\n   \nhi\n> 07:00:00  a\n   \nhi",
            "> 07:00:00  a\n   \nhi",
        ),
        (
            "> 07:00:00  a\r\n   \r\nhi\r\n> 07:00:00  a\r\n   \r\nhi",
            "> 07:00:00  a\r\n   \r\nhi",
        ),
        (
            "> 07:00:00  a\r   \rhi\r> 07:00:00  a\r   \rhi",
            "> 07:00:00  a\r   \rhi",
        ),
        // With the final line break, the block is its lines as ever.
        (
            "> 07:00:00  a\n   \nhi\n> 07:00:00  a\n   \nhi\n",
            "> 07:00:00  a\n   \nhi\n",
        ),
    ] {
        let outcome = crate::fix_text("t", text, &rules, Applicability::Safe).unwrap();
        assert!(
            outcome.rejected.is_empty(),
            "{text:?}: {:?}",
            outcome.rejected
        );
        assert_eq!(outcome.text, fixed, "{text:?}");
    }
}

#[test]
fn a_suppression_comment_does_not_make_twins_differ() {
    // A comment above the second copy's header stands in the first copy's
    // body: lint machinery, left out of the text compared.
    let text = chat(&[
        ("20:10:05", "甲", "同一句话"),
        ("20:10:05", "甲", "同一句话"),
    ])
    .replacen(
        "同一句话  \n   \n> 20:10:05",
        "同一句话  \n<!-- chatlint-disable-next-line duplicate-message -->\n> 20:10:05",
        1,
    );
    assert!(text.contains("chatlint-disable-next-line"), "{text}");
    assert_eq!(twins_of(&text, &Aliases::default()).len(), 1, "{text}");
    // The comment then suppresses the finding: nothing is reported.
    let settings = crate::Settings::from_rules(vec![registry::find("duplicate-message").unwrap()]);
    assert!(crate::check_with(&text, &settings).is_empty());
    // Without the comment's marker the line is text, and the two differ.
    let other = text.replace(
        "<!-- chatlint-disable-next-line duplicate-message -->",
        "别的",
    );
    assert!(twins_of(&other, &Aliases::default()).is_empty(), "{other}");
}

/// A file its maker knows to be a merge is read as one without the shares
/// that tell a merge: the same name seconds apart, and an empty body, are
/// twins; names pair up unless the maker knows them for two people.
#[test]
fn a_known_merge_pairs_names_less_those_known_as_two_people() {
    let text = chat(&[
        ("09:00:00", "甲", "早"),
        ("09:00:02", "甲", "早"),
        ("09:10:00", "乙", ""),
        ("09:10:01", "乙", ""),
        ("09:20:00", "我", "好"),
        ("09:20:00", "李雄峰", "好"),
        ("09:30:00", "丙", "签到"),
        ("09:30:01", "丁", "签到"),
    ]);
    let options = TwinOptions::default();
    let transcript = parse(&text);
    let read = Evidence::of_transcript(&text, &transcript, &options);
    assert!(!read.merged() && !read.pair_up("我", "李雄峰"));
    let pairs = |evidence: &Evidence| -> Vec<(usize, usize)> {
        find_twins(&text, &transcript, &options, &Aliases::default(), evidence)
            .iter()
            .map(|pair| (pair.earlier, pair.later))
            .collect()
    };
    // Read alone: only the copy-free file it is.
    assert_eq!(pairs(&read), []);
    let known = read.clone().known_merge(|_, _| false);
    assert_eq!(pairs(&known), [(0, 1), (2, 3), (4, 5), (6, 7)]);
    let two_people = |a: &str, b: &str| [a, b].contains(&"丙");
    assert_eq!(
        pairs(&read.known_merge(two_people)),
        [(0, 1), (2, 3), (4, 5)]
    );
}
