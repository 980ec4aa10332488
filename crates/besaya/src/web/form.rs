//! Field-level errors of a form, shown next to each field and in a summary
//! linked to the fields.

/// Errors by field id, in the order the form shows its fields.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find_map(|(f, m)| (f == field).then_some(m.as_str()))
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn items(&self) -> &[(String, String)] {
        &self.0
    }
}
