//! The directory's search index, in memory: Spanish full-text ranking
//! (`besaya_domain::search`) plus the fields the list filters and sorts on, so a
//! search over 100,000 organisations needs no query but the change-feed check.
//!
//! It is built from the database at start-up and kept current from the
//! `organization_changes` feed: every write (this process's, another
//! instance's, or the CLI's) appends the ids it touched; before answering, the
//! index applies what it has not seen. Far behind (a large import), it rebuilds.

use std::cmp::Ordering;
use std::sync::RwLock;

use besaya_domain::directory::{SizeBand, parse_date};
use besaya_domain::search::TextIndex;
use besaya_domain::text::fold;
use rustc_hash::FxHashMap;
use time::Date;
use tokio::sync::Mutex;

use crate::db::{Db, Flag};
use crate::reference::Catalog;

/// Field boosts: name, trade name, capabilities, description, CNAE titles.
const WEIGHTS: [f32; 5] = [3.0, 3.0, 1.5, 1.0, 1.0];
/// Beyond this many unseen changes, rebuilding is cheaper than applying them.
const REBUILD_AFTER: i64 = 20_000;

/// What the list shows and filters on, per organisation.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub trade_name: Option<String>,
    pub kind: String,
    pub tax_id: String,
    pub municipality_code: Option<String>,
    pub cnae_version: String,
    pub cnae_codes: Vec<String>,
    sections: Vec<char>,
    pub pact_member: bool,
    pub size_band: Option<SizeBand>,
    pub employees: Option<i64>,
    certifications: Vec<(String, Option<Date>)>,
    pub updated_at: String,
    sort_name: String,
}

/// The filters of the list (all optional, all combined with AND).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub kind: Option<String>,
    /// A section letter, or a division, group or class code prefix.
    pub cnae: Option<String>,
    pub municipality: Option<String>,
    pub district_only: bool,
    pub pact_member: Option<bool>,
    /// Words of a certification's name held and not expired (`iso 9001`).
    pub certification: Option<String>,
    pub size_band: Option<SizeBand>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By relevance when searching, else by name.
    #[default]
    Relevance,
    Name,
    EmployeesDesc,
    UpdatedDesc,
}

