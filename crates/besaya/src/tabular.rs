//! Spreadsheets in and out: CSV and XLSX files as tables of text.
//!
//! Pure functions over bytes, shared by the imports and exports of every module
//! (no database, no HTTP).
//!
//! # Reading: [`read_table`]
//!
//! The format is recognised from the content, never from a file name:
//!
//! - **XLSX** (a ZIP starting with `PK\x03\x04`): the first visible worksheet is
//!   read with calamine, from memory. Every cell becomes text the way a user
//!   reads it: strings trimmed; numbers in plain notation with a `.` decimal
//!   and no exponent, rounded to Excel's 15 significant digits (`120`, not
//!   `120.0`; `0.3`, not `0.30000000000000004`); booleans `true`/`false`;
//!   dates `YYYY-MM-DD`, date-times `YYYY-MM-DDTHH:MM:SS`, times `HH:MM:SS`;
//!   error cells as their text (`#DIV/0!`), so that validation reports them.
//! - **CSV**: a UTF-8 BOM is stripped; UTF-8 is used when the bytes are valid
//!   UTF-8, Windows-1252 otherwise (what Excel writes on Spanish Windows). A
//!   UTF-16 file with its BOM (Excel's "Unicode text") is read too. The
//!   delimiter is the most frequent of `,` `;` TAB outside quotes in the header
//!   line (ties go to `,`). Quotes are RFC 4180 `"`; a quote that is never
//!   closed is an error rather than a silently swallowed rest of the file.
//! - Refused with [`ReadError::Unsupported`]: XLS and other old Office files,
//!   password-protected Office files, XLSB, ODS, other ZIP archives, PDF, HTML
//!   or XML, and anything with a NUL byte in its first 8 KB.
//!
//! The first row with a non-blank cell is the header. Its blank cells are not
//! columns: [`Table::headers`] holds only named columns, and a value under a
//! blank header or beyond the last one is counted in [`Row::extra_cells`] (the
//! caller should report it) instead of being kept. Column names must be unique
//! ignoring case. Fully blank rows are skipped; short rows are padded with
//! `""`, so `cells` always lines up with `headers`. [`Row::line`] is the row
//! number the user sees in the spreadsheet (header = 1 when it is the first
//! row): for CSV a record counts as one row even when a quoted cell spans
//! several physical lines, and blank lines count, as when Excel opens it.
//!
//! Reading never panics on any input (see the tests); calamine runs inside
//! `catch_unwind` as a last resort. Callers pass size-limited bytes, and
//! [`ReadLimits`] bounds what those bytes can expand to: the declared
//! uncompressed size of the ZIP parts (the zip crate fails an entry that
//! inflates beyond its declared size, so a zip bomb cannot lie its way
//! past the check), and the cells and text kept in the table (shared strings
//! and padding could otherwise multiply a small file).
//!
//! # Writing: [`write_csv`] and [`write_xlsx`]
//!
//! - CSV is UTF-8 **with a BOM** (without it Excel shows `FundiciÃ³n`), **comma**
//!   separated, CRLF line ends, RFC 4180 quoting (also when a cell contains `;`
//!   or TAB, so the delimiter detection above reads our own files back). Text
//!   cells are **neutralised** ([`neutralise`]): Excel runs a CSV cell starting
//!   with `=` `+` `-` `@` as a formula (CSV injection), so those, and cells
//!   starting with TAB or CR (OWASP's list), get a leading apostrophe;
//!   [`unneutralise`] undoes it on import.
//! - XLSX is written in constant-memory mode (rows stream to a temporary file):
//!   a bold, frozen header row with an autofilter, column widths estimated from
//!   the header and the first 100 rows, numbers and booleans as such, dates as
//!   real dates formatted `yyyy-mm-dd`. Text is always written as a string cell,
//!   never as a formula, so it needs no apostrophe; text starting with `=` `+`
//!   `-` `@` also gets Excel's "quote prefix" cell format so that editing the
//!   cell does not turn it into a formula either. Text loses the control
//!   characters XML cannot carry, CR line breaks become LF, and text longer
//!   than Excel's limit of 32,767 characters is truncated.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx};
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use rust_xlsxwriter::{Format as XlsxFormat, Workbook, Worksheet};

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// A spreadsheet read as text: named columns and the data rows under them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The column names, trimmed, as in the file. Never blank, unique ignoring case.
    pub headers: Vec<String>,
    /// The data rows in file order; fully blank rows are left out.
    pub rows: Vec<Row>,
    /// What the bytes turned out to be.
    pub format: Format,
}

impl Table {
    /// The position of a column, by name ignoring case.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.to_lowercase();
        self.headers.iter().position(|h| h.to_lowercase() == name)
    }
}

/// One data row of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number the user sees in the spreadsheet (the header is row 1 when
    /// it is the first row); for CSV, a record with a quoted multi-line cell still
    /// counts as one row.
    pub line: usize,
    /// One trimmed text per header, `""` where the row has no value.
    pub cells: Vec<String>,
    /// How many non-blank values the row has in columns without a header name
    /// (beyond the last header or under a blank one). They are not in `cells`;
    /// 0 for a well-formed row. Callers should report the row when it is not 0.
    pub extra_cells: usize,
}

impl Row {
    /// The cell of column `index`, or `""` when there is no such column.
    pub fn get(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

/// The format a [`Table`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv {
        /// `"UTF-8"` or `"windows-1252"` (or `"UTF-16LE"`/`"UTF-16BE"` for a file
        /// with a UTF-16 byte order mark).
        encoding: &'static str,
        /// `b','`, `b';'` or `b'\t'`.
        delimiter: u8,
    },
    Xlsx,
}

/// Bounds on what a file of a given size may expand to when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Cells kept in the table, padding included: header columns × (rows + 1).
    pub max_cells: usize,
    /// Bytes of text kept in the table.
    pub max_text_bytes: usize,
    /// Sum of the declared uncompressed sizes of the parts of an XLSX file.
    pub max_xlsx_uncompressed: u64,
}

impl Default for ReadLimits {
    /// Room for 250,000 rows × 20 columns; about 1 GB of memory at most.
    fn default() -> Self {
        Self {
            max_cells: 5_000_000,
            max_text_bytes: 256 << 20,
            max_xlsx_uncompressed: 512 << 20,
        }
    }
}

/// Why a file could not be read as a table. The caller translates by variant
/// (see [`ReadError::code`]); the English messages are for logs and tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// No bytes, only a byte order mark or white space, or an XLSX file whose
    /// worksheet has no values.
    #[error("the file is empty")]
    Empty,
    /// There is something in the file but no row with a value (a CSV file of
    /// delimiters and quotes only).
    #[error("the file has no header row with column names")]
    NoHeader,
    /// Column names that appear more than once, ignoring case, each named once
    /// as first spelt.
    #[error("duplicate column names: {}", .0.join(", "))]
    DuplicateHeaders(Vec<String>),
    #[error("unsupported file ({0}); save it as XLSX or CSV")]
    Unsupported(FileKind),
    /// `line` is the row where the faulty record starts, numbered like [`Row::line`].
    #[error("malformed CSV at line {line}: {reason}")]
    MalformedCsv { line: usize, reason: String },
    /// A ZIP file that calamine could not read as a workbook; the text is the
    /// technical detail, for the log.
    #[error("the XLSX file could not be read: {0}")]
    XlsxUnreadable(String),
    #[error("the file is too large to read: {0}")]
    TooLarge(Limit),
}

impl ReadError {
    /// A stable code for the interface to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::NoHeader => "no_header",
            Self::DuplicateHeaders(_) => "duplicate_headers",
            Self::Unsupported(_) => "unsupported_format",
            Self::MalformedCsv { .. } => "malformed_csv",
            Self::XlsxUnreadable(_) => "xlsx_unreadable",
            Self::TooLarge(_) => "too_large",
        }
    }
}

