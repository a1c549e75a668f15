//! A CSV record writer for the row structs: a small `serde::Serializer`
//! that appends one record straight to a byte buffer.
//!
//! It writes exactly what `csv::Writer` with `QuoteStyle::Necessary` and a
//! `\r\n` terminator writes for the same row (a test compares them): a field
//! is quoted when it holds `,`, `"`, `\r` or `\n`, and a quote inside is
//! doubled; integers and booleans are written as `csv` writes them. It
//! only takes the shapes the row structs have (a struct of strings,
//! integers and booleans) and needs no per-field state machine, which makes
//! it several times faster than the general writer.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// Appends `row` to `out` as one CSV record, `\r\n` included.
pub(crate) fn write_row<T: Serialize>(row: &T, out: &mut Vec<u8>) {
    // The row structs only hold strings, integers and booleans: nothing here
    // can fail. Should a new field type slip in, the record is cut short
    // rather than the batch aborted; the `rows_match_csv` test catches it.
    let _ = row.serialize(Record { out, first: true });
    out.extend_from_slice(b"\r\n");
}

/// Appends one header record.
pub(crate) fn write_header(columns: &[&str], out: &mut Vec<u8>) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        field(c.as_bytes(), out);
    }
    out.extend_from_slice(b"\r\n");
}

/// Bytes that make a field quoted: `,`, `"`, `\r` and `\n`.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Whether a field holding `bytes` must be quoted. Short fields (ids,
/// names) are checked byte by byte through a table, long ones (evidence
/// sentences) with memchr's vector search.
#[inline]
fn needs_quotes(bytes: &[u8]) -> bool {
    if bytes.len() < 32 {
        return bytes.iter().any(|&b| SPECIAL[usize::from(b)]);
    }
    memchr::memchr3(b',', b'"', b'\n', bytes).is_some() || memchr::memchr(b'\r', bytes).is_some()
}

/// Appends one field, quoted when needed.
#[inline]
pub(crate) fn field(bytes: &[u8], out: &mut Vec<u8>) {
    if !needs_quotes(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut rest = bytes;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Appends the decimal digits of `n`.
#[inline]
pub(crate) fn uint(mut n: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

#[inline]
fn int(n: i64, out: &mut Vec<u8>) {
    if n < 0 {
        out.push(b'-');
    }
    uint(n.unsigned_abs(), out);
}

/// The one error: a value shape the row structs never have.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CSV row holds only strings, integers and booleans")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// Serializes a struct as one record.
struct Record<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl ser::SerializeStruct for Record<'_> {
    type Ok = ();
    type Error = Unsupported;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(&mut self, _key: &'static str, value: &T) -> Result<(), Unsupported> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        value.serialize(Field { out: self.out })
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

/// Serializes one scalar as one field.
struct Field<'a> {
    out: &'a mut Vec<u8>,
}

macro_rules! unsupported {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ret, Unsupported> {
                Err(Unsupported)
            }
        )*
    };
}

impl<'a> ser::Serializer for Field<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        field(v.as_bytes(), self.out);
        Ok(())
    }

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        int(v.into(), self.out);
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        int(v.into(), self.out);
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        int(v.into(), self.out);
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        int(v, self.out);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        uint(v.into(), self.out);
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        uint(v.into(), self.out);
        Ok(())
    }

    #[inline]
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        uint(v.into(), self.out);
        Ok(())
    }

    #[inline]
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        uint(v, self.out);
        Ok(())
    }

    unsupported! {
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
}

/// The record level: only a struct is a row.
impl<'a> ser::Serializer for Record<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Record<'a>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Record<'a>, Unsupported> {
        Ok(self)
    }

    unsupported! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the `csv` crate writes for the same record.
    fn with_csv<T: Serialize>(row: &T) -> String {
        let mut w =
            csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        w.serialize(row).expect("serialise");
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    fn mine<T: Serialize>(row: &T) -> String {
        let mut out = Vec::new();
        write_row(row, &mut out);
        String::from_utf8(out).expect("utf-8")
    }

    #[derive(Serialize)]
    struct Row<'a> {
        a: &'a str,
        b: u32,
        c: i8,
        d: bool,
        e: u64,
        f: usize,
        g: &'a str,
    }

    #[test]
    fn same_bytes_as_the_csv_crate() {
        let cells = [
            "",
            "plain",
            "a,b",
            "say \"no\"",
            "two\r\nlines",
            "\"",
            "line\nbreak",
            "’curly’ «x»",
            "=1+1",
            "A long evidence sentence with no special byte at all in it.",
            "A long evidence sentence, with a comma, well past thirty-two bytes.",
            "A long evidence sentence that ends in a carriage return.\r",
            "A long evidence sentence in which someone says \"no\" twice: \"no\".",
            "A long evidence sentence that runs on\nto a second line of text.",
        ];
        for a in cells {
            for g in ["", "x", "\"\"", ","] {
                for (b, c) in [(0, 0), (7, -1), (u32::MAX, 1), (10, i8::MIN)] {
                    let row = Row { a, b, c, d: c < 0, e: u64::MAX, f: 1234567, g };
                    assert_eq!(mine(&row), with_csv(&row), "{a:?} {g:?}");
                }
            }
        }
        let mut header = Vec::new();
        write_header(&["doc_id", "a,b", "c"], &mut header);
        assert_eq!(header, b"doc_id,\"a,b\",c\r\n");
    }
}
