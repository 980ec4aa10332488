//! Reading an upload (`multipart/form-data`): a `file` of at most the configured
//! size and a few short text fields. Over the limit, the rest of the body is read
//! and dropped (up to a point) so that the client gets the answer rather than a
//! broken connection.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::Field;

use crate::auth::csrf::CsrfToken;
use crate::auth::secret;

/// What is still read (and thrown away) of an upload over the limit.
const DRAIN_MAX: usize = 256 * 1024 * 1024;
/// Longest text field, in bytes, and how many fields a form may have.
const TEXT_MAX: usize = 32 * 1024;
const FIELDS_MAX: usize = 32;

/// What an upload carried.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    /// The name the client gave the file (may be empty).
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// Whether a `file` part came at all.
    pub has_file: bool,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

#[derive(Debug)]
pub enum Problem {
    /// The CSRF field was missing or wrong (pages only).
    Forbidden,
    /// Not a multipart body that can be read.
    Malformed,
    /// The file is over the limit; the text fields are kept.
    TooLarge(Upload),
}

/// A short text field, at most [`TEXT_MAX`] bytes (more is an error).
async fn text(field: &mut Field<'_>) -> Result<String, Problem> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| Problem::Malformed)? {
        if bytes.len() + chunk.len() > TEXT_MAX {
            return Err(Problem::Malformed);
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| Problem::Malformed)
}

/// Reads the form. With `csrf` (the pages), its `_csrf` field must match the cookie.
pub async fn read(
    mut multipart: Multipart,
    csrf: Option<&CsrfToken>,
    max: usize,
) -> Result<Upload, Problem> {
    let mut up = Upload::default();
    let mut too_large = false;
    let mut drained = 0usize;
    let mut count = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) if too_large => break,
            Err(_) => return Err(Problem::Malformed),
        };
        count += 1;
        if count > FIELDS_MAX {
            return Err(Problem::Malformed);
        }
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            if up.has_file {
                return Err(Problem::Malformed);
            }
            up.has_file = true;
            up.file_name = field.file_name().unwrap_or("").to_owned();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if too_large => {
                        drained += chunk.len();
                        if drained > DRAIN_MAX {
                            return Err(Problem::TooLarge(up));
                        }
                    }
                    Ok(Some(chunk)) => {
                        if up.bytes.len() + chunk.len() > max {
                            too_large = true;
                            drained = up.bytes.len() + chunk.len();
                            up.bytes = Vec::new();
                        } else {
                            up.bytes.extend_from_slice(&chunk);
                        }
                    }
                    Ok(None) => break,
                    Err(_) if too_large => return Err(Problem::TooLarge(up)),
                    Err(_) => return Err(Problem::Malformed),
                }
            }
        } else if !too_large {
            let value = text(&mut field).await?;
            up.fields.insert(name, value);
        }
    }
    if let Some(token) = csrf {
        let sent = up.field("_csrf").unwrap_or("");
        let ok = token
            .existing()
            .is_some_and(|e| secret::constant_time_eq(e.as_bytes(), sent.as_bytes()));
        if !ok {
            return Err(Problem::Forbidden);
        }
    }
    if too_large {
        return Err(Problem::TooLarge(up));
    }
    Ok(up)
}
