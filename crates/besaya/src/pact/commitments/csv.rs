//! The commitments tree as a spreadsheet: the export (one row per commitment
//! in tree order) and the import back (CSV or XLSX).
//!
//! Import rules: a row with a `reference` updates that commitment, and its
//! `version` must be the one stored (else the row is "changed since it was
//! exported"); a row without one creates a commitment. `parent_reference`
//! names an existing reference or the `number` of an earlier row of the same
//! file; the owner is found by its tax id. Every row goes through the same
//! checks as the API, in one transaction: nothing is written unless every row
//! is good. Read-only columns (`number`, `owner_name`, `shown_status`,
//! `indicator_value`, `agreement_reference`) are ignored; `progress` is the
//! progress shown, so a row whose progress is unchanged keeps the one stored
//! (the exported file imports back with no change).

use std::collections::HashMap;

use besaya_domain::directory::format_date;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use super::store::{self, CommitmentInput, WriteError};
use crate::auth::User;
use crate::db::Db;
use crate::i18n::Tr;
use crate::pact::Invalid;
use crate::pact::alliance::Seat;
use crate::tabular::{self, Cell, Table};
use crate::web::invalid::shown;

/// The columns of the export, in order.
pub const COLUMNS: [&str; 21] = [
    "number",
    "reference",
    "parent_reference",
    "title",
    "description",
    "owner_tax_id",
    "owner_name",
    "status",
    "shown_status",
    "progress",
    "weight",
    "starts_on",
    "due_on",
    "indicator",
    "indicator_baseline",
    "indicator_target",
    "indicator_from",
    "indicator_value",
    "public",
    "agreement_reference",
    "version",
];

async fn tax_ids(db: &Db) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT o.id, o.tax_id FROM organizations o \
         WHERE o.id IN (SELECT owner_org_id FROM pact_commitments)",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, t)| t.map(|t| (id, t)))
        .collect())
}

/// The whole tree as a CSV file (UTF-8 with BOM, cells neutralised).
pub async fn export_csv(db: &Db, today: Date) -> anyhow::Result<Vec<u8>> {
    let lines = store::tree(db, today, false).await?;
    let taxes = tax_ids(db).await?;
    let refs: HashMap<&str, &str> = lines
        .iter()
        .map(|l| (l.commitment.id.as_str(), l.commitment.reference.as_str()))
        .collect();
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            let c = &l.commitment;
            vec![
                Cell::Text(l.number.clone()),
                Cell::Text(c.reference.clone()),
                Cell::from(
                    c.parent_id
                        .as_deref()
                        .and_then(|p| refs.get(p))
                        .map(|r| (*r).to_owned()),
                ),
                Cell::Text(c.title.clone()),
                Cell::Text(c.description.clone()),
                Cell::from(c.owner_org_id.as_ref().and_then(|o| taxes.get(o)).cloned()),
                Cell::from(c.owner_name.clone()),
                Cell::Text(c.status.clone()),
                Cell::Text(l.shown.as_str().to_owned()),
                Cell::Int(i64::from(l.progress)),
                Cell::Int(c.weight),
                Cell::from(c.starts_on.clone()),
                Cell::from(c.due_on.clone()),
                Cell::from(c.indicator.clone()),
                Cell::Int(c.indicator_baseline),
                Cell::from(c.indicator_target),
                Cell::from(c.indicator_from.clone()),
                Cell::from(l.indicator_value),
                Cell::Bool(c.public),
                Cell::from(c.agreement_reference.clone()),
                Cell::Int(c.version),
            ]
        })
        .collect();
    Ok(tabular::write_csv(&COLUMNS, rows))
}

/// One bad cell (or row) of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    /// The row as the spreadsheet numbers it (the header is row 1); 0 for the file.
    pub line: usize,
    pub column: String,
    pub value: String,
    /// A stable code (`pact-err-{code}` in the catalogues).
    pub code: String,
    pub message: String,
}