impl Sort {
    pub const ALL: [Sort; 4] = [
        Self::Relevance,
        Self::Name,
        Self::EmployeesDesc,
        Self::UpdatedDesc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Name => "name",
            Self::EmployeesDesc => "employees",
            Self::UpdatedDesc => "updated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// An order on (slot, score) hits.
type Cmp<'a> = Box<dyn Fn(&(u32, f32), &(u32, f32)) -> Ordering + 'a>;

/// One page of results and how many there are in all.
#[derive(Debug)]
pub struct Hits {
    pub total: usize,
    pub entries: Vec<Entry>,
}

#[derive(Default)]
struct Inner {
    text: TextIndex,
    slots: Vec<Option<Entry>>,
    by_id: FxHashMap<String, u32>,
    free: Vec<u32>,
    seen: i64,
}

pub struct DirectoryIndex {
    inner: RwLock<Inner>,
    sync: Mutex<()>,
}

impl std::fmt::Debug for DirectoryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DirectoryIndex")
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    trade_name: Option<String>,
    kind: String,
    tax_id: String,
    municipality_code: Option<String>,
    cnae_version: String,
    #[sqlx(try_from = "i64")]
    pact_member: Flag,
    size_band: Option<String>,
    employees: Option<i64>,
    description: String,
    capabilities: String,
    updated_at: String,
}

const ROW_COLUMNS: &str = "id, name, trade_name, kind, tax_id, municipality_code, cnae_version, \
    pact_member, size_band, employees, description, capabilities, updated_at";

impl DirectoryIndex {
    /// Builds the index from the database.
    pub async fn build(db: &Db, catalog: &Catalog) -> anyhow::Result<Self> {
        let index = Self {
            inner: RwLock::new(Inner::default()),
            sync: Mutex::new(()),
        };
        index.rebuild(db, catalog).await?;
        Ok(index)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn len(&self) -> usize {
        self.read().by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    async fn rebuild(&self, db: &Db, catalog: &Catalog) -> anyhow::Result<()> {
        let seen: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM organization_changes")
            .fetch_one(db.reader())
            .await?;
        let docs = load(db, None).await?;
        let mut fresh = Inner {
            text: TextIndex::new(WEIGHTS.to_vec()),
            seen: seen.unwrap_or(0),
            ..Inner::default()
        };
        // Bulk: the text index analyses each distinct word once.
        let mut texts = Vec::with_capacity(docs.len());
        for (row, codes, certs) in docs {
            let (entry, fields) = make_entry(row, codes, certs, catalog);
            let slot = fresh.slots.len() as u32;
            fresh.by_id.insert(entry.id.clone(), slot);
            fresh.slots.push(Some(entry));
            texts.push((slot, fields));
        }
        fresh.text.upsert_many(texts);
        *self.write() = fresh;
        Ok(())
    }

    /// Applies the changes other writers made since the last call. Cheap when
    /// there are none (one indexed query).
    pub async fn sync(&self, db: &Db, catalog: &Catalog) -> anyhow::Result<()> {
        let _one_at_a_time = self.sync.lock().await;
        let seen = self.read().seen;
        let latest: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM organization_changes")
            .fetch_one(db.reader())
            .await?;
        let latest = latest.unwrap_or(0);
        if latest <= seen {
            return Ok(());
        }
        if latest - seen > REBUILD_AFTER {
            return self.rebuild(db, catalog).await;
        }
        let mut ids: Vec<String> = sqlx::query_scalar(
            "SELECT organization_id FROM organization_changes WHERE seq > $1 AND seq <= $2",
        )
        .bind(seen)
        .bind(latest)
        .fetch_all(db.reader())
        .await?;
        ids.sort();
        ids.dedup();
        let mut docs = Vec::new();
        for chunk in ids.chunks(500) {
            docs.extend(load(db, Some(chunk)).await?);
        }
        let mut inner = self.write();
        for id in &ids {
            inner.remove(id);
        }
        for (row, codes, certs) in docs {
            inner.put(row, codes, certs, catalog);
        }
        inner.seen = latest;
        Ok(())
    }

    /// The page `offset..offset + limit` of the organisations matching `filter`, sorted.
    pub fn search(
        &self,
        filter: &Filter,
        sort: Sort,
        offset: usize,
        limit: usize,
        catalog: &Catalog,
        today: Date,
    ) -> Hits {
        let inner = self.read();
        let keep = |e: &Entry| filter.matches(e, catalog, today);
        let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let mut hits: Vec<(u32, f32)> = match q {
            Some(q) => inner
                .text
                .search(q)
                .into_iter()
                .filter(|(slot, _)| inner.entry(*slot).is_some_and(keep))
                .collect(),
            None => inner
                .slots
                .iter()
                .enumerate()
                .filter(|(_, e)| e.as_ref().is_some_and(keep))
                .map(|(i, _)| (i as u32, 0.0))
                .collect(),
        };
        let total = hits.len();
        let end = offset.saturating_add(limit).min(total);
        let by_name = |a: &Entry, b: &Entry| a.sort_name.cmp(&b.sort_name).then(a.id.cmp(&b.id));
        let cmp: Option<Cmp<'_>> = match (sort, q.is_some()) {
            (Sort::Relevance, true) => None,
            (Sort::Relevance | Sort::Name, _) => {
                Some(Box::new(|a, b| inner.cmp_entries(a.0, b.0, by_name)))
            }
            (Sort::EmployeesDesc, _) => Some(Box::new(|a, b| {
                inner.cmp_entries(a.0, b.0, |x, y| {
                    y.employees.cmp(&x.employees).then_with(|| by_name(x, y))
                })
            })),
            (Sort::UpdatedDesc, _) => Some(Box::new(|a, b| {
                inner.cmp_entries(a.0, b.0, |x, y| {
                    y.updated_at.cmp(&x.updated_at).then_with(|| by_name(x, y))
                })
            })),
        };
        if let Some(cmp) = cmp
            && end > offset
        {
            // Only the first `end` need ordering: select them, then sort those.
            if end < hits.len() {
                hits.select_nth_unstable_by(end, |a, b| cmp(a, b));
                hits.truncate(end);
            }
            hits.sort_unstable_by(|a, b| cmp(a, b));
        }
        let entries = hits
            .get(offset.min(end)..end)
            .unwrap_or_default()
            .iter()
            .filter_map(|(slot, _)| inner.entry(*slot).cloned())
            .collect();
        Hits { total, entries }
    }

    /// The entry of one organisation, if indexed.
    pub fn entry(&self, id: &str) -> Option<Entry> {
        let inner = self.read();
        inner.by_id.get(id).and_then(|s| inner.entry(*s)).cloned()
    }

    /// Entries whose name folds to the same text as `name` (possible duplicates
    /// under another tax id), other than `except`.
    pub fn same_name(&self, name: &str, except: Option<&str>) -> Vec<Entry> {
        let key = sort_key(name);
        let inner = self.read();
        inner
            .slots
            .iter()
            .flatten()
            .filter(|e| e.sort_name == key && Some(e.id.as_str()) != except)
            .take(5)
            .cloned()
            .collect()
    }
}

impl Inner {
    fn entry(&self, slot: u32) -> Option<&Entry> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    fn cmp_entries(&self, a: u32, b: u32, f: impl Fn(&Entry, &Entry) -> Ordering) -> Ordering {
        match (self.entry(a), self.entry(b)) {
            (Some(x), Some(y)) => f(x, y),
            _ => a.cmp(&b),
        }
    }

    fn remove(&mut self, id: &str) {
        if let Some(slot) = self.by_id.remove(id) {
            self.text.remove(slot);
            if let Some(s) = self.slots.get_mut(slot as usize) {
                *s = None;
            }
            self.free.push(slot);
        }
    }

