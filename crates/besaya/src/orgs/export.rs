//! Exporting the organisations of a search to CSV or XLSX, with the columns of
//! the import template (an export can be edited and imported back).

use besaya_domain::directory::{Certification, parse_date};

use super::import::{COLUMNS, READ_ONLY_COLUMNS};
use super::index::{Filter, Sort};
use super::model::Organization;
use super::store;
use crate::db::Db;
use crate::reference::Catalog;
use crate::tabular::{self, Cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

fn text(s: &Option<String>) -> Cell {
    s.as_ref().map_or(Cell::Empty, |s| Cell::Text(s.clone()))
}

fn row(o: &Organization) -> Vec<Cell> {
    let certs: Vec<Certification> = o
        .certifications
        .iter()
        .map(|c| Certification {
            name: c.name.clone(),
            number: c.number.clone(),
            issuer: c.issuer.clone(),
            expires_on: c.expires_on.as_deref().and_then(parse_date),
        })
        .collect();
    vec![
        Cell::Text(o.tax_id.clone()),
        Cell::Text(o.name.clone()),
        text(&o.trade_name),
        Cell::Text(o.kind.clone()),
        Cell::Text(o.cnae_version.clone()),
        Cell::Text(o.cnae_codes.join(", ")),
        text(&o.municipality_code),
        text(&o.address),
        o.lat.map_or(Cell::Empty, Cell::Float),
        o.lon.map_or(Cell::Empty, Cell::Float),
        o.employees.map_or(Cell::Empty, Cell::Int),
        text(&o.size_band),
        Cell::Text(o.description.clone()),
        Cell::Text(o.capabilities.clone()),
        Cell::Text(Certification::format_list(&certs)),
        text(&o.website),
        text(&o.email),
        text(&o.phone),
        Cell::Bool(o.pact_member),
        text(&o.dir3_code),
        o.updated_at
            .get(..10)
            .and_then(parse_date)
            .map_or(Cell::Empty, Cell::Date),
    ]
}

/// Every organisation matching `filter`, in `sort` order, as a file.
pub async fn export(
    db: &Db,
    index: &super::DirectoryIndex,
    catalog: &Catalog,
    filter: &Filter,
    sort: Sort,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    index.sync(db, catalog).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let hits = index.search(filter, sort, 0, usize::MAX, catalog, today);
    let ids: Vec<String> = hits.entries.into_iter().map(|e| e.id).collect();
    let mut rows = Vec::with_capacity(ids.len());
    let mut conn = db.reader().acquire().await?;
    for chunk in ids.chunks(2000) {
        for o in store::get_many(&mut conn, chunk).await? {
            rows.push(row(&o));
        }
    }
    let headers: Vec<&str> = COLUMNS
        .iter()
        .chain(READ_ONLY_COLUMNS.iter())
        .copied()
        .collect();
    Ok(match format {
        Format::Csv => tabular::write_csv(&headers, rows),
        Format::Xlsx => tabular::write_xlsx("organizations", &headers, rows)?,
    })
}
