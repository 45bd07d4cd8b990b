//! A private transcript (mode 0600) never becomes an output more users can
//! read: `convert` (one file, a folder, `--split`, the HTML archive's index
//! and search index, which hold every message) and `merge` write what they
//! make of it with no more permission bits than its inputs have.

mod convert_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use convert_support::*;

const DAY: &str = "---\ntitle: t\ndate: 2017-08-25 12:00:00\n---\n\
    > 07:50:02  甲  \n   \nsecret  \n   \n> 07:51:02  乙  \n   \nwords  \n   \n";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn outputs_of_private_inputs_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let private = input.join("2017-08-25-chat.md");
    let open = input.join("2017-08-26-chat.md");
    std::fs::write(&private, DAY).unwrap();
    std::fs::write(&open, DAY.replace("08-25", "08-26")).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = dir.path().join("site");
    chatlint()
        .args(["convert", "--to", "html"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(mode(&out.join("2017-08-25-chat.html")), 0o600);
    assert_ne!(
        mode(&out.join("2017-08-26-chat.html")) & 0o044,
        0,
        "an open input stays open"
    );
    for index in ["index.html", "search-index.js", "search.js"] {
        assert_eq!(
            mode(&out.join(index)),
            0o600,
            "{index} holds the private messages"
        );
    }

    let one = dir.path().join("one.json");
    chatlint()
        .args(["convert", "--to", "json"])
        .arg(&private)
        .arg("-o")
        .arg(&one)
        .assert()
        .success();
    assert_eq!(mode(&one), 0o600);

    let parts = dir.path().join("parts");
    chatlint()
        .args(["convert", "--to", "json", "--split", "day"])
        .arg(&private)
        .arg("-o")
        .arg(&parts)
        .assert()
        .success();
    assert_eq!(mode(&parts.join("2017-08-25-chat/2017-08-25.json")), 0o600);

    let merged = dir.path().join("merged.md");
    chatlint()
        .arg("merge")
        .arg(&open)
        .arg(&private)
        .arg("-o")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(mode(&merged), 0o600);
}
