//! JSON Lines records, `{"id": "...", "text": "..."}` one per line (other fields ignored), read
//! one line at a time so that an input of any size (a file or stdin) streams in bounded memory.
//! A bad line (not JSON, no string `id` or `text`, text empty or over the size limit) becomes a
//! record carrying its error, so the caller reports it and goes on with the next line.

use super::ReadError;
use serde::Deserialize;
use std::io::BufRead;

/// One line of a JSONL input: its 1-based line number, its `id` when one could be read, and its
/// text or why it is unusable.
#[derive(Debug)]
pub struct Record {
    pub line: usize,
    pub id: Option<String>,
    pub text: Result<String, RecordError>,
}

/// Why a line is not a usable record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("invalid JSON at column {}: {}", .0.column(), json_message(.0))]
    Json(#[from] serde_json::Error),
    #[error("not valid UTF-8 (first bad byte at offset {0} of the line)")]
    NotUtf8(usize),
    #[error("not a JSON object")]
    NotObject,
    #[error("no \"{0}\" field")]
    Missing(&'static str),
    #[error("\"{0}\" is not a string")]
    NotString(&'static str),
    #[error("line of {bytes} bytes, too long for a text under the --max-mb limit")]
    LineTooLong { bytes: u64 },
    #[error("empty text")]
    EmptyText,
    #[error("text contains NUL characters")]
    Nul,
    #[error("text {0}")]
    TooLarge(ReadError),
    #[error("cannot read: {0}")]
    Io(std::io::Error),
}

/// serde_json's message without its position (always line 1 here: the column is given apart).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&at).unwrap_or(&full).to_string()
}

/// The fields we read; any other field of the object is skipped unparsed.
#[derive(Deserialize)]
struct Fields {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<serde_json::Value>,
}

/// Reads records from `reader`, refusing texts over `limit` bytes. Blank lines are skipped (they
/// still count for line numbers). An I/O error ends the stream after one record carrying it.
pub struct Records<R> {
    reader: R,
    limit: u64,
    line: usize,
    done: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> Records<R> {
    pub fn new(reader: R, limit: u64) -> Records<R> {
        Records {
            reader,
            limit,
            line: 0,
            done: false,
            buf: Vec::new(),
        }
    }

    /// Longest line kept in memory. JSON escapes can make a text up to six times longer on the
    /// line (`\u00e9` for one byte), so lines up to that are parsed and their text measured; a
    /// longer line cannot hold a text under the limit and is skipped without being stored.
    fn line_cap(&self) -> u64 {
        self.limit.saturating_mul(6).saturating_add(1 << 16)
    }

    /// Reads the next line into `buf` (without its newline), stopping storing at the cap but
    /// still consuming to the newline. Returns the line's full length, or `None` at the end.
    fn read_line(&mut self) -> std::io::Result<Option<u64>> {
        self.buf.clear();
        let cap = self.line_cap();
        let mut total: u64 = 0;
        let mut any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(any.then_some(total));
            }
            any = true;
            let (part, found) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], Some(i + 1)),
                None => (chunk, None),
            };
            let room = cap.saturating_sub(self.buf.len() as u64) as usize;
            self.buf.extend_from_slice(&part[..part.len().min(room)]);
            total += part.len() as u64;
            let used = found.unwrap_or(chunk.len());
            self.reader.consume(used);
            if found.is_some() {
                return Ok(Some(total));
            }
        }
    }

    fn parse(&self, len: u64) -> Record {
        let line = self.line;
        if len > self.line_cap() {
            return Record {
                line,
                id: None,
                text: Err(RecordError::LineTooLong { bytes: len }),
            };
        }
        let bytes = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                return Record {
                    line,
                    id: None,
                    text: Err(RecordError::NotUtf8(e.valid_up_to())),
                }
            }
        };
        // serde would also read a struct from an array (fields by position): only objects count.
        if !text.trim_start().starts_with('{') {
            return Record {
                line,
                id: None,
                text: Err(RecordError::NotObject),
            };
        }
        let fields: Fields = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                return Record {
                    line,
                    id: None,
                    text: Err(e.into()),
                }
            }
        };
        let id = match fields.id {
            Some(serde_json::Value::String(s)) => Ok(s),
            Some(_) => Err(RecordError::NotString("id")),
            None => Err(RecordError::Missing("id")),
        };
        let text = match fields.text {
            Some(serde_json::Value::String(s)) => Ok(s),
            Some(_) => Err(RecordError::NotString("text")),
            None => Err(RecordError::Missing("text")),
        };
        match id {
            Err(e) => Record {
                line,
                id: None,
                text: Err(e),
            },
            Ok(id) => Record {
                line,
                id: Some(id),
                text: text.and_then(|t| {
                    super::check_text(&t, t.len() as u64, self.limit).map_err(|e| match e {
                        ReadError::Empty => RecordError::EmptyText,
                        ReadError::Binary => RecordError::Nul,
                        other => RecordError::TooLarge(other),
                    })?;
                    Ok(t)
                }),
            },
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            self.line += 1;
            match self.read_line() {
                Err(e) => {
                    self.done = true;
                    return Some(Record {
                        line: self.line,
                        id: None,
                        text: Err(RecordError::Io(e)),
                    });
                }
                Ok(None) => self.done = true,
                Ok(Some(len)) => {
                    if len <= self.line_cap() && self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    return Some(self.parse(len));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, limit: u64) -> Vec<Record> {
        Records::new(input.as_bytes(), limit).collect()
    }

    #[test]
    fn good_records_keep_order_ids_and_line_numbers() {
        let input = "{\"id\":\"a\",\"text\":\"One.\",\"url\":{\"x\":[1,2]}}\n\n\
                     {\"text\":\"Caf\\u00e9 \\\"two\\\".\",\"id\":\"b\"}\r\n\
                     {\"id\":\"c\",\"text\":\"Three.\"}";
        let recs = read(input, 1000);
        let got: Vec<_> = recs
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.id.clone().unwrap(),
                    r.text.as_ref().unwrap().clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, "a".to_string(), "One.".to_string()),
                (3, "b".to_string(), "Café \"two\".".to_string()),
                (4, "c".to_string(), "Three.".to_string()),
            ]
        );
    }

    #[test]
    fn bad_records_say_why_and_the_rest_go_on() {
        let input = [
            "{\"id\":\"a\",\"text\":",                // 1 truncated JSON
            "{\"id\":\"b\"}",                         // 2 no text
            "{\"id\":\"c\",\"text\":5}",              // 3 text not a string
            "{\"text\":\"no id\"}",                   // 4 no id
            "{\"id\":7,\"text\":\"x\"}",              // 5 id not a string
            "{\"id\":\"f\",\"text\":\"  \\n\"}",      // 6 empty text
            "{\"id\":\"g\",\"text\":\"0123456789\"}", // 7 over the limit of 8
            "[\"h\",\"x\"]",                          // 8 not an object
            "{\"id\":\"i\",\"text\":\"fine\"}",       // 9
        ]
        .join("\n");
        let recs = read(&input, 8);
        let reasons: Vec<String> = recs
            .iter()
            .map(|r| match &r.text {
                Ok(t) => format!("ok {t}"),
                Err(e) => e.to_string(),
            })
            .collect();
        let want = [
            "invalid JSON",
            "no \"text\" field",
            "\"text\" is not a string",
            "no \"id\" field",
            "\"id\" is not a string",
            "empty",
            "too large",
            "not a JSON object",
            "ok fine",
        ];
        assert_eq!(recs.len(), want.len());
        for (i, (got, want)) in reasons.iter().zip(want).enumerate() {
            assert!(got.contains(want), "line {}: {got} (want {want})", i + 1);
            assert_eq!(recs[i].line, i + 1);
        }
        assert_eq!(recs[1].id.as_deref(), Some("b"));
        assert_eq!(recs[6].id.as_deref(), Some("g"));
    }

    #[test]
    fn overlong_lines_are_skipped_unstored_and_not_utf8_is_named() {
        // limit 1 byte: lines over 6 + 65536 bytes are refused before parsing
        let long = format!("{{\"id\":\"x\",\"text\":\"{}\"}}", "a".repeat(70_000));
        let input = [
            long.as_bytes(),
            b"{\"id\":\"y\",\"text\":\"caf\xe9\"}",
            b"{\"id\":\"z\",\"text\":\"a\"}",
        ]
        .join(&b'\n');
        let recs: Vec<Record> = Records::new(&input[..], 1).collect();
        assert_eq!(recs.len(), 3);
        assert!(matches!(recs[0].text, Err(RecordError::LineTooLong { .. })));
        assert!(matches!(recs[1].text, Err(RecordError::NotUtf8(_))));
        assert_eq!(recs[2].text.as_deref().unwrap(), "a");
        assert_eq!(recs[2].line, 3);
    }
}
