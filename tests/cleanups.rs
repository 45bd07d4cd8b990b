//! The archive's own clean-ups, rebuilt: what its keepers did by hand in its
//! public history, done by one `chatlint check --fix`.

use std::fs;

use assert_cmd::Command;

fn chatlint(dir: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("chatlint").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

const FRONT_MATTER: &str =
    "---\nlayout:     source \ntitle:      \"2017-08-25-WeChat\"\ndate:       2017-08-25 12:00:00\nauthor:     \"PaymentGroup\"\n---\n";

/// A message with an image, as the exporter wrote it, on a given host and folder.
fn image_message(time: &str, url_prefix: &str, folder: bool) -> String {
    let compact = time.replace(':', "");
    let folder = if folder { "201708/" } else { "" };
    format!("> {time}  happycoral  \n   \n![2017-08-25 {time}]({url_prefix}/img/{folder}20170825_{compact}.png) \n   \n")
}

#[test]
fn image_reshuffle_into_month_folders_in_one_fix() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(".chatlint.yaml"),
        "rules:\n  image-url-pattern:\n    image-url-template: \"http://static.cocolian.org/img/{yyyy}{MM}/{yyyy}{MM}{dd}_{HH}{mm}{ss}.png\"\n",
    )
    .unwrap();
    let times = ["07:50:02", "11:51:30", "12:00:00", "23:59:59"];
    let hosts = [
        "http://static.cocolian.cn",
        "http://wechat.lixf.cn",
        "http://static.cocolian.org",
        "http://static.cocolian.cn",
    ];
    let mut before = FRONT_MATTER.to_string();
    let mut after = FRONT_MATTER.to_string();
    for (time, host) in times.iter().zip(hosts) {
        before.push_str(&image_message(time, host, false));
        before.push_str(
            "> 12:00:01  右军  \n   \n图片收到  \n   \n"
                .replace("12:00:01", time)
                .as_str(),
        );
        after.push_str(&image_message(time, "http://static.cocolian.org", true));
        after.push_str(
            "> 12:00:01  右军  \n   \n图片收到  \n   \n"
                .replace("12:00:01", time)
                .as_str(),
        );
    }
    let post = dir.path().join("2017-08-25-chat.markdown");
    fs::write(&post, &before).unwrap();

    chatlint(dir.path())
        .args(["check", "--fix", "."])
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&post).unwrap(), after);
    // Nothing left to do.
    chatlint(dir.path()).args(["check", "."]).assert().code(0);
}

/// `chatlint check --fix --unsafe-fixes --select duplicate-message .`, which must leave nothing.
fn fix_duplicates_unsafely(dir: &std::path::Path) {
    chatlint(dir)
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "--select",
            "duplicate-message",
            ".",
        ])
        .assert()
        .code(0);
}

/// The same chat as two exporters wrote it: the names differ.
const SHORT_NAMES: [&str; 3] = ["钟", "于高禾-一亩田 PL", "我"];
const LONG_NAMES: [&str; 3] = [
    "钟文帅-移付宝科技-产品经理",
    "Codefor-YMT-TechLead-BJ",
    "李雄峰",
];
/// (time, speaker, text); an empty text is a message whose body was lost.
const LINES: [(&str, usize, &str); 7] = [
    ("20:13:05", 0, "7位数，是年薪还是月薪。。"),
    ("20:13:40", 1, "北京哪有正宗的潮汕砂锅粥？"),
    ("20:14:02", 2, "[强]"),
    ("20:15:30", 2, "[强]"),
    ("20:15:30", 0, "同问"),
    ("20:16:00", 1, "下周一起吃"),
    ("20:16:30", 0, ""),
];

fn message(time: &str, speaker: &str, text: &str) -> String {
    if text.is_empty() {
        return format!("> {time}  {speaker}  \n   \n   \n");
    }
    format!("> {time}  {speaker}  \n   \n{text}  \n   \n")
}

/// `HH:MM:SS` plus `seconds`.
fn later(time: &str, seconds: u32) -> String {
    let fields: Vec<u32> = time.split(':').map(|f| f.parse().unwrap()).collect();
    let total = fields[0] * 3600 + fields[1] * 60 + fields[2] + seconds;
    format!(
        "{:02}:{:02}:{:02}",
        total / 3600,
        total / 60 % 60,
        total % 60
    )
}

/// Each line as one export wrote it, by speaker index: its names, and its
/// clock `skew(line)` seconds late.
fn export(names: [&str; 3], skew: impl Fn(usize) -> u32) -> Vec<String> {
    LINES
        .iter()
        .enumerate()
        .map(|(i, (time, who, text))| message(&later(time, skew(i)), names[*who], text))
        .collect()
}

/// The merge: each message twice, one copy from each export, plus one
/// message that only the first export has.
fn merge(short: &[String], long: &[String], only_in_first: &str) -> String {
    let mut merged = FRONT_MATTER.to_string();
    for (a, b) in short.iter().zip(long) {
        merged.push_str(a);
        merged.push_str(b);
    }
    merged.push_str(only_in_first);
    merged
}

#[test]
fn merged_exports_lose_exactly_the_duplicates() {
    let only_in_first = message("20:17:00", "钟", "只在一份导出里");
    // The second exporter's clock runs 0 to 4 seconds late.
    for skew in [|_: usize| 0, |i: usize| (i % 5) as u32] {
        let (short, long) = (export(SHORT_NAMES, |_| 0), export(LONG_NAMES, skew));
        let merged = merge(&short, &long, &only_in_first);
        let dir = tempfile::tempdir().unwrap();
        let post = dir.path().join("2017-08-25-chat.markdown");
        fs::write(&post, &merged).unwrap();
        // Two names for one person is not certain: the fix is unsafe.
        chatlint(dir.path())
            .args(["check", "--fix", "--select", "duplicate-message", "."])
            .assert()
            .code(1);
        assert_eq!(fs::read_to_string(&post).unwrap(), merged);
        // `keep: canonical`, the default, keeps the real names: `李雄峰`,
        // not `我`; `钟`, who has more messages in the file (the one only
        // the first export has); the longer of the other two.
        fix_duplicates_unsafely(dir.path());
        let kept: Vec<&String> = LINES
            .iter()
            .enumerate()
            .map(|(i, (_, who, _))| if *who == 0 { &short[i] } else { &long[i] })
            .collect();
        let expected = format!(
            "{FRONT_MATTER}{}{only_in_first}",
            kept.into_iter().cloned().collect::<String>()
        );
        assert_eq!(fs::read_to_string(&post).unwrap(), expected);

        // Keeping the first gives the first export instead, whatever the names.
        fs::write(&post, &merged).unwrap();
        fs::write(
            dir.path().join(".chatlint.yaml"),
            "rules:\n  duplicate-message:\n    keep: first\n",
        )
        .unwrap();
        fix_duplicates_unsafely(dir.path());
        let expected = format!("{FRONT_MATTER}{}{only_in_first}", short.concat());
        assert_eq!(fs::read_to_string(&post).unwrap(), expected);
    }
}

#[test]
fn identical_twins_go_with_a_safe_fix() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("2017-08-25-chat.markdown");
    let twin = message("20:13:05", "钟", "7位数，是年薪还是月薪。。");
    let other = message("20:14:00", "右军", "年薪");
    fs::write(&post, format!("{FRONT_MATTER}{twin}{twin}{other}")).unwrap();
    chatlint(dir.path())
        .args(["check", "--fix", "."])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        format!("{FRONT_MATTER}{twin}{other}")
    );
}