/// A kind of file [`read_table`] refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An old binary Excel file (`.xls`), or another old Office document: they
    /// share the same container.
    Xls,
    /// An Office file protected with a password (encrypted, in the old container).
    Encrypted,
    /// Excel's binary workbook format.
    Xlsb,
    /// An OpenDocument spreadsheet (LibreOffice).
    Ods,
    /// A ZIP archive that is not a workbook (a Word document, a folder…).
    OtherZip,
    Pdf,
    /// HTML or XML, such as "XML Spreadsheet 2003" or a web page saved as `.xls`.
    Markup,
    /// Anything else that is not text.
    Binary,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Xls => "an old Excel (XLS) or other old Office file",
            Self::Encrypted => "a password-protected Office file",
            Self::Xlsb => "an Excel binary (XLSB) workbook",
            Self::Ods => "an OpenDocument (ODS) spreadsheet",
            Self::OtherZip => "a ZIP archive that is not an XLSX workbook",
            Self::Pdf => "a PDF document",
            Self::Markup => "an HTML or XML file",
            Self::Binary => "not a text file",
        })
    }
}

/// The [`ReadLimits`] bound that a file exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Cells(usize),
    TextBytes(usize),
    XlsxUncompressed(u64),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cells(n) => write!(f, "more than {n} cells"),
            Self::TextBytes(n) => write!(f, "more than {n} bytes of text"),
            Self::XlsxUncompressed(n) => write!(f, "more than {n} bytes once uncompressed"),
        }
    }
}

/// Reads a CSV or XLSX file into a table of text, with the default [`ReadLimits`].
pub fn read_table(bytes: &[u8]) -> Result<Table, ReadError> {
    read_table_with_limits(bytes, &ReadLimits::default())
}

/// [`read_table`] with explicit limits.
pub fn read_table_with_limits(bytes: &[u8], limits: &ReadLimits) -> Result<Table, ReadError> {
    const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes, limits);
    }
    if bytes.starts_with(CFB_MAGIC) {
        // An encrypted XLSX travels in the same container as an XLS, as a stream
        // named "EncryptedPackage" (UTF-16 in the directory).
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let kind = if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            FileKind::Encrypted
        } else {
            FileKind::Xls
        };
        return Err(ReadError::Unsupported(kind));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(ReadError::Unsupported(FileKind::Pdf));
    }
    read_csv(bytes, limits)
}

/// Collects rows into a [`Table`]: picks the header, lines cells up with it,
/// skips blank rows and enforces the cell and text limits.
struct Builder<'l> {
    limits: &'l ReadLimits,
    /// Source column → position in `headers`; `None` until the header is read.
    slots: Option<Vec<Option<usize>>>,
    headers: Vec<String>,
    rows: Vec<Row>,
    cells: usize,
    text: usize,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l ReadLimits) -> Self {
        Self {
            limits,
            slots: None,
            headers: Vec::new(),
            rows: Vec::new(),
            cells: 0,
            text: 0,
        }
    }

    /// Adds a row given as (source column, trimmed text) pairs.
    fn push<S>(&mut self, line: usize, mut cells: Vec<(usize, S)>) -> Result<(), ReadError>
    where
        S: AsRef<str> + Into<String>,
    {
        cells.retain(|(_, text)| !text.as_ref().is_empty());
        if cells.is_empty() {
            return Ok(());
        }
        if !cells.is_sorted_by_key(|(col, _)| *col) {
            cells.sort_by_key(|(col, _)| *col);
        }
        cells.dedup_by_key(|(col, _)| *col);
        match &self.slots {
            None => self.set_headers(cells),
            Some(_) => self.add_row(line, cells),
        }
    }

    fn set_headers<S>(&mut self, cells: Vec<(usize, S)>) -> Result<(), ReadError>
    where
        S: AsRef<str> + Into<String>,
    {
        let width = cells.last().map_or(0, |(col, _)| col + 1);
        let mut slots = vec![None; width];
        for (position, (col, name)) in cells.into_iter().enumerate() {
            if let Some(slot) = slots.get_mut(col) {
                *slot = Some(position);
            }
            self.text += name.as_ref().len();
            self.headers.push(name.into());
        }
        self.cells = self.headers.len();
        self.check_limits()?;

        let mut first_seen: HashMap<String, usize> = HashMap::new();
        let mut reported = HashSet::new();
        let mut duplicates = Vec::new();
        for (i, name) in self.headers.iter().enumerate() {
            let first = *first_seen.entry(name.to_lowercase()).or_insert(i);
            if first != i && reported.insert(first) {
                duplicates.push(self.headers.get(first).cloned().unwrap_or_default());
            }
        }
        if !duplicates.is_empty() {
            return Err(ReadError::DuplicateHeaders(duplicates));
        }
        self.slots = Some(slots);
        Ok(())
    }

    fn add_row<S>(&mut self, line: usize, cells: Vec<(usize, S)>) -> Result<(), ReadError>
    where
        S: AsRef<str> + Into<String>,
    {
        let width = self.headers.len();
        self.cells = self.cells.saturating_add(width);
        self.check_limits()?;
        let slots = self.slots.as_deref().unwrap_or_default();
        let mut row = Row {
            line,
            cells: vec![String::new(); width],
            extra_cells: 0,
        };
        for (col, text) in cells {
            let target = slots
                .get(col)
                .copied()
                .flatten()
                .and_then(|position| row.cells.get_mut(position));
            match target {
                Some(target) => {
                    self.text += text.as_ref().len();
                    *target = text.into();
                }
                None => row.extra_cells += 1,
            }
        }
        self.rows.push(row);
        self.check_limits()
    }

    /// Whether `cells` more cells and `text` more bytes would still fit; used
    /// to bound what is held before it reaches the builder.
    fn has_room(&self, cells: usize, text: usize) -> Result<(), ReadError> {
        if self.cells.saturating_add(cells) > self.limits.max_cells {
            return Err(ReadError::TooLarge(Limit::Cells(self.limits.max_cells)));
        }
        if self.text.saturating_add(text) > self.limits.max_text_bytes {
            return Err(ReadError::TooLarge(Limit::TextBytes(
                self.limits.max_text_bytes,
            )));
        }
        Ok(())
    }

    fn check_limits(&self) -> Result<(), ReadError> {
        self.has_room(0, 0)
    }

    fn finish(self, format: Format, without_header: ReadError) -> Result<Table, ReadError> {
        if self.slots.is_none() {
            return Err(without_header);
        }
        Ok(Table {
            headers: self.headers,
            rows: self.rows,
            format,
        })
    }
}

// --- CSV -------------------------------------------------------------------

