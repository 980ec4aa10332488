//! What an uploaded document is, by its bytes (never by its name or the type the
//! browser sends): PDF, PNG, JPEG, Word and Excel (OOXML) and OpenDocument text
//! and spreadsheets. Anything else is refused. The OOXML and OpenDocument files
//! are ZIP archives: their central directory (and the `mimetype` entry of
//! OpenDocument) tell them apart without unpacking anything.

/// A kind of document the platform accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Odt,
    Ods,
}

impl DocKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// The file name extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Odt => "odt",
            Self::Ods => "ods",
        }
    }

    /// Extensions people give files of this kind.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Odt => &["odt"],
            Self::Ods => &["ods"],
        }
    }

    /// The short name shown next to a document (`PDF`, `Word`...).
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Docx => "Word",
            Self::Xlsx => "Excel",
            Self::Odt => "ODT",
            Self::Ods => "ODS",
        }
    }

    pub const ALL: [DocKind; 7] = [
        Self::Pdf,
        Self::Png,
        Self::Jpeg,
        Self::Docx,
        Self::Xlsx,
        Self::Odt,
        Self::Ods,
    ];

    pub fn from_content_type(ct: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.content_type() == ct)
    }

    /// The `accept` attribute of the upload fields.
    pub fn accept() -> String {
        let mut parts: Vec<String> = Self::ALL
            .iter()
            .map(|k| k.content_type().to_owned())
            .collect();
        for k in Self::ALL {
            for e in k.extensions() {
                parts.push(format!(".{e}"));
            }
        }
        parts.join(",")
    }
}

/// The kind of a file by its content; `None` when it is none of the accepted ones.
pub fn sniff(bytes: &[u8]) -> Option<DocKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(DocKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(DocKind::Jpeg);
    }
    // PDF readers accept the header anywhere in the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(DocKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_kind(bytes);
    }
    None
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(4)?)?;
    usize::try_from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok()
}

/// OpenDocument: the first entry is `mimetype`, stored uncompressed, naming the
/// kind. Office Open XML: `[Content_Types].xml` and the `word/` or `xl/` parts.
fn zip_kind(b: &[u8]) -> Option<DocKind> {
    // The first local file header.
    let method = u16_at(b, 8)?;
    let size = u32_at(b, 18)?;
    let name_len = u16_at(b, 26)?;
    let extra_len = u16_at(b, 28)?;
    if b.get(30..30 + name_len)? == b"mimetype" && method == 0 {
        let start = 30 + name_len + extra_len;
        let mime = b.get(start..start.checked_add(size)?)?;
        return match mime {
            b"application/vnd.oasis.opendocument.text" => Some(DocKind::Odt),
            b"application/vnd.oasis.opendocument.spreadsheet" => Some(DocKind::Ods),
            _ => None,
        };
    }
    let names = central_names(b)?;
    let has = |p: &str| names.iter().any(|n| n.starts_with(p.as_bytes()));
    if !names.iter().any(|n| *n == b"[Content_Types].xml") {
        return None;
    }
    if has("word/") {
        Some(DocKind::Docx)
    } else if has("xl/") {
        Some(DocKind::Xlsx)
    } else {
        None
    }
}

/// The entry names of a ZIP archive's central directory (at most 10 000).
fn central_names(b: &[u8]) -> Option<Vec<&[u8]>> {
    // The end-of-central-directory record is in the last 22 + 65 535 bytes.
    let from = b.len().saturating_sub(22 + 65_535);
    let eocd = (from..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b.get(i..i + 4) == Some(b"PK\x05\x06"))?;
    let count = u16_at(b, eocd + 10)?.min(10_000);
    let mut at = u32_at(b, eocd + 16)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if b.get(at..at.checked_add(4)?)? != b"PK\x01\x02" {
            return None;
        }
        let name_len = u16_at(b, at + 28)?;
        let extra_len = u16_at(b, at + 30)?;
        let comment_len = u16_at(b, at + 32)?;
        names.push(b.get(at + 46..at + 46 + name_len)?);
        at = at.checked_add(46 + name_len + extra_len + comment_len)?;
    }
    Some(names)
}

