use super::*;

const HEAD: &str = "---\ndate: 2017-08-25 12:00:00\n---\n";

fn message(time: &str, speaker: &str, text: &str) -> String {
    format!("> {time}  {speaker}  \n   \n{text}  \n   \n")
}

fn exports() -> [SourceFile; 2] {
    let a = [
        message("07:50:02", "右军", "异地多活"),
        message("07:54:35", "我", "我们正在做"),
    ]
    .concat();
    let b = [
        message("07:50:03", "右军", "异地多活"),
        message("07:54:36", "李雄峰", "我们正在做"),
        message("08:00:01", "乙", "好"),
    ]
    .concat();
    [
        SourceFile::from_string("a.md", format!("{HEAD}{a}")),
        SourceFile::from_string("b.md", format!("{HEAD}{b}")),
    ]
}

#[test]
fn a_merge_that_loses_a_message_fails_verification_naming_it() {
    let sources = exports();
    let options = MergeOptions::default();
    let whole = merge(&sources, &options, "out.md").unwrap();
    assert_eq!(
        whole.text,
        [
            HEAD,
            &message("07:50:02", "右军", "异地多活"),
            &message("07:54:35", "李雄峰", "我们正在做"),
            &message("08:00:00", "乙", "好"),
        ]
        .concat()
    );
    // The last message, which only b.md holds, left out of the order.
    let error = merge_altered(&sources, &options, "out.md", |order| {
        order.pop();
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "out.md: the merge failed verification: the message at line 12 of b.md \
         (08:00:01 乙) is not in it, nor its twin; nothing was written"
    );
    // A twin left out with its kept copy: the other input's copy is missed.
    let error = merge_altered(&sources, &options, "out.md", |order| {
        order.remove(0);
    })
    .unwrap_err();
    assert!(
        error.to_string().contains("line 4 of a.md (07:50:02 右军)"),
        "{error}"
    );
}

/// `aliases:` decides which name is canonical, over every other reason:
/// here, against the default, `我`.
#[test]
fn configured_aliases_choose_the_name_kept() {
    let sources = exports();
    let aliases = Aliases::new([("李雄峰".to_string(), "我".to_string())].into());
    let options = MergeOptions {
        aliases,
        ..MergeOptions::default()
    };
    let merged = merge(&sources, &options, "out.md").unwrap();
    assert!(merged.text.contains("> 07:54:35  我  "), "{}", merged.text);
    assert_eq!(merged.inputs[1].kept, 1);
}