fn read_csv(bytes: &[u8], limits: &ReadLimits) -> Result<Table, ReadError> {
    let (text, encoding) = decode_text(bytes)?;
    let start = text.trim_start();
    if start.is_empty() {
        return Err(ReadError::Empty);
    }
    let head: String = start.chars().take(16).collect::<String>().to_lowercase();
    if ["<?xml", "<html", "<!doctype html"]
        .iter()
        .any(|prefix| head.starts_with(prefix))
    {
        return Err(ReadError::Unsupported(FileKind::Markup));
    }

    let delimiter = detect_delimiter(&text);
    let unclosed_quote = ends_inside_quotes(text.as_bytes(), delimiter);
    let raw = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quote(b'"')
        .double_quote(true)
        .from_reader(raw);
    let mut record = csv::StringRecord::new();
    let mut builder = Builder::new(limits);
    // Row numbers: line breaks before the end of a record, minus those inside
    // quoted cells, minus the record's own terminator (see `BreakCounter`).
    let mut breaks = BreakCounter::default();
    let mut quoted_breaks = 0usize;
    let mut line = 1usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                return Err(ReadError::MalformedCsv {
                    line,
                    reason: error.to_string(),
                });
            }
        }
        let end = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        breaks.advance(raw, end);
        let own: usize = record.iter().map(count_breaks).sum();
        // (A record cut short by an unclosed quote ends with the file, and a
        // line break there is inside the cell.)
        let terminated = raw
            .get(..end.min(raw.len()))
            .and_then(<[u8]>::last)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
            && !(unclosed_quote && end >= raw.len());
        line = (breaks.count + 1)
            .saturating_sub(quoted_breaks + own + usize::from(terminated))
            .max(1);
        quoted_breaks += own;

        let cells: Vec<(usize, &str)> = record
            .iter()
            .map(str::trim)
            .enumerate()
            .filter(|(_, cell)| !cell.is_empty())
            .collect();
        builder.push(line, cells)?;
    }
    if unclosed_quote {
        return Err(ReadError::MalformedCsv {
            line,
            reason: "a quoted cell is never closed".to_owned(),
        });
    }
    builder.finish(
        Format::Csv {
            encoding,
            delimiter,
        },
        ReadError::NoHeader,
    )
}

/// The text of a CSV file and the name of its encoding.
fn decode_text(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok((String::from_utf8_lossy(rest), "UTF-8"));
    }
    for (bom, encoding) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return Ok((text, encoding.name()));
        }
    }
    if bytes.iter().take(8 * 1024).any(|b| *b == 0) {
        return Err(ReadError::Unsupported(FileKind::Binary));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), "UTF-8")),
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text, WINDOWS_1252.name()))
        }
    }
}

/// The most frequent of `,` `;` TAB outside quotes in the first line with a
/// value; ties go to `,` (then `;`).
fn detect_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut has_value = false;
    for b in text.bytes() {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                has_value = true;
            }
            _ if in_quotes => {}
            b'\r' | b'\n' => {
                if has_value {
                    break;
                }
                counts = [0; 3];
            }
            b',' => counts[0] += 1,
            b';' => counts[1] += 1,
            b'\t' => counts[2] += 1,
            b' ' => {}
            _ => has_value = true,
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// Whether the text ends inside a quoted cell, following the csv crate's
/// reading: a quote opens a quoted cell only at its start, `""` inside is a
/// quote, and anything after the closing quote is plain text.
fn ends_inside_quotes(bytes: &[u8], delimiter: u8) -> bool {
    #[derive(Clone, Copy)]
    enum State {
        CellStart,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let ends_cell = |b: u8| b == delimiter || b == b'\r' || b == b'\n';
    let mut state = State::CellStart;
    for &b in bytes {
        state = match state {
            State::CellStart if b == b'"' => State::Quoted,
            State::CellStart | State::Plain | State::QuoteInQuoted if ends_cell(b) => {
                State::CellStart
            }
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::CellStart | State::Plain | State::QuoteInQuoted => State::Plain,
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
        };
    }
    matches!(state, State::Quoted)
}

/// Counts line breaks (CRLF, lone CR or lone LF, each one break, as Excel
/// counts rows) incrementally through a text.
#[derive(Default)]
struct BreakCounter {
    position: usize,
    count: usize,
    after_cr: bool,
}

impl BreakCounter {
    fn advance(&mut self, bytes: &[u8], end: usize) {
        let end = end.min(bytes.len());
        if let Some(chunk) = bytes.get(self.position..end) {
            for &b in chunk {
                self.feed(b);
            }
            self.position = end;
        }
    }

    fn feed(&mut self, b: u8) {
        match b {
            b'\r' => {
                self.count += 1;
                self.after_cr = true;
            }
            b'\n' => {
                if !self.after_cr {
                    self.count += 1;
                }
                self.after_cr = false;
            }
            _ => self.after_cr = false,
        }
    }
}

fn count_breaks(text: &str) -> usize {
    let mut counter = BreakCounter::default();
    for b in text.bytes() {
        counter.feed(b);
    }
    counter.count
}

// --- XLSX ------------------------------------------------------------------

fn read_xlsx(bytes: &[u8], limits: &ReadLimits) -> Result<Table, ReadError> {
    let entries = zip_directory(bytes)
        .ok_or_else(|| ReadError::XlsxUnreadable("not a valid ZIP archive".to_owned()))?;
    let has = |name: &str| entries.iter().any(|e| e.name == name);
    if has("xl/workbook.bin") {
        return Err(ReadError::Unsupported(FileKind::Xlsb));
    }
    if has("mimetype") && has("content.xml") {
        return Err(ReadError::Unsupported(FileKind::Ods));
    }
    if !entries.iter().any(|e| e.name.starts_with("xl/")) {
        return Err(ReadError::Unsupported(FileKind::OtherZip));
    }
    let uncompressed = entries
        .iter()
        .fold(0u64, |sum, e| sum.saturating_add(e.uncompressed));
    if uncompressed > limits.max_xlsx_uncompressed {
        return Err(ReadError::TooLarge(Limit::XlsxUncompressed(
            limits.max_xlsx_uncompressed,
        )));
    }
    // calamine is a parser of hostile input written by others: should it panic,
    // the user gets "unreadable" instead of a failed request.
    catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, limits))).unwrap_or_else(|_| {
        Err(ReadError::XlsxUnreadable(
            "the XLSX reader failed on this file".to_owned(),
        ))
    })
}

fn read_workbook(bytes: &[u8], limits: &ReadLimits) -> Result<Table, ReadError> {
    let unreadable = |e: calamine::XlsxError| ReadError::XlsxUnreadable(e.to_string());
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let sheets = workbook.sheets_metadata();
    let is_worksheet = |s: &&calamine::Sheet| matches!(s.typ, SheetType::WorkSheet);
    let sheet = sheets
        .iter()
        .filter(is_worksheet)
        .find(|s| matches!(s.visible, SheetVisible::Visible))
        .or_else(|| sheets.iter().find(is_worksheet))
        .map(|s| s.name.clone())
        .ok_or(ReadError::Empty)?;

    // Fast path: rows arrive in order (every writer does that) and go to the
    // builder as they complete. A file with rows out of order is read again,
    // collected and sorted.
    let mut builder = Builder::new(limits);
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(unreadable)?;
    let in_order = feed_rows(
        &mut builder,
        std::iter::from_fn(|| next_value(&mut cells).transpose()),
    )?;
    drop(cells);
    if in_order {
        return builder.finish(Format::Xlsx, ReadError::Empty);
    }

    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(unreadable)?;
    let mut all = Vec::new();
    let mut text = 0usize;
    let counter = Builder::new(limits);
    while let Some(cell) = next_value(&mut cells)? {
        text += cell.2.len();
        all.push(cell);
        counter.has_room(all.len(), text)?;
    }
    all.sort_by_key(|(row, col, _)| (*row, *col));
    let mut builder = Builder::new(limits);
    feed_rows(&mut builder, all.into_iter().map(Ok))?;
    builder.finish(Format::Xlsx, ReadError::Empty)
}

/// The next cell with a value, as (row, column, text), both 0-based.
fn next_value<RS>(
    cells: &mut calamine::XlsxCellReader<'_, RS>,
) -> Result<Option<(u32, u32, String)>, ReadError>
where
    RS: std::io::Read + std::io::Seek,
{
    loop {
        let cell = cells
            .next_cell()
            .map_err(|e| ReadError::XlsxUnreadable(e.to_string()))?;
        let Some(cell) = cell else {
            return Ok(None);
        };
        let text = cell_text(cell.get_value());
        if !text.is_empty() {
            let (row, col) = cell.get_position();
            return Ok(Some((row, col, text)));
        }
    }
}