/// The name a download gets: the uploaded file's own name without its folders,
/// control characters, quotes or path separators, at most 150 characters, with
/// the extension of what the file really is.
pub fn download_name(original: &str, kind: Option<DocKind>) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>' | '*' | '?' | '|' | ':')
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    let mut name: String = clean.chars().take(150).collect();
    if name.trim().is_empty() {
        name = "documento".to_owned();
    }
    if let Some(k) = kind {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        if !k.extensions().contains(&ext.as_str()) {
            name = format!("{name}.{}", k.extension());
        }
    }
    name
}

/// The `Content-Disposition` of a download: an ASCII `filename` and the full
/// name in `filename*` (RFC 6266 and 8187).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')' | ',') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP archive holding empty stored entries with these names.
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let mut local = Vec::new();
            local.extend_from_slice(b"PK\x03\x04");
            local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            local.extend_from_slice(&[0, 0, 0, 0]); // crc (not checked here)
            local.extend_from_slice(&(data.len() as u32).to_le_bytes());
            local.extend_from_slice(&(data.len() as u32).to_le_bytes());
            local.extend_from_slice(&(name.len() as u16).to_le_bytes());
            local.extend_from_slice(&0u16.to_le_bytes());
            local.extend_from_slice(name.as_bytes());
            local.extend_from_slice(data);
            out.extend_from_slice(&local);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&[0, 0, 0, 0]);
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            // Extra and comment lengths, disk, internal and external attributes.
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn accepted_kinds_are_recognised_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(DocKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(DocKind::Png));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(DocKind::Jpeg)
        );
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w/>"),
        ]);
        assert_eq!(sniff(&docx), Some(DocKind::Docx));
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<w/>"),
        ]);
        assert_eq!(sniff(&xlsx), Some(DocKind::Xlsx));
        let odt = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<x/>"),
        ]);
        assert_eq!(sniff(&odt), Some(DocKind::Odt));
        let ods = zip(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(sniff(&ods), Some(DocKind::Ods));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"hello, this is text"), None);
        assert_eq!(sniff(b"GIF89a...."), None);
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(sniff(b"MZ\x90\0 an executable"), None);
        // A plain ZIP, an OpenDocument presentation, a truncated archive.
        assert_eq!(sniff(&zip(&[("photo.jpg", b"\xFF\xD8\xFF")])), None);
        let odp = zip(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.presentation",
        )]);
        assert_eq!(sniff(&odp), None);
        let mut broken = zip(&[("[Content_Types].xml", b"x"), ("word/document.xml", b"x")]);
        broken.truncate(40);
        assert_eq!(sniff(&broken), None);
        assert_eq!(sniff(b"PK\x03\x04"), None);
        // A central directory pointing outside the file.
        let mut lying = zip(&[("[Content_Types].xml", b"x"), ("xl/a.xml", b"x")]);
        let n = lying.len();
        lying[n - 6..n - 2].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(sniff(&lying), None);
    }

    #[test]
    fn download_names_are_safe_and_honest() {
        assert_eq!(
            download_name("C:\\docs\\Plan de negocio.pdf", Some(DocKind::Pdf)),
            "Plan de negocio.pdf"
        );
        assert_eq!(
            download_name("../../etc/passwd", Some(DocKind::Pdf)),
            "passwd.pdf"
        );
        assert_eq!(download_name("foto.JPEG", Some(DocKind::Jpeg)), "foto.JPEG");
        assert_eq!(
            download_name("factura.pdf", Some(DocKind::Png)),
            "factura.pdf.png"
        );
        assert_eq!(
            download_name("a\"b;\r\nc.xlsx", Some(DocKind::Xlsx)),
            "abc.xlsx"
        );
        assert_eq!(download_name("", Some(DocKind::Odt)), "documento.odt");
        assert_eq!(download_name(".htaccess", None), "htaccess");
        assert!(download_name(&"ñ".repeat(400), None).chars().count() <= 150);
        let d = content_disposition("Memoria técnica.pdf");
        assert!(
            d.starts_with("attachment; filename=\"Memoria t_cnica.pdf\""),
            "{d}"
        );
        assert!(
            d.contains("filename*=UTF-8''Memoria%20t%C3%A9cnica%2Epdf"),
            "{d}"
        );
    }
}
