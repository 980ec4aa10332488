//! Importing organisations from a spreadsheet: every row is validated with the
//! rules of the API; the report names each bad row, column and reason; nothing
//! is written unless every row is good, and then all of it is, in one
//! transaction. A row whose tax id is already registered updates that record.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use besaya_domain::directory::{Certification, parse_flag, split_codes};
use besaya_domain::text::fold;

use super::KINDS;
use super::model::{CertificationDto, Invalid, OrgInput, ValidOrg, validate};
use super::store::{self, WriteError};
use crate::db::Db;
use crate::i18n::Tr;
use crate::reference::Catalog;
use crate::tabular::{self, Cell, Table};

/// The columns of the template and of exports, in order.
pub const COLUMNS: [&str; 20] = [
    "tax_id",
    "name",
    "trade_name",
    "kind",
    "cnae_version",
    "cnae_codes",
    "municipality_code",
    "address",
    "lat",
    "lon",
    "employees",
    "size_band",
    "description",
    "capabilities",
    "certifications",
    "website",
    "email",
    "phone",
    "pact_member",
    "dir3_code",
];

/// Columns exports add that an import reads past without comment (they are
/// the record's bookkeeping, not data to write).
pub const READ_ONLY_COLUMNS: [&str; 1] = ["updated_on"];

/// Spanish headers people use, mapped to the columns (compared folded).
const ALIASES: [(&str, &str); 24] = [
    ("nif", "tax_id"),
    ("cif", "tax_id"),
    ("nif_cif", "tax_id"),
    ("nombre", "name"),
    ("razon_social", "name"),
    ("nombre_comercial", "trade_name"),
    ("tipo", "kind"),
    ("version_cnae", "cnae_version"),
    ("cnae", "cnae_codes"),
    ("municipio", "municipality_code"),
    ("codigo_ine", "municipality_code"),
    ("direccion", "address"),
    ("latitud", "lat"),
    ("longitud", "lon"),
    ("empleados", "employees"),
    ("tamano", "size_band"),
    ("descripcion", "description"),
    ("capacidades", "capabilities"),
    ("certificaciones", "certifications"),
    ("web", "website"),
    ("correo", "email"),
    ("telefono", "phone"),
    ("miembro_pacto", "pact_member"),
    ("dir3", "dir3_code"),
];

/// One bad cell (or row) of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row as the spreadsheet numbers it (the header is row 1); 0 for the file itself.
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// What a dry run found.
#[derive(Debug, Default)]
pub struct Report {
    pub rows: usize,
    pub new: usize,
    pub updates: usize,
    pub errors: Vec<RowError>,
    /// Columns of the file that are not ours (ignored).
    pub ignored_columns: Vec<String>,
    /// Valid rows with the id of the record they update, if any.
    pub valid: Vec<(ValidOrg, Option<String>)>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.rows > 0
    }

    /// The errors as a CSV file to download (same neutralising as exports).
    pub fn errors_csv(&self, tr: &Tr) -> Vec<u8> {
        let headers = [
            tr.t("import-col-row"),
            tr.t("import-col-column"),
            tr.t("import-col-value"),
            tr.t("import-col-reason"),
        ];
        tabular::write_csv(
            &headers,
            self.errors.iter().map(|e| {
                vec![
                    Cell::Int(e.line as i64),
                    Cell::Text(e.column.clone()),
                    Cell::Text(e.value.clone()),
                    Cell::Text(e.message.clone()),
                ]
            }),
        )
    }
}

/// Progress of a long import, shared with the page that shows it.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