/// What an import found, and whether it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    /// Written (not a dry run, and no error).
    pub applied: bool,
}

/// The file's column of a store's field.
fn column_of(field: &str) -> &str {
    match field {
        "parent_id" => "parent_reference",
        "owner_org_id" => "owner_tax_id",
        "agreement_id" => "agreement_reference",
        f => f,
    }
}

struct Cells<'a> {
    table: &'a Table,
    row: &'a tabular::Row,
}

impl Cells<'_> {
    fn get(&self, name: &str) -> String {
        self.table
            .column(name)
            .map(|i| tabular::unneutralise(self.row.get(i)).trim().to_owned())
            .unwrap_or_default()
    }
}

fn int(errs: &mut Vec<Invalid>, field: &str, raw: &str, default: i64) -> i64 {
    if raw.is_empty() {
        return default;
    }
    match raw.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            errs.push(Invalid::with(field, "com_not_number", shown(raw)));
            default
        }
    }
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn flag(errs: &mut Vec<Invalid>, raw: &str) -> bool {
    match raw.to_lowercase().as_str() {
        "" | "true" | "1" | "sí" | "si" | "yes" | "verdadero" => true,
        "false" | "0" | "no" | "falso" => false,
        _ => {
            errs.push(Invalid::with("public", "com_not_flag", shown(raw)));
            true
        }
    }
}

