//! Writing CSV for people who open it in a spreadsheet: UTF-8 with a byte-order mark, CRLF
//! line ends, RFC 4180 quoting, and text that a spreadsheet would run as a formula made
//! plain text. One writer for every file we hand out (queue and report exports, the open
//! statistics, payment batches).

/// A CSV file's start: a byte-order mark, so spreadsheet programs read Thai as UTF-8.
pub const BOM: &str = "\u{feff}";

/// One CSV line: the fields quoted as needed, then CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| field(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// A CSV field, quoted when it holds a comma, quote or line break. A field a spreadsheet
/// would run as a formula gets a leading apostrophe: names come from the public.
pub fn field(s: &str) -> String {
    let s = if looks_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Text a spreadsheet would run: `=`, `+`, `-`, `@`, a tab or a CR first, unless it is a number.
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(s)
}

/// `-500`, `+66`, `12.50`: a spreadsheet reads these as numbers, never as formulas.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match body.split_once('.') {
        Some((whole, frac)) => all_digits(whole) && all_digits(frac),
        None => all_digits(body),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_typed_as_a_name_stays_text() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("สมชาย, ใจดี"), "\"สมชาย, ใจดี\"");
        assert_eq!(field("ปกติ"), "ปกติ");
        assert_eq!(field("-500"), "-500", "a number stays a number");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }
}
