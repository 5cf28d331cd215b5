//! The service's cookies, each named, scoped and read in one place. Over HTTPS
//! (`secure_cookies`) every one takes the `__Host-` prefix: the browser then keeps it only if
//! it was set by this host, over HTTPS, for the whole site (`Path=/`, no `Domain`), so a
//! sibling subdomain or a plain-HTTP page cannot plant or overwrite it. Only the prefixed
//! name is read then.

use http::HeaderMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cookie {
    /// A staff member's session (a random token; the table keeps its hash).
    Staff,
    /// A claimant's session for one claim's status page.
    Claimant,
    /// Marks a browser that signed in to a staff account before (kept 180 days).
    Device,
    /// `{draft_id}:{access_code}` from the filing request to the confirmation page only.
    NewCode,
    /// The visitor's language (`th` or `en`): a preference, not a credential, so its name
    /// stays `lang` over HTTPS too (someone who planted it could only switch the language).
    Lang,
}

impl Cookie {
    fn base(self) -> &'static str {
        match self {
            Self::Staff => "s41_staff",
            Self::Claimant => "s41_claim",
            Self::Device => "s41_device",
            Self::NewCode => "s41_new_code",
            Self::Lang => "lang",
        }
    }

    fn same_site(self) -> &'static str {
        match self {
            // Followed from a mailed link to the status page, the session still opens it
            // (and the page is in the visitor's language).
            Self::Claimant | Self::Lang => "Lax",
            Self::Staff | Self::Device | Self::NewCode => "Strict",
        }
    }

    /// Its name on this deployment.
    pub fn name(self, secure: bool) -> String {
        if secure && self != Self::Lang {
            format!("__Host-{}", self.base())
        } else {
            self.base().to_string()
        }
    }

    /// `Set-Cookie` for `value`, kept `max_age` seconds.
    pub fn set(self, value: &str, max_age: i64, secure: bool) -> String {
        format!(
            "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite={}{}",
            self.name(secure),
            self.same_site(),
            if secure { "; Secure" } else { "" }
        )
    }

    /// `Set-Cookie` that removes it.
    pub fn clear(self, secure: bool) -> String {
        self.set("", 0, secure)
    }

    /// Its value in the request, if sent.
    pub fn read(self, headers: &HeaderMap, secure: bool) -> Option<&str> {
        let name = self.name(secure);
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|h| h.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::Cookie;
    use http::{HeaderMap, HeaderValue};

    #[test]
    fn over_https_only_the_host_prefixed_cookie_counts() {
        let set = Cookie::Staff.set("t0k", 3600, true);
        assert!(set.starts_with("__Host-s41_staff=t0k; Path=/;"), "{set}");
        assert!(set.ends_with("; Secure") && !set.contains("Domain"));
        let mut h = HeaderMap::new();
        // A cookie planted without the prefix (by a sibling subdomain, say) is not read.
        h.insert(http::header::COOKIE, HeaderValue::from_static("s41_staff=planted; lang=th"));
        assert_eq!(Cookie::Staff.read(&h, true), None);
        assert_eq!(Cookie::Staff.read(&h, false), Some("planted"));
        h.insert(
            http::header::COOKIE,
            HeaderValue::from_static("s41_staff=planted; __Host-s41_staff=t0k"),
        );
        assert_eq!(Cookie::Staff.read(&h, true), Some("t0k"));
        assert!(Cookie::Device.clear(false).contains("Max-Age=0"));
    }

    #[test]
    fn the_language_is_read_by_the_one_cookie_reader() {
        let set = Cookie::Lang.set("en", 60, true);
        assert!(set.starts_with("lang=en; Path=/;") && set.contains("SameSite=Lax"), "{set}");
        let mut h = HeaderMap::new();
        h.insert(http::header::COOKIE, HeaderValue::from_static("s41_staff=x; lang=en"));
        assert_eq!(Cookie::Lang.read(&h, true), Some("en"));
    }
}
