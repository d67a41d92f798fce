//! Escaping for the pages: everything that comes from an article (its text, names, paths) goes
//! through these before it is written into HTML, a URL or a script.

use std::fmt::Write;

/// `s` escaped for HTML text and double-quoted attribute values. A carriage return becomes a
/// character reference because the HTML parser would otherwise turn `\r\n` into `\n` and
/// shift every offset after it.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value for a `<script type="application/json">` element: `<`, `>` and `&` escaped as
/// `\u003c`, `\u003e`, `\u0026` (legal only inside JSON strings, where they are), so that no
/// `</script>` or `<!--` in an article can end or confuse the script element.
pub fn json_for_script<T: serde::Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("page data serializes");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A relative URL for a `/`-separated relative path: each segment percent-encoded, so names
/// with spaces, `#`, `?` or quotes still link.
pub fn href(path: &str) -> String {
    path.split('/').map(component).collect::<Vec<_>>().join("/")
}

/// `s` percent-encoded as one URL component (a path segment or a query value): every byte but
/// RFC 3986's unreserved characters.
pub fn component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape(r#"<script>a&b</script> "x" 'y'"#),
            "&lt;script&gt;a&amp;b&lt;/script&gt; &quot;x&quot; &#39;y&#39;"
        );
        assert_eq!(escape("a\r\nb"), "a&#13;\nb");
    }

    #[test]
    fn json_cannot_close_the_script() {
        let s = json_for_script(&vec!["</script><!-- & \u{2028}"]);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, ["</script><!-- & \u{2028}"]);
    }

    #[test]
    fn hrefs_encode_each_segment() {
        assert_eq!(href("sub dir/a#1?.html"), "sub%20dir/a%231%3F.html");
        assert_eq!(href("caf\u{e9}.html"), "caf%C3%A9.html");
        assert_eq!(component("A/B & C"), "A%2FB%20%26%20C");
    }
}