    fn put(
        &mut self,
        row: Row,
        codes: Vec<String>,
        certs: Vec<(String, Option<Date>)>,
        catalog: &Catalog,
    ) {
        self.remove(&row.id);
        let (entry, fields) = make_entry(row, codes, certs, catalog);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        self.text.upsert(slot, &refs);
        self.by_id.insert(entry.id.clone(), slot);
        if let Some(s) = self.slots.get_mut(slot as usize) {
            *s = Some(entry);
        }
    }
}

/// The list entry of a row and the texts of its searchable fields (name, trade
/// name, capabilities, description, CNAE titles in both languages).
fn make_entry(
    row: Row,
    codes: Vec<String>,
    certs: Vec<(String, Option<Date>)>,
    catalog: &Catalog,
) -> (Entry, [String; 5]) {
    let version = crate::reference::catalog::cnae_version(&row.cnae_version).unwrap_or("2025");
    let mut titles = String::new();
    let mut sections = Vec::new();
    for c in &codes {
        if let Some(info) = catalog.cnae(version, c) {
            titles.push_str(&info.title_es);
            titles.push(' ');
            titles.push_str(&info.title_en);
            titles.push(' ');
            sections.push(info.section);
        }
    }
    let fields = [
        row.name.clone(),
        row.trade_name.clone().unwrap_or_default(),
        row.capabilities,
        row.description,
        titles,
    ];
    let entry = Entry {
        sort_name: sort_key(&row.name),
        id: row.id,
        name: row.name,
        trade_name: row.trade_name,
        kind: row.kind,
        tax_id: row.tax_id,
        municipality_code: row.municipality_code,
        cnae_version: row.cnae_version,
        cnae_codes: codes,
        sections,
        pact_member: row.pact_member.0,
        size_band: row.size_band.as_deref().and_then(SizeBand::parse),
        employees: row.employees,
        certifications: certs,
        updated_at: row.updated_at,
    };
    (entry, fields)
}

/// Names sort as a Spanish reader expects: accents and case do not count,
/// punctuation in front ("«Aceros»") does not either.
fn sort_key(name: &str) -> String {
    fold(name)
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_owned()
}

impl Filter {
    fn matches(&self, e: &Entry, catalog: &Catalog, today: Date) -> bool {
        if self.kind.as_ref().is_some_and(|k| *k != e.kind) {
            return false;
        }
        if let Some(m) = &self.municipality
            && e.municipality_code.as_ref() != Some(m)
        {
            return false;
        }
        if self.district_only
            && !e
                .municipality_code
                .as_deref()
                .and_then(|m| catalog.municipality(m))
                .is_some_and(|m| m.in_district)
        {
            return false;
        }
        if self.pact_member.is_some_and(|p| p != e.pact_member) {
            return false;
        }
        if self.size_band.is_some_and(|b| Some(b) != e.size_band) {
            return false;
        }
        if let Some(c) = &self.cnae {
            let hit = if c.len() == 1 && c.chars().all(|x| x.is_ascii_uppercase()) {
                c.chars().next().is_some_and(|s| e.sections.contains(&s))
            } else {
                e.cnae_codes.iter().any(|code| code.starts_with(c.as_str()))
            };
            if !hit {
                return false;
            }
        }
        if let Some(c) = &self.certification {
            let want = fold(c);
            if !e
                .certifications
                .iter()
                .any(|(name, exp)| name.contains(&want) && exp.is_none_or(|d| d >= today))
            {
                return false;
            }
        }
        true
    }
}

type Doc = (Row, Vec<String>, Vec<(String, Option<Date>)>);

/// Rows with their activity codes and certifications; all of them, or those of `ids`.
async fn load(db: &Db, ids: Option<&[String]>) -> anyhow::Result<Vec<Doc>> {
    let filter = |sql: &mut crate::db::Sql, column: &str| {
        if let Some(ids) = ids {
            sql.push(" WHERE ").push(column).push(" IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(id.clone());
            }
            sql.push(")");
        }
    };
    let mut sql = crate::db::Sql::new(&format!("SELECT {ROW_COLUMNS} FROM organizations"));
    filter(&mut sql, "id");
    let (text, args) = sql.build()?;
    let rows: Vec<Row> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;

    let mut sql = crate::db::Sql::new("SELECT organization_id, code FROM organization_activities");
    filter(&mut sql, "organization_id");
    sql.push(" ORDER BY organization_id, position");
    let (text, args) = sql.build()?;
    let acts: Vec<(String, String)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    let mut codes: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for (id, code) in acts {
        codes.entry(id).or_default().push(code);
    }
    let mut sql = crate::db::Sql::new(
        "SELECT organization_id, name, expires_on FROM organization_certifications",
    );
    filter(&mut sql, "organization_id");
    let (text, args) = sql.build()?;
    let cs: Vec<(String, String, Option<String>)> = sqlx::query_as_with(&text, args)
        .fetch_all(db.reader())
        .await?;
    let mut certs: FxHashMap<String, Vec<(String, Option<Date>)>> = FxHashMap::default();
    for (id, name, exp) in cs {
        certs
            .entry(id)
            .or_default()
            .push((fold(&name), exp.as_deref().and_then(parse_date)));
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = codes.remove(&r.id).unwrap_or_default();
            let k = certs.remove(&r.id).unwrap_or_default();
            (r, c, k)
        })
        .collect())
}