/// Checks a file and, unless `dry_run` or any row is wrong, writes it all in
/// one transaction (secretariat only).
#[allow(clippy::too_many_lines)]
pub async fn import(
    db: &Db,
    tr: &Tr,
    actor: &User,
    seat: &Seat,
    bytes: &[u8],
    dry_run: bool,
    today: Date,
) -> Result<ImportReport, WriteError> {
    if !seat.secretariat {
        return Err(if seat.in_workspace() {
            WriteError::Forbidden
        } else {
            WriteError::NotFound
        });
    }
    let mut report = ImportReport::default();
    let fail = |line: usize, column: &str, value: &str, inv: &Invalid| RowError {
        line,
        column: column.to_owned(),
        value: shown(value),
        code: inv.code.to_owned(),
        message: inv.message(tr),
    };
    let table = match tabular::read_table(bytes) {
        Ok(t) => t,
        Err(e) => {
            let inv = Invalid::with("file", "com_bad_file", e.to_string());
            report.errors.push(fail(0, "file", "", &inv));
            return Ok(report);
        }
    };
    if table.column("title").is_none() {
        let inv = Invalid::with("file", "com_missing_column", "title");
        report.errors.push(fail(1, "title", "", &inv));
        return Ok(report);
    }
    let shown_progress: HashMap<String, i64> = store::tree(db, today, false)
        .await?
        .into_iter()
        .map(|l| (l.commitment.id, i64::from(l.progress)))
        .collect();
    let mut tx = db.writer().begin().await?;
    let mut numbers: HashMap<String, String> = HashMap::new();
    for row in &table.rows {
        report.rows += 1;
        let cells = Cells { table: &table, row };
        let mut errs: Vec<Invalid> = Vec::new();
        let reference = cells.get("reference");
        let before = if reference.is_empty() {
            None
        } else {
            match store::by_reference(&mut tx, &reference).await? {
                Some(c) => Some(c),
                None => {
                    errs.push(Invalid::with(
                        "reference",
                        "com_unknown_reference",
                        shown(&reference),
                    ));
                    None
                }
            }
        };
        let version_raw = cells.get("version");
        if let Some(b) = &before {
            let v = int(&mut errs, "version", &version_raw, -1);
            if v != b.version {
                errs.push(Invalid::with(
                    "version",
                    "com_stale_row",
                    b.version.to_string(),
                ));
            }
        }
        let parent_raw = cells.get("parent_reference");
        let parent_id = if parent_raw.is_empty() {
            None
        } else if let Some(id) = numbers.get(&parent_raw) {
            Some(id.clone())
        } else if let Some(p) = store::by_reference(&mut tx, &parent_raw).await? {
            Some(p.id)
        } else {
            errs.push(Invalid::with(
                "parent_id",
                "com_unknown_parent",
                shown(&parent_raw),
            ));
            None
        };
        let tax = cells.get("owner_tax_id");
        let owner_org_id = if tax.is_empty() {
            None
        } else {
            let id: Option<String> =
                sqlx::query_scalar("SELECT id FROM organizations WHERE tax_id = $1")
                    .bind(&tax)
                    .fetch_optional(&mut *tx)
                    .await?;
            if id.is_none() {
                errs.push(Invalid::with(
                    "owner_org_id",
                    "unknown_organization",
                    shown(&tax),
                ));
            }
            id
        };
        let status_raw = cells.get("status");
        let mut input = CommitmentInput {
            parent_id,
            position: None,
            title: cells.get("title"),
            description: cells.get("description"),
            owner_org_id,
            status: if status_raw.is_empty() {
                "planned".into()
            } else {
                status_raw
            },
            progress: int(&mut errs, "progress", &cells.get("progress"), 0),
            weight: int(&mut errs, "weight", &cells.get("weight"), 1),
            starts_on: opt(cells.get("starts_on")),
            due_on: opt(cells.get("due_on")),
            indicator: opt(cells.get("indicator")),
            indicator_baseline: int(
                &mut errs,
                "indicator_baseline",
                &cells.get("indicator_baseline"),
                0,
            ),
            indicator_target: {
                let raw = cells.get("indicator_target");
                (!raw.is_empty()).then(|| int(&mut errs, "indicator_target", &raw, 0))
            },
            indicator_from: opt(cells.get("indicator_from")),
            public: flag(&mut errs, &cells.get("public")),
        };
        if let Some(b) = &before {
            if input.parent_id == b.parent_id {
                input.position = Some(b.position);
            }
            // The progress shown, unchanged: keep the one stored.
            if shown_progress.get(&b.id) == Some(&input.progress) {
                input.progress = b.progress;
            }
        }
        let number = cells.get("number");
        if !errs.is_empty() {
            for i in &errs {
                let col = column_of(&i.field);
                report.errors.push(fail(row.line, col, &cells.get(col), i));
            }
            continue;
        }
        let done = match &before {
            Some(b) => store::update(&mut tx, actor, seat, &b.id, b.version, &input)
                .await
                .map(|v| {
                    if v == b.version {
                        report.unchanged += 1;
                    } else {
                        report.updated += 1;
                    }
                    b.id.clone()
                }),
            None => store::create(&mut tx, actor, seat, &input, None, today)
                .await
                .inspect(|_| report.created += 1),
        };
        match done {
            Ok(id) => {
                if !number.is_empty() {
                    numbers.insert(number, id);
                }
            }
            Err(WriteError::Invalid(errs)) => {
                for i in &errs {
                    let col = column_of(&i.field);
                    report.errors.push(fail(row.line, col, &cells.get(col), i));
                }
            }
            Err(WriteError::Conflict(c)) => {
                let inv = Invalid::with(
                    "version",
                    "com_stale_row",
                    c.current.unwrap_or_default().to_string(),
                );
                report
                    .errors
                    .push(fail(row.line, "version", &version_raw, &inv));
            }
            Err(e) => return Err(e),
        }
    }
    if report.rows == 0 {
        let inv = Invalid::new("file", "com_empty_file");
        report.errors.push(fail(0, "file", "", &inv));
    }
    if report.errors.is_empty() && !dry_run {
        tx.commit().await?;
        report.applied = true;
    } else {
        tx.rollback().await?;
    }
    Ok(report)
}

/// The file name of an export made on `today`.
pub fn export_name(today: Date) -> String {
    format!("compromisos-{}.csv", format_date(today))
}