/// Hands cells, grouped by row, to the builder. `Ok(false)` when a row comes
/// after a later one (the caller then sorts).
fn feed_rows(
    builder: &mut Builder<'_>,
    cells: impl Iterator<Item = Result<(u32, u32, String), ReadError>>,
) -> Result<bool, ReadError> {
    let mut current_row = None;
    let mut current: Vec<(usize, String)> = Vec::new();
    let mut current_text = 0usize;
    for cell in cells {
        let (row, col, text) = cell?;
        match current_row {
            Some(r) if r == row => {}
            Some(r) if r > row => return Ok(false),
            _ => {
                if let Some(r) = current_row {
                    builder.push(line_of(r), std::mem::take(&mut current))?;
                }
                current_row = Some(row);
                current_text = 0;
            }
        }
        current_text += text.len();
        current.push((col as usize, text));
        builder.has_room(current.len(), current_text)?;
    }
    if let Some(r) = current_row {
        builder.push(line_of(r), current)?;
    }
    Ok(true)
}

fn line_of(row: u32) -> usize {
    row as usize + 1
}

/// A cell as the user reads it.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(text) | DataRef::DurationIso(text) => text.trim().to_owned(),
        DataRef::SharedString(text) => text.trim().to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(x) => float_text(*x),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(datetime) => datetime_text(datetime),
        DataRef::DateTimeIso(text) => iso_datetime_text(text.trim()),
        DataRef::Error(error) => error.to_string(),
    }
}

/// A number as Excel shows it: 15 significant digits, no exponent, no `.0`.
fn float_text(value: f64) -> String {
    const EXACT: f64 = 1e15;
    if !value.is_finite() {
        return value.to_string();
    }
    if value.fract() == 0.0 && value.abs() < EXACT {
        // Exact: |value| < 10^15 fits an i64.
        return (value as i64).to_string();
    }
    let rounded: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    if rounded == 0.0 {
        return "0".to_owned();
    }
    format!("{rounded}")
}

fn datetime_text(datetime: &ExcelDateTime) -> String {
    let value = datetime.as_f64();
    if datetime.is_duration() {
        let seconds = (value * 86_400.0).round();
        if !seconds.is_finite() || seconds.abs() > 1e12 {
            return float_text(value);
        }
        let sign = if seconds < 0.0 { "-" } else { "" };
        let seconds = seconds.abs() as u64;
        return format!(
            "{sign}{:02}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
    if !(0.0..2_958_466.0).contains(&value) {
        return float_text(value);
    }
    let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
    if value < 1.0 {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
    }
}

/// An ISO date-time, reduced to the date when the time is midnight.
fn iso_datetime_text(text: &str) -> String {
    if let Some((date, time)) = text.split_once('T') {
        let time = time.strip_suffix('Z').unwrap_or(time);
        if time.bytes().all(|b| matches!(b, b'0' | b':' | b'.')) {
            return date.to_owned();
        }
    }
    text.to_owned()
}

/// An entry of a ZIP central directory.
struct ZipEntry {
    /// Lower case, `/` separated.
    name: String,
    /// As declared; the zip crate fails an entry that inflates beyond it.
    uncompressed: u64,
}

/// The entries of a ZIP file's central directory, or `None` when it cannot
/// be found or is damaged.
fn zip_directory(bytes: &[u8]) -> Option<Vec<ZipEntry>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD64_LOCATOR: &[u8] = b"PK\x06\x07";
    const EOCD64: &[u8] = b"PK\x06\x06";
    const ENTRY: &[u8] = b"PK\x01\x02";

    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(u16::MAX as usize);
    let eocd = (first..=last)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(EOCD))?;
    let mut count = u64::from(le16(bytes, eocd + 10)?);
    let mut offset = u64::from(le32(bytes, eocd + 16)?);
    if count == 0xFFFF || offset == 0xFFFF_FFFF {
        let locator = eocd.checked_sub(20)?;
        if bytes.get(locator..locator + 4) != Some(EOCD64_LOCATOR) {
            return None;
        }
        let at = usize::try_from(le64(bytes, locator + 8)?).ok()?;
        if bytes.get(at..at.checked_add(4)?) != Some(EOCD64) {
            return None;
        }
        count = le64(bytes, at + 32)?;
        offset = le64(bytes, at + 48)?;
    }

    let mut at = usize::try_from(offset).ok()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        if bytes.get(at..at.checked_add(4)?) != Some(ENTRY) {
            return None;
        }
        let mut uncompressed = u64::from(le32(bytes, at + 24)?);
        let name_len = usize::from(le16(bytes, at + 28)?);
        let extra_len = usize::from(le16(bytes, at + 30)?);
        let comment_len = usize::from(le16(bytes, at + 32)?);
        let name_at = at + 46;
        let name = bytes.get(name_at..name_at + name_len)?;
        let extra = bytes.get(name_at + name_len..name_at + name_len + extra_len)?;
        if uncompressed == 0xFFFF_FFFF {
            uncompressed = zip64_size(extra)?;
        }
        entries.push(ZipEntry {
            name: String::from_utf8_lossy(name)
                .replace('\\', "/")
                .to_lowercase(),
            uncompressed,
        });
        at = name_at + name_len + extra_len + comment_len;
    }
    Some(entries)
}

/// The uncompressed size in a ZIP64 extra field (it comes first).
fn zip64_size(mut extra: &[u8]) -> Option<u64> {
    while extra.len() >= 4 {
        let id = le16(extra, 0)?;
        let len = usize::from(le16(extra, 2)?);
        let data = extra.get(4..4 + len)?;
        if id == 0x0001 {
            return le64(data, 0);
        }
        extra = extra.get(4 + len..)?;
    }
    None
}

fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// A typed value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Date(time::Date),
    Bool(bool),
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Self::Float(x)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<time::Date> for Cell {
    fn from(date: time::Date) -> Self {
        Self::Date(date)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Empty, Into::into)
    }
}

/// Why an XLSX file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("too many rows for one worksheet (Excel allows 1,048,575 under the header)")]
    TooManyRows,
    #[error("too many columns for one worksheet: {0} (Excel allows 16,384)")]
    TooManyColumns(usize),
    #[error("the XLSX file could not be written")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises a text that a spreadsheet would run as a formula: text