impl Progress {
    fn set_total(&self, n: usize) {
        self.total.store(n, Ordering::Relaxed);
    }
    fn tick(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

fn header_key(h: &str) -> String {
    fold(h.trim())
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .trim_matches('_')
        .to_owned()
}

/// Validates a file's rows. `existing` maps stored tax ids to record ids.
pub fn check(
    bytes: &[u8],
    catalog: &Catalog,
    tr: &Tr,
    existing: &HashMap<String, String>,
    progress: &Progress,
) -> Report {
    let mut report = Report::default();
    let table = match tabular::read_table(bytes) {
        Ok(t) => t,
        Err(e) => {
            report.errors.push(RowError {
                line: 0,
                column: String::new(),
                value: String::new(),
                message: read_error_message(&e, tr),
            });
            return report;
        }
    };
    check_table(&table, catalog, tr, existing, progress, &mut report);
    report
}

fn read_error_message(e: &tabular::ReadError, tr: &Tr) -> String {
    let detail = match e {
        tabular::ReadError::DuplicateHeaders(names) => names.join(", "),
        tabular::ReadError::MalformedCsv { line, .. } => line.to_string(),
        _ => String::new(),
    };
    tr.t1(&format!("import-read-{}", e.code()), "detail", detail)
}

fn check_table(
    table: &Table,
    catalog: &Catalog,
    tr: &Tr,
    existing: &HashMap<String, String>,
    progress: &Progress,
    report: &mut Report,
) {
    // Which column of the file feeds which field.
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in table.headers.iter().enumerate() {
        let key = header_key(h);
        let field = COLUMNS
            .iter()
            .copied()
            .find(|c| *c == key)
            .or_else(|| ALIASES.iter().find(|(a, _)| *a == key).map(|(_, c)| *c));
        match field {
            Some(f) if !index.contains_key(f) => {
                index.insert(f, i);
            }
            _ if READ_ONLY_COLUMNS.contains(&key.as_str()) => {}
            _ => report.ignored_columns.push(h.clone()),
        }
    }
    for required in ["tax_id", "name", "kind"] {
        if !index.contains_key(required) {
            report.errors.push(RowError {
                line: 1,
                column: required.to_owned(),
                value: String::new(),
                message: tr.t1("import-err-missing-column", "column", required),
            });
        }
    }
    if !report.errors.is_empty() {
        return;
    }
    progress.set_total(table.rows.len());
    report.rows = table.rows.len();
    let kinds = kind_labels(tr);
    let municipalities: HashMap<String, &str> = catalog
        .municipalities
        .iter()
        .map(|(code, m)| (fold(&m.name), code.as_str()))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let cell = |f: &str| {
            let c = index
                .get(f)
                .and_then(|i| row.cells.get(*i))
                .map(|s| s.trim())
                .unwrap_or("");
            // Exports put an apostrophe before text a spreadsheet would take for a
            // formula (`'+34 942…`); an export imports back as it was.
            tabular::unneutralise(c)
        };
        let opt = |f: &str| Some(cell(f).to_owned()).filter(|s| !s.is_empty());
        let mut errs: Vec<RowError> = Vec::new();
        let mut bad = |column: &str, value: &str, message: String| {
            errs.push(RowError {
                line: row.line,
                column: column.to_owned(),
                value: value.to_owned(),
                message,
            });
        };
        if row.extra_cells > 0 {
            // Data under no header would be lost without a word.
            bad(
                "",
                "",
                tr.t1("import-err-extra-cells", "count", row.extra_cells as i64),
            );
        }
        let kind = {
            let k = cell("kind");
            let folded = fold(k);
            kinds
                .iter()
                .find(|(label, _)| *label == folded)
                .map(|(_, kind)| (*kind).to_owned())
                .or_else(|| opt("kind"))
        };
        let municipality_code = opt("municipality_code").map(|m| {
            if m.chars().all(|c| c.is_ascii_digit()) {
                m
            } else {
                municipalities.get(&fold(&m)).map_or(m, |c| (*c).to_owned())
            }
        });
        let number = |f: &str, bad: &mut dyn FnMut(&str, &str, String)| -> Option<f64> {
            let raw = cell(f);
            if raw.is_empty() {
                return None;
            }
            let parsed = raw
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite());
            if parsed.is_none() {
                bad(f, raw, tr.t("import-err-number").to_owned());
            }
            parsed
        };
        let lat = number("lat", &mut bad);
        let lon = number("lon", &mut bad);
        // One coordinate that is not a number is its error; do not also ask for the pair.
        let (lat, lon) =
            if lat.is_none() != lon.is_none() && !cell("lat").is_empty() && !cell("lon").is_empty()
            {
                (None, None)
            } else {
                (lat, lon)
            };
        let employees = {
            let raw = cell("employees");
            if raw.is_empty() {
                None
            } else {
                let digits = if besaya_domain::directory::is_thousands(raw) {
                    raw.replace('.', "")
                } else {
                    raw.to_owned()
                };
                let n = digits.parse::<i64>().ok();
                if n.is_none() {
                    bad("employees", raw, tr.t("import-err-integer").to_owned());
                }
                n
            }
        };
        let pact_member = match parse_flag(cell("pact_member")) {
            Some(b) => Some(b),
            None => {
                bad(
                    "pact_member",
                    cell("pact_member"),
                    tr.t("import-err-flag").to_owned(),
                );
                None
            }
        };
        let certifications = match Certification::parse_list(cell("certifications")) {
            Ok(list) => Some(list.iter().map(CertificationDto::from).collect()),
            Err(e) => {
                bad(
                    "certifications",
                    cell("certifications"),
                    super::model::certification_error(&e, tr),
                );
                None
            }
        };
        let input = OrgInput {
            name: opt("name"),
            trade_name: opt("trade_name"),
            kind,
            tax_id: opt("tax_id"),
            cnae_version: opt("cnae_version"),
            cnae_codes: Some(split_codes(cell("cnae_codes"))),
            municipality_code,
            address: opt("address"),
            lat,
            lon,
            employees,
            size_band: opt("size_band"),
            description: opt("description"),
            capabilities: opt("capabilities"),
            certifications,
            website: opt("website"),
            email: opt("email"),
            phone: opt("phone"),
            pact_member,
            dir3_code: opt("dir3_code"),
            version: None,
        };
        let result = validate(&input, catalog);
        match result {
            Err(invalid) => {
                for i in invalid {
                    let column = column_of(&i);
                    let value = cell(column).to_owned();
                    bad(column, &value, i.message(tr));
                }
            }
            Ok(valid) => {
                let key = valid.tax_id.as_str().to_owned();
                if let Some(first) = seen.get(&key) {
                    bad(
                        "tax_id",
                        cell("tax_id"),
                        tr.t1("import-err-repeated", "row", *first as i64),
                    );
                } else if errs.is_empty() {
                    seen.insert(key.clone(), row.line);
                    let target = existing.get(&key).cloned();
                    if target.is_some() {
                        report.updates += 1;
                    } else {
                        report.new += 1;
                    }
                    report.valid.push((valid, target));
                }
            }
        }
        report.errors.extend(errs);
        progress.tick(1);
    }
}

