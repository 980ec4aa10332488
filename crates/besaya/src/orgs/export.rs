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
    let certs: Vec<Certification> = o.certifications();
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
    let orgs = load_in_order(db, &ids).await?;
    write(orgs, format)
}

/// Every organisation by name, without an index (the command line's export).
pub async fn export_all(db: &Db, format: Format) -> anyhow::Result<(usize, Vec<u8>)> {
    let mut conn = db.reader().acquire().await?;
    let mut orgs = store::all(&mut conn).await?;
    orgs.sort_by_cached_key(|o| besaya_domain::text::fold(&o.name));
    Ok((orgs.len(), write(orgs, format)?))
}

/// The records of `ids`, in that order: by id for a few, in one pass over the
/// tables for many (three queries instead of one round per chunk).
async fn load_in_order(db: &Db, ids: &[String]) -> anyhow::Result<Vec<Organization>> {
    let mut conn = db.reader().acquire().await?;
    if ids.len() <= 2000 {
        return Ok(store::get_many(&mut conn, ids).await?);
    }
    let mut by_id: std::collections::HashMap<String, Organization> = store::all(&mut conn)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The file; each record becomes a row as the writer takes it.
fn write(orgs: Vec<Organization>, format: Format) -> anyhow::Result<Vec<u8>> {
    let rows = orgs.into_iter().map(|o| row(&o));
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