/// beginning with '=', '+', '-', '@', TAB or CR gets a leading apostrophe.
///
/// For CSV, where a cell carries no type. Note that this also changes
/// harmless texts such as `-5` or `+34 942…` into `'-5` and `'+34 942…`.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise`]: drops a leading apostrophe that precedes one of
/// its characters, for imports of files this module exported.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// Writes a CSV file: UTF-8 with a BOM, comma separated, CRLF line ends,
/// RFC 4180 quoting, text neutralised (headers included). Rows are written as
/// given (no padding to the header's width). Non-finite floats are written as
/// empty cells.
pub fn write_csv(headers: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> Vec<u8> {
    let mut out = String::with_capacity(64 * 1024);
    out.push('\u{feff}');
    for (i, header) in headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_text(&mut out, header);
    }
    out.push_str("\r\n");
    for row in rows {
        for (i, cell) in row.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => push_csv_text(&mut out, &text),
                Cell::Int(n) => out.push_str(&n.to_string()),
                Cell::Float(x) => {
                    if let Some(text) = plain_float(x) {
                        out.push_str(&text);
                    }
                }
                Cell::Date(date) => out.push_str(&iso_date(date)),
                Cell::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            }
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn push_csv_text(out: &mut String, text: &str) {
    let cleaned = clean_text(text, false);
    let text = neutralise(&cleaned);
    if text.contains([',', ';', '\t', '"', '\r', '\n']) {
        out.push('"');
        for ch in text.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(&text);
    }
}

/// A float in plain notation (`.` decimal, no exponent); `None` when not finite.
fn plain_float(x: f64) -> Option<String> {
    if !x.is_finite() {
        None
    } else if x == 0.0 {
        Some("0".to_owned())
    } else {
        Some(x.to_string())
    }
}

fn iso_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Excel's limits.
const XLSX_MAX_ROWS: usize = 1_048_576;
const XLSX_MAX_COLUMNS: usize = 16_384;
const XLSX_MAX_TEXT: usize = 32_767;
/// Integers beyond 15 digits lose precision as Excel numbers: they go as text.
const XLSX_MAX_EXACT_INT: i64 = 999_999_999_999_999;
/// Rows looked at to choose column widths.
const WIDTH_SAMPLE_ROWS: usize = 100;

struct Formats {
    header: XlsxFormat,
    header_quoted: XlsxFormat,
    quoted: XlsxFormat,
    date: XlsxFormat,
}

/// Writes an XLSX workbook with one worksheet named `sheet` (characters Excel
/// forbids in names are replaced, and it is cut to 31 characters). See the
/// module documentation for the layout. Rows are written as given. Where Excel
/// cannot hold a value exactly it is written as text: integers of more than 15
/// digits, and dates before 1900-03-01 (Excel's calendar is wrong before then)
/// or after 9999. Non-finite floats and empty texts leave the cell empty.
///
/// The rows stream to a file in the system's temporary directory, so that
/// must be writable ([`WriteError::Xlsx`] otherwise).
pub fn write_xlsx(
    sheet: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    write_xlsx_sheet(&mut workbook, sheet, headers, rows)?;
    Ok(workbook.save_to_buffer()?)
}

/// One worksheet of [`write_xlsx_book`].
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: Vec<&'a str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Writes an XLSX workbook with several worksheets, each laid out and
/// written exactly as [`write_xlsx`] writes its one.
pub fn write_xlsx_book(sheets: Vec<Sheet<'_>>) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    for s in sheets {
        write_xlsx_sheet(&mut workbook, s.name, &s.headers, s.rows)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_xlsx_sheet(
    workbook: &mut Workbook,
    sheet: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<(), WriteError> {
    let mut rows = rows.into_iter();
    let sample: Vec<Vec<Cell>> = rows.by_ref().take(WIDTH_SAMPLE_ROWS).collect();
    let columns = sample
        .iter()
        .map(Vec::len)
        .chain([headers.len()])
        .max()
        .unwrap_or(0);
    if columns > XLSX_MAX_COLUMNS {
        return Err(WriteError::TooManyColumns(columns));
    }
    let formats = Formats {
        header: XlsxFormat::new().set_bold(),
        header_quoted: XlsxFormat::new().set_bold().set_quote_prefix(),
        quoted: XlsxFormat::new().set_quote_prefix(),
        date: XlsxFormat::new().set_num_format("yyyy-mm-dd"),
    };

    let worksheet = workbook.add_worksheet_with_constant_memory()?;
    worksheet.set_name(sheet_name(sheet))?;
    for (col, width) in column_widths(headers, &sample, columns)
        .into_iter()
        .enumerate()
    {
        worksheet.set_column_width(col as u16, width)?;
    }
    for (col, header) in headers.iter().enumerate() {
        let text = clean_text(header, true);
        let format = if text.starts_with(FORMULA_STARTS) {
            &formats.header_quoted
        } else {
            &formats.header
        };
        worksheet.write_string_with_format(0, col as u16, text, format)?;
    }

    let mut last_row = 0;
    let mut last_col = headers.len().saturating_sub(1);
    for (i, row) in sample.into_iter().chain(rows).enumerate() {
        let index = i + 1;
        if index >= XLSX_MAX_ROWS {
            return Err(WriteError::TooManyRows);
        }
        if row.len() > XLSX_MAX_COLUMNS {
            return Err(WriteError::TooManyColumns(row.len()));
        }
        last_col = last_col.max(row.len().saturating_sub(1));
        last_row = index as u32;
        for (col, cell) in row.into_iter().enumerate() {
            write_xlsx_cell(worksheet, last_row, col as u16, cell, &formats)?;
        }
    }
    if columns > 0 {
        worksheet.set_freeze_panes(1, 0)?;
        worksheet.autofilter(0, 0, last_row, last_col as u16)?;
    }
    Ok(())
}

fn write_xlsx_cell(
    worksheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: Cell,
    formats: &Formats,
) -> Result<(), WriteError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            let text = clean_text(&text, true).into_owned();
            if text.starts_with(FORMULA_STARTS) {
                worksheet.write_string_with_format(row, col, text, &formats.quoted)?;
            } else if !text.is_empty() {
                worksheet.write_string(row, col, text)?;
            }
        }
        Cell::Int(n) if (-XLSX_MAX_EXACT_INT..=XLSX_MAX_EXACT_INT).contains(&n) => {
            worksheet.write_number(row, col, n as f64)?;
        }
        Cell::Int(n) => {
            worksheet.write_string(row, col, n.to_string())?;
        }
        Cell::Float(x) if x.is_finite() => {
            worksheet.write_number(row, col, if x == 0.0 { 0.0 } else { x })?;
        }
        Cell::Float(_) => {}
        Cell::Date(date) => match excel_date(date) {
            Some(date) => {
                worksheet.write_datetime_with_format(row, col, &date, &formats.date)?;
            }
            None => {
                worksheet.write_string(row, col, iso_date(date))?;
            }
        },
        Cell::Bool(b) => {
            worksheet.write_boolean(row, col, b)?;
        }
    }
    Ok(())
}

/// The date as an Excel date, or `None` before 1900-03-01 (Excel's calendar
/// is wrong before then: it has a 29 February 1900) or after 9999.
fn excel_date(date: time::Date) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    let month = u8::from(date.month());
    if year < 1900 || (year == 1900 && month < 3) {
        return None;
    }
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, date.day()).ok()
}

/// Column widths in characters: the widest of the header (plus room for the
/// filter button) and the sample rows, between 8 and 60.
fn column_widths(headers: &[&str], sample: &[Vec<Cell>], columns: usize) -> Vec<f64> {
    let mut widths = vec![0usize; columns];
    for (width, header) in widths.iter_mut().zip(headers) {
        *width = header.chars().count() + 3;
    }
    for row in sample {
        for (width, cell) in widths.iter_mut().zip(row) {
            let len = match cell {
                Cell::Empty => 0,
                Cell::Text(text) => text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
                Cell::Int(n) => n.to_string().len(),
                Cell::Float(x) => plain_float(*x).map_or(0, |t| t.len().min(15)),
                Cell::Date(_) => 10,
                Cell::Bool(_) => 5,
            };
            *width = (*width).max(len + 1);
        }
    }
    widths.into_iter().map(|w| w.clamp(8, 60) as f64).collect()
}

/// A valid worksheet name: Excel forbids `* ? : [ ] \ /`, an apostrophe at
/// either end, more than 31 characters, and the name "History".
fn sheet_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| {
            if matches!(c, '*' | '?' | ':' | '[' | ']' | '\\' | '/') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut name = truncate_utf16(replaced.trim(), 31)
        .trim_matches(|c: char| c == '\'' || c.is_whitespace())
        .to_owned();
    if name.eq_ignore_ascii_case("history") {
        name.push('_');
    }
    if name.is_empty() {
        "Sheet1".to_owned()
    } else {
        name
    }
}

