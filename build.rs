//! Tells the tests whether they are built by root: the tests that need root
//! (owning a file as another user) run there and show as ignored, with
//! the reason, everywhere else (`cfg(tests_as_root)`).

fn main() {
    println!("cargo:rustc-check-cfg=cfg(tests_as_root)");
    println!("cargo:rerun-if-changed=build.rs");
    // Linux: the effective user id is the second field of `Uid:`.
    let effective_uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(str::to_owned))
        });
    if effective_uid.as_deref() == Some("0") {
        println!("cargo:rustc-cfg=tests_as_root");
    }
}
