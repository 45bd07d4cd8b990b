//! What is masked besides names: phone numbers, e-mail addresses, WeChat
//! IDs (`wxid_…`) and the patterns given with `--mask`.

use regex::Regex;

use super::Replaced;

/// What each kind of mask writes in place of what it found.
pub const PHONE: &str = "[phone]";
pub const EMAIL: &str = "[email]";
pub const WXID: &str = "[wxid]";
pub const MASKED: &str = "[masked]";

/// The patterns, compiled once per run.
#[derive(Debug, Clone)]
pub struct Masks {
    email: Regex,
    wxid: Regex,
    /// Mainland mobile numbers (with `+86`, spaces or hyphens), landlines
    /// with their area code, and `+`-prefixed international numbers; never
    /// a run of digits inside a longer one (dates, image names, IDs).
    phone: Regex,
    patterns: Vec<Regex>,
}

impl Masks {
    /// The built-in masks and `patterns` (regular expressions, as the
    /// `regex` crate reads them); an error names the pattern that does not
    /// compile.
    pub fn new(patterns: &[String]) -> Result<Self, String> {
        let patterns = patterns
            .iter()
            .map(|p| Regex::new(p).map_err(|err| format!("--mask {p:?}: {err}")))
            .collect::<Result<_, _>>()?;
        Ok(Masks {
            email: Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
                .expect("valid"),
            wxid: Regex::new(r"wxid_[A-Za-z0-9_-]+").expect("valid"),
            phone: Regex::new(concat!(
                // Mainland mobiles: 138 1234 5678, +86-138.1234.5678.
                r"(?:\+?86[-. ]?)?1[3-9][0-9](?:[-. ]?[0-9]{4}){2}",
                // Landlines with their area code: 010-62345678,
                // (010)62345678, 0755-8888-6666, 010 6234 5678.
                r"|\(0[0-9]{2,3}\)[-. ]?[0-9]{3,4}[-. ]?[0-9]{4}",
                r"|0[0-9]{2,3}[-. ][0-9]{3,4}[-. ]?[0-9]{4}",
                // International: +44 20 7946 0958, +852 9123 4567.
                r"|\+[1-9][0-9]{0,2}(?:[-. ]?[0-9]{1,4}){2,5}",
            ))
            .expect("valid"),
            patterns,
        })
    }

    /// `text` with every match masked; the counts are added to `replaced`.
    pub fn apply(&self, text: &str, replaced: &mut Replaced) -> Option<String> {
        let mut masked: Option<String> = None;
        let mut run = |regex: &Regex, with: &str, count: &mut usize, digits_around: bool| {
            let current = masked.as_deref().unwrap_or(text);
            let mut out = String::new();
            let mut at = 0;
            for found in regex.find_iter(current) {
                if digits_around && !a_phone_number(current, found.range()) {
                    continue;
                }
                out.push_str(&current[at..found.start()]);
                out.push_str(with);
                at = found.end();
                *count += 1;
            }
            if at > 0 {
                out.push_str(&current[at..]);
                masked = Some(out);
            }
        };
        run(&self.email, EMAIL, &mut replaced.emails, false);
        run(&self.wxid, WXID, &mut replaced.wechat_ids, false);
        run(&self.phone, PHONE, &mut replaced.phones, true);
        for pattern in &self.patterns {
            run(pattern, MASKED, &mut replaced.patterns, false);
        }
        masked
    }
}

/// Whether the match at `range` is a phone number: 7 to 15 digits, and no
/// digit right before or after it (then it is part of a longer number).
fn a_phone_number(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let digits = text[range].bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && !before.is_some_and(|c| c.is_ascii_digit())
        && !after.is_some_and(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        let masks = Masks::new(&["银行卡[0-9]+".to_string()]).unwrap();
        let mut replaced = Replaced::default();
        masks
            .apply(text, &mut replaced)
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn phones_mails_ids_and_patterns_are_masked() {
        assert_eq!(
            masked("电话13812345678，或 +86 138-1234-5678"),
            "电话[phone]，或 [phone]"
        );
        assert_eq!(masked("座机010-62345678"), "座机[phone]");
        for phone in [
            "(010)62345678",
            "010 6234 5678",
            "0755-8888-6666",
            "138.1234.5678",
            "+86 10 6234 5678",
            "+1 234 567 8901",
            "+44 20 7946 0958",
            "+852 9123 4567",
        ] {
            assert_eq!(masked(&format!("tel {phone}.")), "tel [phone].", "{phone}");
        }
        assert_eq!(masked("mail a.b@example.com.cn!"), "mail [email]!");
        assert_eq!(masked("wxid_ab12cd:\n你好"), "[wxid]:\n你好");
        assert_eq!(masked("银行卡6222"), "[masked]");
    }

    #[test]
    fn dates_times_and_longer_numbers_are_not_phones() {
        for text in [
            "![2017-12-15 14:38:34](http://wechat.lixf.cn/img/20171215_143834.png)",
            "订单号 2013812345678901",
            "@右军?支付宝",
        ] {
            assert_eq!(masked(text), text);
        }
    }
}