/// Removes the control characters XML cannot carry (and U+FFFE, U+FFFF);
/// for XLSX also turns CR and CRLF into LF (Excel's line break in a cell) and
/// truncates to Excel's 32,767 characters.
fn clean_text(text: &str, for_xlsx: bool) -> Cow<'_, str> {
    let forbidden = |c: char| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
            || (for_xlsx && c == '\r')
    };
    let text: Cow<'_, str> = if text.contains(forbidden) {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' && for_xlsx {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            } else if !forbidden(c) {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    };
    if !for_xlsx || text.len() <= XLSX_MAX_TEXT {
        return text;
    }
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(truncate_utf16(text, XLSX_MAX_TEXT)),
        Cow::Owned(text) => Cow::Owned(truncate_utf16(&text, XLSX_MAX_TEXT).to_owned()),
    }
}

/// The longest prefix of `text` of at most `max` UTF-16 units (Excel's measure).
fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return text.get(..at).unwrap_or(text);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cells(row: &Row) -> Vec<&str> {
        row.cells.iter().map(String::as_str).collect()
    }

    fn csv_table(text: &str) -> Table {
        read_table(text.as_bytes()).unwrap()
    }

    // --- a minimal ZIP writer (stored entries) to build hostile XLSX files ---

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A ZIP of stored entries; `declared` overrides an entry's uncompressed size.
    fn stored_zip(files: &[(&str, &[u8])], declared: Option<(&str, u32)>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, data) in files {
            let offset = out.len() as u32;
            let crc = crc32(data);
            let size = data.len() as u32;
            let uncompressed = match declared {
                Some((n, s)) if n == *name => s,
                _ => size,
            };
            let mut common = Vec::new();
            common.extend_from_slice(&20u16.to_le_bytes()); // version needed
            common.extend_from_slice(&0u16.to_le_bytes()); // flags
            common.extend_from_slice(&0u16.to_le_bytes()); // stored
            common.extend_from_slice(&0u32.to_le_bytes()); // time, date
            common.extend_from_slice(&crc.to_le_bytes());
            common.extend_from_slice(&size.to_le_bytes());
            common.extend_from_slice(&uncompressed.to_le_bytes());
            common.extend_from_slice(&(name.len() as u16).to_le_bytes());
            common.extend_from_slice(&0u16.to_le_bytes()); // extra
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&common);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            directory.extend_from_slice(b"PK\x01\x02");
            directory.extend_from_slice(&20u16.to_le_bytes()); // version made by
            directory.extend_from_slice(&common);
            directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let directory_offset = out.len() as u32;
        out.extend_from_slice(&directory);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        out.extend_from_slice(&directory_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    /// Style 1 is a date (numFmt 14), style 2 a date-time (numFmt 22).
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

    fn sheet_xml(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
        )
    }

    fn handmade_xlsx(sheet: &str, declared: Option<(&str, u32)>) -> Vec<u8> {
        stored_zip(
            &[
                ("_rels/.rels", ROOT_RELS.as_bytes()),
                ("xl/workbook.xml", WORKBOOK.as_bytes()),
                ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
                ("xl/styles.xml", STYLES.as_bytes()),
                ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            ],
            declared,
        )
    }

    fn sample_rows() -> Vec<Vec<Cell>> {
        vec![
            vec![
                "Fundición Peña, S.L.".into(),
                Cell::Int(120),
                Cell::Float(1234.5),
                Cell::Date(date!(2027 - 05 - 31)),
                Cell::Bool(true),
                "<script>alert(1)</script>".into(),
            ],
            vec![
                "=1+2".into(),
                Cell::Int(-7),
                Cell::Float(0.1),
                Cell::Date(date!(1899 - 12 - 31)),
                Cell::Bool(false),
                "Año €\nsegunda línea".into(),
            ],
            vec![
                "-5".into(),
                Cell::Int(1_234_567_890_123_456_789),
                Cell::Float(f64::NAN),
                Cell::Empty,
                Cell::Empty,
                "@SUM(A1)".into(),
            ],
            vec!["+34 942 000 000".into(), Cell::Empty],
            vec![
                "\u{1}bell\u{7}".into(),
                Cell::Int(0),
                Cell::Float(-0.0),
                Cell::Empty,
                Cell::Empty,
                "_x0041_ ; \"quoted\"".into(),
            ],
        ]
    }

    const HEADERS: [&str; 6] = ["Name", "Employees", "Revenue", "Founded", "Active", "Notes"];

    #[test]
    fn xlsx_round_trip_gives_back_the_texts() {
        let bytes = write_xlsx("Organisations", &HEADERS, sample_rows()).unwrap();
        let table = read_table(&bytes).unwrap();
        assert_eq!(table.format, Format::Xlsx);
        assert_eq!(table.headers, HEADERS);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        assert_eq!(
            cells(&table.rows[0]),
            [
                "Fundición Peña, S.L.",
                "120",
                "1234.5",
                "2027-05-31",
                "true",
                "<script>alert(1)</script>"
            ]
        );
        assert_eq!(
            cells(&table.rows[1]),
            [
                "=1+2",
                "-7",
                "0.1",
                "1899-12-31",
                "false",
                "Año €\nsegunda línea"
            ]
        );
        assert_eq!(
            cells(&table.rows[2]),
            ["-5", "1234567890123456789", "", "", "", "@SUM(A1)"]
        );
        assert_eq!(
            cells(&table.rows[3]),
            ["+34 942 000 000", "", "", "", "", ""]
        );
        assert_eq!(
            cells(&table.rows[4]),
            ["bell", "0", "0", "", "", "_x0041_ ; \"quoted\""]
        );
        assert!(table.rows.iter().all(|r| r.extra_cells == 0));
    }

    #[test]
    fn xlsx_text_is_never_a_formula() {
        let bytes = write_xlsx("S", &["a"], [vec!["=1+2".into()]]).unwrap();
        let table = read_table(&bytes).unwrap();
        assert_eq!(table.rows[0].cells, ["=1+2"]);
        // A string cell, not a formula with a cached result…
        let formulas = |bytes: &[u8], sheet: &str| {
            let mut workbook = Xlsx::new(Cursor::new(bytes)).unwrap();
            workbook
                .worksheet_formula(sheet)
                .unwrap()
                .used_cells()
                .count()
        };
        assert_eq!(formulas(&bytes, "S"), 0);
        // …which calamine would see.
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet()
            .set_name("S")
            .unwrap()
            .write_formula(0, 0, "=1+2")
            .unwrap();
        assert_eq!(formulas(&workbook.save_to_buffer().unwrap(), "S"), 1);
    }

    #[test]
    fn xlsx_long_text_is_truncated_to_excels_limit() {
        let long = "é".repeat(40_000);
        let bytes = write_xlsx("S", &["a"], [vec![Cell::Text(long)]]).unwrap();
        let table = read_table(&bytes).unwrap();
        assert_eq!(table.rows[0].cells[0].chars().count(), 32_767);
        // UTF-16 is Excel's measure: an emoji counts twice.
        assert_eq!(truncate_utf16("a😀b", 2), "a");
        assert_eq!(truncate_utf16("a😀b", 3), "a😀");
    }

    #[test]
    fn xlsx_edges_of_the_writer() {
        assert_eq!(
            sheet_name("Organisations / 2027: [draft]"),
            "Organisations _ 2027_ _draft_"
        );
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name("History"), "History_");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        let bytes = write_xlsx("a/b", &[], std::iter::empty()).unwrap();
        assert_eq!(read_table(&bytes), Err(ReadError::Empty));
        let wide = vec![Cell::Int(1); XLSX_MAX_COLUMNS + 1];
        assert!(matches!(
            write_xlsx("S", &["a"], [wide]),
            Err(WriteError::TooManyColumns(16_385))
        ));
    }

    #[test]
    fn csv_round_trip_gives_back_neutralised_texts() {
        let bytes = write_csv(&HEADERS, sample_rows());
        assert!(bytes.starts_with(b"\xEF\xBB\xBFName,Employees,Revenue,Founded,Active,Notes\r\n"));
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(
            "\"Fundición Peña, S.L.\",120,1234.5,2027-05-31,true,<script>alert(1)</script>\r\n"
        ));
        assert!(text.contains("'=1+2,-7,0.1,1899-12-31,false,\"Año €\nsegunda línea\"\r\n"));

        let table = read_table(&bytes).unwrap();
        assert_eq!(
            table.format,
            Format::Csv {
                encoding: "UTF-8",
                delimiter: b','
            }
        );
        assert_eq!(table.headers, HEADERS);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        assert_eq!(
            cells(&table.rows[0]),
            [
                "Fundición Peña, S.L.",
                "120",
                "1234.5",
                "2027-05-31",
                "true",
                "<script>alert(1)</script>"
            ]
        );
        assert_eq!(
            cells(&table.rows[1]),
            [
                "'=1+2",
                "-7",
                "0.1",
                "1899-12-31",
                "false",
                "Año €\nsegunda línea"
            ]
        );
        assert_eq!(
            cells(&table.rows[2]),
            ["'-5", "1234567890123456789", "", "", "", "'@SUM(A1)"]
        );
        assert_eq!(
            cells(&table.rows[3]),
            ["'+34 942 000 000", "", "", "", "", ""]
        );
        assert_eq!(
            cells(&table.rows[4]),
            ["bell", "0", "0", "", "", "_x0041_ ; \"quoted\""]
        );
        assert_eq!(unneutralise(&table.rows[1].cells[0]), "=1+2");
    }

    #[test]
    fn neutralise_and_unneutralise() {
        for text in ["=1+2", "+1", "-1", "@x", "\tx", "\rx"] {
            let neutral = neutralise(text);
            assert_eq!(neutral, format!("'{text}"));
            assert_eq!(unneutralise(&neutral), text);
        }
        for text in ["", "a=1", " =1", "'quoted", "Peña"] {
            assert!(matches!(neutralise(text), Cow::Borrowed(t) if t == text));
            assert_eq!(unneutralise(text), text);
        }
    }

    #[test]
    fn csv_in_windows_1252_with_semicolons() {
        let text = "Nombre;Localidad;Nota\r\nFundición, Peña;Año;€ 5\r\n";
        let (bytes, _, lossy) = WINDOWS_1252.encode(text);
        assert!(!lossy);
        assert!(std::str::from_utf8(&bytes).is_err());
        let table = read_table(&bytes).unwrap();
        assert_eq!(
            table.format,
            Format::Csv {
                encoding: "windows-1252",
                delimiter: b';'
            }
        );
        assert_eq!(table.headers, ["Nombre", "Localidad", "Nota"]);
        assert_eq!(cells(&table.rows[0]), ["Fundición, Peña", "Año", "€ 5"]);

        let table = csv_table(text);
        assert_eq!(
            table.format,
            Format::Csv {
                encoding: "UTF-8",
                delimiter: b';'
            }
        );
        assert_eq!(cells(&table.rows[0]), ["Fundición, Peña", "Año", "€ 5"]);
    }

    #[test]
    fn csv_with_tabs_bom_and_utf16() {
        let table =
            csv_table("\u{feff}name\tcity, region\tcode\nPeña\tTorrelavega, Cantabria\t39300\n");
        assert_eq!(
            table.format,
            Format::Csv {
                encoding: "UTF-8",
                delimiter: b'\t'
            }
        );
        assert_eq!(table.headers, ["name", "city, region", "code"]);
        assert_eq!(
            cells(&table.rows[0]),
            ["Peña", "Torrelavega, Cantabria", "39300"]
        );

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "a\tb\r\nAño\t€\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let table = read_table(&utf16).unwrap();
        assert_eq!(
            table.format,
            Format::Csv {
                encoding: "UTF-16LE",
                delimiter: b'\t'
            }
        );
        assert_eq!(cells(&table.rows[0]), ["Año", "€"]);
    }

    #[test]
    fn csv_delimiter_detection() {
        assert_eq!(detect_delimiter("a;b,c\n"), b',');
        assert_eq!(detect_delimiter("a;b;c,d\n"), b';');
        assert_eq!(detect_delimiter("\"a,b,c\";d\n"), b';');
        assert_eq!(detect_delimiter("single\n"), b',');
        assert_eq!(detect_delimiter(",,,\n;;\n\na;b\n"), b';');
        assert_eq!(detect_delimiter("a\tb;c\td\n"), b'\t');
    }

    #[test]
    fn csv_line_numbers_follow_the_spreadsheet_rows() {
        let table = csv_table("h1,h2\r\n\"a\r\nb\",c\r\nd,e\r\n\r\nf,\"g\n\nh\"\r\ni,j");
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5, 6]);
        assert_eq!(cells(&table.rows[0]), ["a\r\nb", "c"]);
        assert_eq!(cells(&table.rows[2]), ["f", "g\n\nh"]);

        // Old Mac line ends and a blank first line.
        let table = csv_table("\ra,b\r1,2\r\r3,4\r");
        assert_eq!(table.headers, ["a", "b"]);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn csv_blank_rows_padding_and_extra_cells() {
        let table = csv_table("a, b ,,c\n,,,\n 1 ,2\n\n3,,x,4,5\n , \n");
        assert_eq!(table.headers, ["a", "b", "c"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].line, 3);
        assert_eq!(cells(&table.rows[0]), ["1", "2", ""]);
        assert_eq!(table.rows[0].extra_cells, 0);
        assert_eq!(table.rows[1].line, 5);
        assert_eq!(cells(&table.rows[1]), ["3", "", "4"]);
        assert_eq!(table.rows[1].extra_cells, 2);
        assert_eq!(table.rows[1].get(2), "4");
        assert_eq!(table.rows[1].get(9), "");
        assert_eq!(table.column("B"), Some(1));
    }

    #[test]
    fn csv_errors() {
        assert_eq!(read_table(b""), Err(ReadError::Empty));
        assert_eq!(read_table(b"\xEF\xBB\xBF"), Err(ReadError::Empty));
        assert_eq!(read_table(b" \r\n\t\r\n"), Err(ReadError::Empty));
        assert_eq!(
            read_table(b",,,\r\n\"\",\"\"\r\n"),
            Err(ReadError::NoHeader)
        );
        assert_eq!(
            read_table("Nombre,NIF,nombre,nif,Email,NOMBRE".as_bytes()),
            Err(ReadError::DuplicateHeaders(vec![
                "Nombre".into(),
                "NIF".into()
            ]))
        );
        let error = read_table(b"a,b\n1,2\n3,\"never closed\n4,5\n").unwrap_err();
        assert_eq!(
            error,
            ReadError::MalformedCsv {
                line: 3,
                reason: "a quoted cell is never closed".into()
            }
        );
        assert_eq!(error.code(), "malformed_csv");
        // A quote inside a cell is text, and text after a closing quote is kept.
        let table = csv_table("a,b\nsay \"hi\",\"x\"y\n");
        assert_eq!(cells(&table.rows[0]), ["say \"hi\"", "xy"]);
    }

    #[test]
    fn unsupported_formats() {
        let unsupported = |bytes: &[u8]| match read_table(bytes) {
            Err(ReadError::Unsupported(kind)) => kind,
            other => panic!("expected unsupported, got {other:?}"),
        };
        let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        xls.resize(1024, 0);
        assert_eq!(unsupported(&xls), FileKind::Xls);
        xls.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(unsupported(&xls), FileKind::Encrypted);
        assert_eq!(unsupported(b"%PDF-1.7\n%\xE2\xE3"), FileKind::Pdf);
        assert_eq!(unsupported(b"name,city\n\x00\x01\x02"), FileKind::Binary);
        assert_eq!(
            unsupported(b"  <?xml version=\"1.0\"?><Workbook>"),
            FileKind::Markup
        );
        assert_eq!(unsupported(b"<!DOCTYPE HTML><table>"), FileKind::Markup);
        let ods = stored_zip(
            &[
                (
                    "mimetype",
                    b"application/vnd.oasis.opendocument.spreadsheet",
                ),
                ("content.xml", b"<office:document-content/>"),
            ],
            None,
        );
        assert_eq!(unsupported(&ods), FileKind::Ods);
        let xlsb = stored_zip(&[("xl/workbook.bin", b"\x83\x01")], None);
        assert_eq!(unsupported(&xlsb), FileKind::Xlsb);
        let docx = stored_zip(&[("word/document.xml", b"<w:document/>")], None);
        assert_eq!(unsupported(&docx), FileKind::OtherZip);
        assert!(
            ReadError::Unsupported(FileKind::Ods)
                .to_string()
                .contains("save it as XLSX or CSV")
        );
    }

    #[test]
    fn xlsx_cell_values_as_the_user_reads_them() {
        let sheet = sheet_xml(concat!(
            // Rows out of order, a header not in column A, a cell far away.
            r#"<row r="3"><c r="B3" t="e"><v>#DIV/0!</v></c><c r="C3"><v>0.30000000000000004</v></c><c r="D3" t="d"><v>2027-05-31T00:00:00</v></c></row>"#,
            r#"<row r="1"><c r="B1" t="inlineStr"><is><t> Name </t></is></c><c r="C1" t="inlineStr"><is><t>Value</t></is></c><c r="D1" t="inlineStr"><is><t>When</t></is></c></row>"#,
            r#"<row r="2"><c r="B2" t="b"><v>1</v></c><c r="C2"><v>120</v></c><c r="D2" s="1"><v>46538</v></c><c r="XFD2"><v>1</v></c></row>"#,
            r#"<row r="5"><c r="B5" t="str"><v>formula text</v></c><c r="C5"><v>1e-7</v></c><c r="D5" s="2"><v>46538.5</v></c></row>"#,
            r#"<row r="6"><c r="A6" t="inlineStr"><is><t>left</t></is></c><c r="C6"><v>-2.5E+20</v></c><c r="D6" t="d"><v>2027-05-31T10:30:00</v></c></row>"#,
            r#"<row r="7"><c r="B7" t="inlineStr"><is><t>   </t></is></c></row>"#,
        ));
        let table = read_table(&handmade_xlsx(&sheet, None)).unwrap();
        assert_eq!(table.headers, ["Name", "Value", "When"]);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5, 6]);
        assert_eq!(cells(&table.rows[0]), ["true", "120", "2027-05-31"]);
        assert_eq!(table.rows[0].extra_cells, 1);
        assert_eq!(cells(&table.rows[1]), ["#DIV/0!", "0.3", "2027-05-31"]);
        assert_eq!(
            cells(&table.rows[2]),
            ["formula text", "0.0000001", "2027-05-31T12:00:00"]
        );
        assert_eq!(
            cells(&table.rows[3]),
            ["", "-250000000000000000000", "2027-05-31T10:30:00"]
        );
        assert_eq!(table.rows[3].extra_cells, 1);
    }

    #[test]
    fn xlsx_number_formatting() {
        assert_eq!(float_text(120.0), "120");
        assert_eq!(float_text(-0.0), "0");
        assert_eq!(float_text(1234.5), "1234.5");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(1e15), "1000000000000000");
        assert_eq!(float_text(123_456_789_012_345_680.0), "123456789012346000");
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(iso_datetime_text("2027-05-31T00:00:00.000Z"), "2027-05-31");
        assert_eq!(iso_datetime_text("2027-05-31"), "2027-05-31");
        let duration = ExcelDateTime::new(1.5, calamine::ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&duration), "36:00:00");
        let time = ExcelDateTime::new(0.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&time), "18:00:00");
    }

    #[test]
    fn xlsx_limits_and_lies() {
        let sheet = sheet_xml(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>"#,
        );
        let xlsx = handmade_xlsx(&sheet, None);
        assert_eq!(read_table(&xlsx).unwrap().rows.len(), 2);

        let tiny = ReadLimits {
            max_xlsx_uncompressed: 1000,
            ..ReadLimits::default()
        };
        assert_eq!(
            read_table_with_limits(&xlsx, &tiny),
            Err(ReadError::TooLarge(Limit::XlsxUncompressed(1000)))
        );
        let few_cells = ReadLimits {
            max_cells: 2,
            ..ReadLimits::default()
        };
        assert_eq!(
            read_table_with_limits(&xlsx, &few_cells),
            Err(ReadError::TooLarge(Limit::Cells(2)))
        );
        let little_text = ReadLimits {
            max_text_bytes: 2,
            ..ReadLimits::default()
        };
        assert_eq!(
            read_table_with_limits(b"a,b\n1,2\n", &little_text),
            Err(ReadError::TooLarge(Limit::TextBytes(2)))
        );

        // A sheet that claims to be smaller than it is: the zip crate stops it.
        let lying = handmade_xlsx(&sheet, Some(("xl/worksheets/sheet1.xml", 10)));
        assert!(matches!(
            read_table(&lying),
            Err(ReadError::XlsxUnreadable(_))
        ));
    }

    /// xorshift64*: deterministic pseudo-random numbers without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        const ALPHABET: &[u8] = b",;\t\"\r\n a1=\xC3\xA9\xE9\x80\xEF\xBB\xBF'";
        const PREFIXES: [&[u8]; 7] = [
            b"",
            b"PK\x03\x04",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            b"%PDF-",
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b"<?xml",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for i in 0..2000 {
            let len = rng.below(300);
            let mut bytes = PREFIXES[i % PREFIXES.len()].to_vec();
            for _ in 0..len {
                let byte = if i % 2 == 0 {
                    ALPHABET[rng.below(ALPHABET.len())]
                } else {
                    rng.next() as u8
                };
                bytes.push(byte);
            }
            let _ = read_table(&bytes);
        }

        // Truncated and corrupted real files.
        let xlsx = write_xlsx("S", &HEADERS, sample_rows()).unwrap();
        for cut in (0..xlsx.len()).step_by(xlsx.len() / 150 + 1) {
            assert!(read_table(&xlsx[..cut]).is_err());
        }
        for _ in 0..300 {
            let mut bytes = xlsx.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
            let _ = read_table(&bytes);
        }
        // Corrupted XML in a well-formed ZIP reaches calamine's parser.
        let sheet = sheet_xml(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row><row r="2"><c r="A2" s="1"><v>46538</v></c><c r="B2" t="e"><v>#N/A</v></c><c t="d"><v>2027-05-31</v></c></row>"#,
        );
        const XML_NOISE: &[u8] = b"<>/\"=0123456789ABXFDrcvtsein \xC3\xA9";
        for _ in 0..400 {
            let mut xml = sheet.clone().into_bytes();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(xml.len());
                xml[at] = XML_NOISE[rng.below(XML_NOISE.len())];
            }
            let bytes = handmade_xlsx(&String::from_utf8_lossy(&xml), None);
            let _ = read_table(&bytes);
        }
    }
}
