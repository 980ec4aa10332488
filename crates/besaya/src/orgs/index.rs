//! The directory's search index, in memory: Spanish full-text ranking
//! (`besaya_domain::search`) plus the fields the list filters and sorts on, so a
//! search over 100,000 organisations needs no query but the change-feed check.
//!
//! It is built from the database at start-up and kept current from the
//! `organization_changes` feed: every write (this process's, another
//! instance's, or the CLI's) appends the ids it touched; before answering, the
//! index applies what it has not seen. Far behind (a large import), it rebuilds.

use std::cmp::Ordering;
use std::sync::{Arc, RwLock};

use besaya_domain::directory::{SizeBand, parse_date};
use besaya_domain::matching::{MatchIndex, NeedQuery, Ranking};
use besaya_domain::search::{TextIndex, top_hits};
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
    pub pact_member: bool,
    pub size_band: Option<SizeBand>,
    pub employees: Option<i64>,
    certifications: Vec<(String, Option<Date>)>,
    pub updated_at: String,
    sort_name: String,
}

/// What the common filters and sorts read, per slot, packed so a scan of every
/// organisation stays in cache (the entries themselves are scattered on the heap).
#[derive(Debug, Clone, Copy, Default)]
struct Attrs {
    live: bool,
    kind: u8,
    /// 0 unknown, then micro, small, medium, large.
    size: u8,
    pact: bool,
    district: bool,
    /// The INE code as a number, 0 unknown.
    municipality: u32,
    /// A bit per CNAE section letter (A = bit 0).
    sections: u32,
    /// -1 unknown.
    employees: i64,
    /// The digits of the last change's fixed-width timestamp (to the microsecond).
    updated: u128,
}

fn kind_ix(kind: &str) -> u8 {
    super::KINDS
        .iter()
        .position(|k| *k == kind)
        .map_or(u8::MAX, |i| i as u8)
}

fn size_ix(b: Option<SizeBand>) -> u8 {
    b.map_or(0, |b| b as u8 + 1)
}

fn section_bit(c: char) -> u32 {
    if c.is_ascii_uppercase() {
        1 << (c as u32 - 'A' as u32)
    } else {
        0
    }
}

/// The filter of one request, in the packed form, plus what needs the entry.
struct Compiled<'f> {
    kind: Option<u8>,
    municipality: Option<u32>,
    district: bool,
    pact: Option<bool>,
    size: Option<u8>,
    section: Option<u32>,
    code_prefix: Option<&'f str>,
    certification: Option<String>,
    today: Date,
}

impl<'f> Compiled<'f> {
    fn new(f: &'f Filter, today: Date) -> Self {
        let (section, code_prefix) = match f.cnae.as_deref() {
            Some(c) if c.len() == 1 => (c.chars().next().map(section_bit), None),
            Some(c) => (None, Some(c)),
            None => (None, None),
        };
        Self {
            kind: f.kind.as_deref().map(kind_ix),
            // An unknown municipality matches nothing (u32::MAX is no INE code).
            municipality: f
                .municipality
                .as_deref()
                .map(|m| m.parse().unwrap_or(u32::MAX)),
            district: f.district_only,
            pact: f.pact_member,
            size: f.size_band.map(|b| size_ix(Some(b))),
            section,
            code_prefix,
            certification: f.certification.as_deref().map(fold),
            today,
        }
    }

    fn is_everything(&self) -> bool {
        self.kind.is_none()
            && self.municipality.is_none()
            && !self.district
            && self.pact.is_none()
            && self.size.is_none()
            && self.section.is_none()
            && self.code_prefix.is_none()
            && self.certification.is_none()
    }

    fn quick(&self, a: &Attrs) -> bool {
        a.live
            && self.kind.is_none_or(|k| k == a.kind)
            && self.municipality.is_none_or(|m| m == a.municipality)
            && (!self.district || a.district)
            && self.pact.is_none_or(|p| p == a.pact)
            && self.size.is_none_or(|s| s == a.size)
            && self.section.is_none_or(|s| s & a.sections != 0)
    }

    fn needs_entry(&self) -> bool {
        self.code_prefix.is_some() || self.certification.is_some()
    }

    fn slow(&self, e: &Entry) -> bool {
        if let Some(c) = self.code_prefix
            && !e.cnae_codes.iter().any(|code| code.starts_with(c))
        {
            return false;
        }
        if let Some(want) = &self.certification
            && !e.certifications.iter().any(|(name, exp)| {
                name.contains(want.as_str()) && exp.is_none_or(|d| d >= self.today)
            })
        {
            return false;
        }
        true
    }
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

/// `items[offset..offset + limit]`, or what there is of it.
fn window(items: &[u32], offset: usize, limit: usize) -> Vec<u32> {
    let end = offset.saturating_add(limit).min(items.len());
    items.get(offset.min(end)..end).unwrap_or_default().to_vec()
}

/// The entries in one order, and each slot's place in it.
#[derive(Debug)]
struct Order {
    slots: Vec<u32>,
    rank: Vec<u32>,
}

fn by_name_cmp(a: &Entry, b: &Entry) -> Ordering {
    a.sort_name.cmp(&b.sort_name).then(a.id.cmp(&b.id))
}

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
    attrs: Vec<Attrs>,
    by_id: FxHashMap<String, u32>,
    free: Vec<u32>,
    seen: i64,
    /// The Pact's ranking of the same organisations (document id = slot).
    matcher: MatchIndex,
}

