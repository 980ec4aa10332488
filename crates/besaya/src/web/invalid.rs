//! One invalid field, as every module's validation reports it: the field's name, a
//! stable code, and the offending value when the message names it. Each module has
//! its messages in the catalogues under its own prefix (`org-err-{code}`,
//! `site-err-{code}`), chosen by the marker type `M`.

use std::marker::PhantomData;

use crate::api::FieldError;
use crate::i18n::Tr;

/// Where a module's validation messages live.
pub trait Messages {
    /// The catalogue prefix, e.g. `org-err-`.
    const PREFIX: &'static str;

    /// A message that needs more than the one `value` argument; `None` for the usual one.
    fn special(_invalid: &Invalid<Self>, _tr: &Tr) -> Option<String>
    where
        Self: Sized,
    {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid<M> {
    pub field: String,
    pub code: &'static str,
    pub value: Option<String>,
    messages: PhantomData<M>,
}

impl<M: Messages> Invalid<M> {
    pub fn new(field: &str, code: &'static str) -> Self {
        Self {
            field: field.to_owned(),
            code,
            value: None,
            messages: PhantomData,
        }
    }

    pub fn with(field: &str, code: &'static str, value: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code,
            value: Some(value.into()),
            messages: PhantomData,
        }
    }

    pub fn message(&self, tr: &Tr) -> String {
        if let Some(m) = M::special(self, tr) {
            return m;
        }
        let id = format!("{}{}", M::PREFIX, self.code);
        match &self.value {
            Some(v) => tr.t1(&id, "value", v.clone()),
            None => tr.t(&id).to_owned(),
        }
    }

    pub fn to_field_error(&self, english: &Tr) -> FieldError {
        FieldError::new(&self.field, self.code, self.message(english))
    }
}

/// A refused value as its message shows it: printable characters only, at most 64.
pub fn shown(v: &str) -> String {
    v.chars().filter(|c| !c.is_control()).take(64).collect()
}

/// A trimmed, non-empty text of at most `max` characters without control
/// characters (new lines allowed when `multiline`), or `None` when blank or
/// invalid (the reason pushed to `errors`: `too_long`, `control_chars`).
pub fn text<M: Messages>(
    errors: &mut Vec<Invalid<M>>,
    field: &str,
    value: Option<&str>,
    max: usize,
    multiline: bool,
) -> Option<String> {
    let v = value.map(str::trim).filter(|s| !s.is_empty())?;
    if v.chars().count() > max {
        errors.push(Invalid::with(field, "too_long", max.to_string()));
        return None;
    }
    if v.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        errors.push(Invalid::new(field, "control_chars"));
        return None;
    }
    Some(v.to_owned())
}
