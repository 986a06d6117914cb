//! What counts as an e-mail address: the one test that the send plan (and
//! so `hemicycle check`), the mail accounts, the sender check and the
//! app's named addressees all apply, so that an address the app accepts is
//! one the send takes.

/// True when `text`, trimmed, is one e-mail address (`name@example.org`),
/// as the message builder and the SMTP envelope will take it.
pub fn is_address(text: &str) -> bool {
    text.trim().parse::<lettre::Address>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::is_address;

    #[test]
    fn an_address_is_told_from_what_is_not_one() {
        for good in ["a@example.org", " maria.rossi@ep.europa.eu ", "x+y@mail.example.com"] {
            assert!(is_address(good), "{good}");
        }
        for bad in [
            "",
            "   ",
            "example.org",
            "a@",
            "@example.org",
            "a b@example.org",
            "a@ex ample.org",
        ] {
            assert!(!is_address(bad), "{bad}");
        }
    }
}
