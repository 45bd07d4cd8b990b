//! Speaker names that are one person: `aliases:` in `.chatlint.yaml`, each
//! name to the person's canonical name (`我: 李雄峰`).
//!
//! Two exports of one chat name people differently (the exporter is `我`
//! to themselves, a contact may show under a remark or under the group
//! nickname). The map says which names go together and which one is the
//! real name. `duplicate-message` reads it (twins under two names of one
//! person, and which copy to keep); it is a top-level key, not a rule's
//! option, because merging exports and pseudonymizing names need the same
//! answer.

use std::collections::BTreeMap;

/// Each configured name to its canonical name. Every name maps straight to
/// its canonical one: a canonical name is never itself mapped elsewhere
/// (the configuration refuses `a: b` with `b: c`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    canonical: BTreeMap<String, String>,
}

impl Aliases {
    pub fn new(canonical: BTreeMap<String, String>) -> Self {
        Self { canonical }
    }

    pub fn is_empty(&self) -> bool {
        self.canonical.is_empty()
    }

    /// Each configured name and its canonical name, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.canonical
            .iter()
            .map(|(name, canonical)| (name.as_str(), canonical.as_str()))
    }

    /// The canonical name of `name`: its configured one, else itself.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical.get(name).map_or(name, String::as_str)
    }

    /// Whether two different names are configured as one person's.
    pub fn same_person(&self, a: &str, b: &str) -> bool {
        a != b && self.canonical(a) == self.canonical(b)
    }

    /// Whether `name` is a canonical name of the map: some name (perhaps
    /// itself) maps to it.
    pub fn is_canonical(&self, name: &str) -> bool {
        self.canonical.values().any(|canonical| canonical == name)
    }

    /// The entries whose canonical name is itself mapped to another name
    /// (`a: b` with `b: c`, or a cycle): (name, its canonical, where that
    /// one maps).
    pub fn chains(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.iter().filter_map(|(name, canonical)| {
            let further = self.canonical(canonical);
            (further != canonical).then_some((name, canonical, further))
        })
    }

    /// These aliases with `nearer`'s on top: a name `nearer` maps wins.
    pub fn overridden_by(&self, nearer: &Aliases) -> Aliases {
        let mut canonical = self.canonical.clone();
        canonical.extend(nearer.canonical.clone());
        Aliases { canonical }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(pairs: &[(&str, &str)]) -> Aliases {
        Aliases::new(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn names_with_one_canonical_name_are_one_person() {
        let map = aliases(&[("我", "李雄峰"), ("凤凰牌老熊-群主", "李雄峰")]);
        assert!(map.same_person("我", "李雄峰"));
        assert!(map.same_person("我", "凤凰牌老熊-群主"));
        assert!(!map.same_person("我", "我"));
        assert!(!map.same_person("我", "右军"));
        assert_eq!(map.canonical("右军"), "右军");
        assert!(map.is_canonical("李雄峰") && !map.is_canonical("我"));
        assert_eq!(map.chains().count(), 0);
    }

    #[test]
    fn a_canonical_name_mapped_on_is_a_chain() {
        let map = aliases(&[("a", "b"), ("b", "c"), ("x", "x")]);
        assert_eq!(map.chains().collect::<Vec<_>>(), [("a", "b", "c")]);
        let cycle = aliases(&[("a", "b"), ("b", "a")]);
        assert_eq!(cycle.chains().count(), 2);
        // The nearer file's entry wins, name by name.
        let merged = aliases(&[("a", "b"), ("c", "d")]).overridden_by(&aliases(&[("a", "e")]));
        assert_eq!(merged.canonical("a"), "e");
        assert_eq!(merged.canonical("c"), "d");
    }
}