/// The file column an invalid field comes from (`cnae_codes[1]` → `cnae_codes`).
fn column_of(i: &Invalid) -> &'static str {
    let base = i.field.split(['[', '.']).next().unwrap_or("");
    COLUMNS
        .iter()
        .copied()
        .find(|c| *c == base)
        .unwrap_or("name")
}

/// Kinds by their folded label in the user's language and by their code.
fn kind_labels(tr: &Tr) -> Vec<(String, &'static str)> {
    KINDS
        .iter()
        .map(|k| (fold(tr.t(&format!("kind-{k}"))), *k))
        .chain(KINDS.iter().map(|k| ((*k).to_owned(), *k)))
        .collect()
}

/// Tax id → record id of everything stored.
pub async fn existing_tax_ids(db: &Db) -> anyhow::Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT tax_id, id FROM organizations")
        .fetch_all(db.reader())
        .await?;
    Ok(rows.into_iter().collect())
}

/// What a commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Committed {
    pub created: usize,
    pub updated: usize,
}

/// Writes a clean report's rows in one transaction: all or nothing.
pub async fn commit(
    db: &Db,
    actor: Option<&str>,
    rows: &[(ValidOrg, Option<String>)],
    progress: &Arc<Progress>,
) -> Result<Committed, WriteError> {
    progress.set_total(rows.len());
    progress.done.store(0, Ordering::Relaxed);
    let mut tx = db.writer().begin().await?;
    let new: Vec<ValidOrg> = rows
        .iter()
        .filter(|(_, id)| id.is_none())
        .map(|(v, _)| v.clone())
        .collect();
    for chunk in new.chunks(2000) {
        store::insert_many(&mut tx, actor, chunk).await?;
        progress.tick(chunk.len());
    }
    let mut updated = 0;
    for (v, id) in rows {
        let Some(id) = id else { continue };
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let version = version.ok_or(WriteError::NotFound)?;
        store::update(&mut tx, actor, id, version, v).await?;
        updated += 1;
        progress.tick(1);
    }
    tx.commit().await?;
    Ok(Committed {
        created: new.len(),
        updated,
    })
}

/// The template: the header row and one example row.
pub fn template_csv(tr: &Tr) -> Vec<u8> {
    let tax_id = besaya_domain::Nif::entity('B', 3_900_000)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let text = |s: &str| Cell::Text(s.to_owned());
    let example = vec![
        text(&tax_id),
        text(tr.t("import-example-name")),
        Cell::Empty,
        text("company"),
        text("2025"),
        text("2553, 2513"),
        text("39087"),
        text(tr.t("import-example-address")),
        Cell::Float(43.34939),
        Cell::Float(-4.04785),
        Cell::Int(35),
        Cell::Empty,
        text(tr.t("import-example-description")),
        text(tr.t("import-example-capabilities")),
        text("ISO 9001:2015 | ES-0001/2024 | AENOR | 2027-05-31"),
        text("https://www.example.es"),
        text("info@example.es"),
        text("+34 942 000 000"),
        Cell::Bool(false),
        Cell::Empty,
    ];
    tabular::write_csv(&COLUMNS, std::iter::once(example))
}