pub struct DirectoryIndex {
    inner: RwLock<Inner>,
    sync: Mutex<()>,
    /// The orders of the list (by name, headcount, last change), cleared by
    /// every change; see [`DirectoryIndex::order`].
    orders: std::sync::Mutex<[Option<Arc<Order>>; 3]>,
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
    lat: Option<f64>,
    lon: Option<f64>,
}

const ROW_COLUMNS: &str = "id, name, trade_name, kind, tax_id, municipality_code, cnae_version, \
    pact_member, size_band, employees, description, capabilities, updated_at, lat, lon";

impl DirectoryIndex {
    /// Builds the index from the database.
    pub async fn build(db: &Db, catalog: &Catalog) -> anyhow::Result<Self> {
        let index = Self {
            inner: RwLock::new(Inner::default()),
            sync: Mutex::new(()),
            orders: std::sync::Mutex::new([None, None, None]),
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
        let mut profiles = Vec::with_capacity(docs.len());
        for (row, codes, certs) in docs {
            let profile =
                crate::pact::matching::profile_of(&row_facts(&row), &codes, &certs, catalog);
            let (entry, attrs, fields) = make_entry(row, codes, certs, catalog);
            let slot = fresh.slots.len() as u32;
            fresh.by_id.insert(entry.id.clone(), slot);
            fresh.slots.push(Some(entry));
            fresh.attrs.push(attrs);
            texts.push((slot, fields));
            profiles.push((slot, profile));
        }
        fresh.text.upsert_many(texts);
        fresh.matcher = MatchIndex::build(profiles.iter().map(|(s, p)| (*s, p)));
        let mut inner = self.write();
        *inner = fresh;
        self.forget_orders();
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
        self.forget_orders();
        Ok(())
    }

    /// Called with the write lock held, after any change to the entries.
    fn forget_orders(&self) {
        *self
            .orders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = [None, None, None];
    }

    /// The page `offset..offset + limit` of the organisations matching `filter`, sorted.
    pub fn search(
        &self,
        filter: &Filter,
        sort: Sort,
        offset: usize,
        limit: usize,
        _catalog: &Catalog,
        today: Date,
    ) -> Hits {
        let inner = self.read();
        let cf = Compiled::new(filter, today);
        let passes = |slot: u32| {
            inner.attrs.get(slot as usize).is_some_and(|a| cf.quick(a))
                && (!cf.needs_entry() || inner.entry(slot).is_some_and(|e| cf.slow(e)))
        };
        let end = offset.saturating_add(limit);
        let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let (total, page): (usize, Vec<u32>) = match (q, sort) {
            // Relevance: score every match, rank only the page's worth.
            (Some(q), Sort::Relevance) => {
                let mut hits: Vec<(u32, f32)> = inner
                    .text
                    .search_unranked(q)
                    .into_iter()
                    .filter(|(slot, _)| passes(*slot))
                    .collect();
                top_hits(&mut hits, end);
                let slots: Vec<u32> = hits.iter().take(end).map(|(s, _)| *s).collect();
                (hits.len(), window(&slots, offset, limit))
            }
            // A search in another order: its matches by their rank in that order.
            (Some(q), _) => {
                let order = self.order(&inner, sort);
                let rank = |slot: &u32| order.rank.get(*slot as usize).copied().unwrap_or(u32::MAX);
                let mut hits: Vec<u32> = inner
                    .text
                    .search_unranked(q)
                    .into_iter()
                    .map(|(slot, _)| slot)
                    .filter(|slot| passes(*slot))
                    .collect();
                let n = end.min(hits.len());
                if n > 0 && n < hits.len() {
                    hits.select_nth_unstable_by_key(n - 1, rank);
                }
                hits[..n].sort_unstable_by_key(rank);
                (hits.len(), window(&hits[..n], offset, limit))
            }
            // No search, nothing filtered: the order itself.
            (None, _) if cf.is_everything() => {
                let order = self.order(&inner, sort);
                (order.slots.len(), window(&order.slots, offset, limit))
            }
            // Filtered: mark the matches in one pass over the packed attributes,
            // then walk the order.
            (None, _) => {
                let order = self.order(&inner, sort);
                let mut marked = vec![0u64; inner.attrs.len().div_ceil(64)];
                for slot in 0..inner.attrs.len() as u32 {
                    if passes(slot) {
                        marked[slot as usize / 64] |= 1 << (slot % 64);
                    }
                }
                let mut total = 0;
                let mut page = Vec::with_capacity(limit.min(500));
                for slot in &order.slots {
                    if marked[*slot as usize / 64] & (1 << (slot % 64)) != 0 {
                        if total >= offset && page.len() < limit {
                            page.push(*slot);
                        }
                        total += 1;
                    }
                }
                (total, page)
            }
        };
        let entries = page
            .iter()
            .filter_map(|slot| inner.entry(*slot).cloned())
            .collect();
        Hits { total, entries }
    }

    /// The slots in a sort's order (relevance without a search is by name),
    /// computed once after each change, under the caller's read lock so that it
    /// always matches the entries it reads.
    fn order(&self, inner: &Inner, sort: Sort) -> Arc<Order> {
        let ix = match sort {
            Sort::Relevance | Sort::Name => 0,
            Sort::EmployeesDesc => 1,
            Sort::UpdatedDesc => 2,
        };
        let mut cache = self
            .orders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(order) = &cache[ix] {
            return order.clone();
        }
        let mut slots: Vec<u32> = (0..inner.slots.len() as u32)
            .filter(|s| inner.entry(*s).is_some())
            .collect();
        let by_name = |a: &u32, b: &u32| inner.cmp_entries(*a, *b, by_name_cmp);
        let attrs = |s: &u32| inner.attrs.get(*s as usize).copied().unwrap_or_default();
        match ix {
            0 => slots.sort_unstable_by(by_name),
            1 => slots.sort_unstable_by(|a, b| {
                attrs(b)
                    .employees
                    .cmp(&attrs(a).employees)
                    .then_with(|| by_name(a, b))
            }),
            _ => slots.sort_unstable_by(|a, b| {
                attrs(b)
                    .updated
                    .cmp(&attrs(a).updated)
                    .then_with(|| by_name(a, b))
            }),
        }
        let mut rank = vec![u32::MAX; inner.slots.len()];
        for (r, slot) in slots.iter().enumerate() {
            if let Some(x) = rank.get_mut(*slot as usize) {
                *x = r as u32;
            }
        }
        let order = Arc::new(Order { slots, rank });
        cache[ix] = Some(order.clone());
        order
    }

    /// The Pact's ranking of the organisations for a need (document ids are
    /// resolved with [`DirectoryIndex::doc_org`]). The caller syncs first.
    pub fn rank_need(&self, need: &NeedQuery, today: Date, limit: usize) -> Ranking {
        self.read().matcher.rank(need, today, limit)
    }

    /// The organisation indexed as document `doc` of the ranking: (id, name, kind).
    pub fn doc_org(&self, doc: u32) -> Option<(String, String, String)> {
        self.read()
            .entry(doc)
            .map(|e| (e.id.clone(), e.name.clone(), e.kind.clone()))
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
            if let Some(a) = self.attrs.get_mut(slot as usize) {
                *a = Attrs::default();
            }
            self.matcher.remove(slot);
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
        let profile = crate::pact::matching::profile_of(&row_facts(&row), &codes, &certs, catalog);
        let (entry, attrs, fields) = make_entry(row, codes, certs, catalog);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                self.attrs.push(Attrs::default());
                (self.slots.len() - 1) as u32
            }
        };
        if let Some(a) = self.attrs.get_mut(slot as usize) {
            *a = attrs;
        }
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        self.text.upsert(slot, &refs);
        self.matcher.upsert(slot, &profile);
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
) -> (Entry, Attrs, [String; 5]) {
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
    let municipality = row.municipality_code.as_deref();
    let attrs = Attrs {
        live: true,
        kind: kind_ix(&row.kind),
        size: size_ix(row.size_band.as_deref().and_then(SizeBand::parse)),
        pact: row.pact_member.0,
        district: municipality
            .and_then(|m| catalog.municipality(m))
            .is_some_and(|m| m.in_district),
        municipality: municipality.and_then(|m| m.parse().ok()).unwrap_or(0),
        sections: sections.iter().fold(0, |acc, c| acc | section_bit(*c)),
        employees: row.employees.unwrap_or(-1),
        updated: row
            .updated_at
            .chars()
            .filter(char::is_ascii_digit)
            .take(20)
            .collect::<String>()
            .parse()
            .unwrap_or(0),
    };
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
        pact_member: row.pact_member.0,
        size_band: row.size_band.as_deref().and_then(SizeBand::parse),
        employees: row.employees,
        certifications: certs.into_iter().map(|(n, e)| (fold(&n), e)).collect(),
        updated_at: row.updated_at,
    };
    (entry, attrs, fields)
}

/// What the Pact's ranking reads of a row besides its codes and certifications.
fn row_facts(row: &Row) -> crate::pact::matching::OrgFacts<'_> {
    crate::pact::matching::OrgFacts {
        name: &row.name,
        trade_name: row.trade_name.as_deref(),
        capabilities: &row.capabilities,
        description: &row.description,
        cnae_version: &row.cnae_version,
        municipality_code: row.municipality_code.as_deref(),
        lat: row.lat,
        lon: row.lon,
        size_band: row.size_band.as_deref(),
        employees: row.employees,
    }
}

/// Names sort as a Spanish reader expects: accents and case do not count,
/// punctuation in front ("«Aceros»") does not either.
fn sort_key(name: &str) -> String {
    fold(name)
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_owned()
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
            .push((name, exp.as_deref().and_then(parse_date)));
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
