//! Storage of the commitments tree: reading it rolled up, validating and
//! writing commitments (audited, versioned), their milestones and the meetings
//! where they were decided or reviewed.
//!
//! Who writes: the secretariat everything; the representatives of a
//! commitment's owner organisation its status, progress and milestones only
//! (anything else is 403). A commitment is deleted by the secretariat when it
//! has no children (its milestones and meeting links go with it).

use std::collections::HashMap;

use besaya_domain::alliance::{
    self as dom, CommitmentStatus, Indicator, Node, indicator_progress, would_cycle,
};
use besaya_domain::directory::{format_date, parse_date};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{AnyConnection, FromRow};
use time::Date;
use utoipa::ToSchema;

use super::model::{Commitment, TreeLine};
use crate::auth::User;
use crate::db::versioned::{Versioned, bump_version};
use crate::db::{self, Audit, Changes, Db, VersionConflict};
use crate::pact::Invalid;
use crate::pact::alliance::{RefKind, Seat, next_reference};
use crate::web::invalid::{shown, text};

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const MILESTONE_MAX: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Unknown, or not in this user's workspace (404).
    #[error("the record does not exist")]
    NotFound,
    /// Readable, but this user may not do that (403).
    #[error("this user may not do that")]
    Forbidden,
    #[error(transparent)]
    Conflict(VersionConflict),
    #[error("invalid input")]
    Invalid(Vec<Invalid>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<crate::db::versioned::BumpError> for WriteError {
    /// A record gone meanwhile is 404; a stale version 409.
    fn from(e: crate::db::versioned::BumpError) -> Self {
        use crate::db::versioned::BumpError;
        match e {
            BumpError::Conflict(c) if c.current.is_none() => Self::NotFound,
            BumpError::Conflict(c) => Self::Conflict(c),
            BumpError::Db(e) => Self::from(e),
        }
    }
}

/// What a commitment is made of, as typed in (the API's body, the form, a row
/// of a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CommitmentInput {
    /// The parent commitment (none: a root).
    pub parent_id: Option<String>,
    /// Order among its siblings (default: after the last).
    pub position: Option<i64>,
    /// Required, at most 200 characters.
    pub title: String,
    /// At most 10,000 characters.
    pub description: String,
    /// An organisation of the directory.
    pub owner_org_id: Option<String>,
    /// `planned`, `in_progress`, `finished`, `cancelled`.
    pub status: String,
    /// 0–100.
    pub progress: i64,
    /// 1–1000.
    pub weight: i64,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// `YYYY-MM-DD`, not before `starts_on`.
    pub due_on: Option<String>,
    /// `needs_within_target`, `needs_within_target_share`, `needs_agreed`,
    /// `local_awarded`, `projects_operating`.
    pub indicator: Option<String>,
    pub indicator_baseline: i64,
    /// Required with an indicator.
    pub indicator_target: Option<i64>,
    /// `YYYY-MM-DD`.
    pub indicator_from: Option<String>,
    pub public: bool,
}

impl Default for CommitmentInput {
    fn default() -> Self {
        Self {
            parent_id: None,
            position: None,
            title: String::new(),
            description: String::new(),
            owner_org_id: None,
            status: "planned".into(),
            progress: 0,
            weight: 1,
            starts_on: None,
            due_on: None,
            indicator: None,
            indicator_baseline: 0,
            indicator_target: None,
            indicator_from: None,
            public: true,
        }
    }
}

/// The input of a stored commitment (what a form or a patch starts from).
pub fn input_of(c: &Commitment) -> CommitmentInput {
    CommitmentInput {
        parent_id: c.parent_id.clone(),
        position: Some(c.position),
        title: c.title.clone(),
        description: c.description.clone(),
        owner_org_id: c.owner_org_id.clone(),
        status: c.status.clone(),
        progress: c.progress,
        weight: c.weight,
        starts_on: c.starts_on.clone(),
        due_on: c.due_on.clone(),
        indicator: c.indicator.clone(),
        indicator_baseline: c.indicator_baseline,
        indicator_target: c.indicator_target,
        indicator_from: c.indicator_from.clone(),
        public: c.public,
    }
}

/// A validated input, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Valid {
    parent_id: Option<String>,
    position: Option<i64>,
    title: String,
    description: String,
    owner_org_id: Option<String>,
    status: &'static str,
    progress: i64,
    weight: i64,
    starts_on: Option<String>,
    due_on: Option<String>,
    indicator: Option<&'static str>,
    indicator_baseline: i64,
    indicator_target: Option<i64>,
    indicator_from: Option<String>,
    public: bool,
}

#[derive(Debug, FromRow)]
struct Row {
    id: String,
    reference: String,
    parent_id: Option<String>,
    position: i64,
    title: String,
    description: String,
    owner_org_id: Option<String>,
    owner_name: Option<String>,
    agreement_id: Option<String>,
    agreement_reference: Option<String>,
    status: String,
    progress: i64,
    weight: i64,
    starts_on: Option<String>,
    due_on: Option<String>,
    indicator: Option<String>,
    indicator_baseline: i64,
    indicator_target: Option<i64>,
    indicator_from: Option<String>,
    public: i64,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl From<Row> for Commitment {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            reference: r.reference,
            parent_id: r.parent_id,
            position: r.position,
            title: r.title,
            description: r.description,
            owner_org_id: r.owner_org_id,
            owner_name: r.owner_name,
            agreement_id: r.agreement_id,
            agreement_reference: r.agreement_reference,
            status: r.status,
            progress: r.progress,
            weight: r.weight,
            starts_on: r.starts_on,
            due_on: r.due_on,
            indicator: r.indicator,
            indicator_baseline: r.indicator_baseline,
            indicator_target: r.indicator_target,
            indicator_from: r.indicator_from,
            public: r.public != 0,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.reference, c.parent_id, c.position, c.title, c.description, \
     c.owner_org_id, o.name AS owner_name, c.agreement_id, a.reference AS agreement_reference, \
     c.status, c.progress, c.weight, c.starts_on, c.due_on, c.indicator, c.indicator_baseline, \
     c.indicator_target, c.indicator_from, c.public, c.version, c.created_at, c.updated_at \
     FROM pact_commitments c LEFT JOIN organizations o ON o.id = c.owner_org_id \
     LEFT JOIN pact_agreements a ON a.id = c.agreement_id";

/// Every commitment, by position then creation.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Commitment>, sqlx::Error> {
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} ORDER BY c.position, c.created_at, c.id"))
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(Commitment::from).collect())
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Commitment>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Commitment::from))
}

pub async fn by_reference(
    conn: &mut AnyConnection,
    reference: &str,
) -> Result<Option<Commitment>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE c.reference = $1"))
        .bind(reference)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Commitment::from))
}

/// The tree rolled up on `today` (see [`super::model::tree`]).
pub async fn tree(db: &Db, today: Date, public_only: bool) -> anyhow::Result<Vec<TreeLine>> {
    let mut conn = db.reader().acquire().await?;
    let all = all(&mut conn).await?;
    drop(conn);
    tree_of(db, all, today, public_only).await
}

/// The tree of the commitments given (all of them), rolled up on `today`.
pub async fn tree_of(
    db: &Db,
    all: Vec<Commitment>,
    today: Date,
    public_only: bool,
) -> anyhow::Result<Vec<TreeLine>> {
    let with_children: std::collections::HashSet<&str> =
        all.iter().filter_map(|c| c.parent_id.as_deref()).collect();
    let mut values: HashMap<(Indicator, Option<Date>), i64> = HashMap::new();
    let mut nodes = Vec::with_capacity(all.len());
    let mut indicator_values = Vec::with_capacity(all.len());
    for c in &all {
        let status = CommitmentStatus::parse(&c.status).unwrap_or(CommitmentStatus::Planned);
        let indicator = c.indicator.as_deref().and_then(Indicator::parse);
        let mut progress = u8::try_from(c.progress.clamp(0, 100)).unwrap_or(0);
        let mut from_indicator = false;
        let mut value_now = None;
        if let Some(ind) = indicator {
            let from = c.indicator_from.as_deref().and_then(parse_date);
            let v = match values.get(&(ind, from)) {
                Some(v) => *v,
                None => {
                    let v = crate::pact::indicators::value::value(db, ind, from, today).await?;
                    values.insert((ind, from), v);
                    v
                }
            };
            value_now = Some(v);
            if !with_children.contains(c.id.as_str()) {
                progress = indicator_progress(
                    v,
                    c.indicator_baseline,
                    c.indicator_target.unwrap_or(c.indicator_baseline),
                );
                from_indicator = true;
            }
        }
        indicator_values.push(value_now);
        nodes.push(Node {
            id: c.id.clone(),
            parent_id: c.parent_id.clone(),
            position: c.position,
            weight: u32::try_from(c.weight.clamp(1, 1000)).unwrap_or(1),
            status,
            progress,
            from_indicator,
            due_on: c.due_on.as_deref().and_then(parse_date),
        });
    }
    let rolled = dom::roll_up(&nodes, today);
    let lines = dom::outline(&nodes);
    let mut out = Vec::with_capacity(lines.len());
    // Depth of the first hidden ancestor still open while walking depth first.
    let mut hidden_at: Option<usize> = None;
    for l in lines {
        if let Some(d) = hidden_at {
            if l.depth > d {
                continue;
            }
            hidden_at = None;
        }
        let c = &all[l.index];
        if public_only && !c.public {
            hidden_at = Some(l.depth);
            continue;
        }
        let r = rolled[l.index];
        out.push(TreeLine {
            commitment: c.clone(),
            number: l.number,
            depth: l.depth,
            progress: r.progress,
            shown: r.shown,
            has_children: r.has_children,
            indicator_value: indicator_values[l.index],
        });
    }
    Ok(out)
}

// ---- Validation ----

fn date_field(errs: &mut Vec<Invalid>, field: &str, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match parse_date(v) {
        Some(d) => Some(format_date(d)),
        None => {
            errs.push(Invalid::with(field, "invalid_date", shown(v)));
            None
        }
    }
}

async fn org_exists(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

async fn parents(conn: &mut AnyConnection) -> Result<HashMap<String, Option<String>>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, parent_id FROM pact_commitments")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Checks an input; `id` is the commitment changed (none when creating).
async fn validate(
    conn: &mut AnyConnection,
    input: &CommitmentInput,
    id: Option<&str>,
) -> Result<Result<Valid, Vec<Invalid>>, sqlx::Error> {
    let mut e = Vec::new();
    let title = text(&mut e, "title", Some(&input.title), TITLE_MAX, false);
    if title.is_none() && input.title.trim().is_empty() {
        e.push(Invalid::new("title", "required"));
    }
    let description = text(
        &mut e,
        "description",
        Some(&input.description),
        DESCRIPTION_MAX,
        true,
    )
    .unwrap_or_default();
    let status = match CommitmentStatus::parse(input.status.trim()) {
        Some(s) => s.as_str(),
        None => {
            e.push(Invalid::with("status", "com_status", shown(&input.status)));
            "planned"
        }
    };
    if !(0..=100).contains(&input.progress) {
        e.push(Invalid::with("progress", "out_of_range", "0–100"));
    }
    if !(1..=1000).contains(&input.weight) {
        e.push(Invalid::with("weight", "out_of_range", "1–1000"));
    }
    let starts_on = date_field(&mut e, "starts_on", input.starts_on.as_deref());
    let due_on = date_field(&mut e, "due_on", input.due_on.as_deref());
    if let (Some(s), Some(d)) = (&starts_on, &due_on)
        && d < s
    {
        e.push(Invalid::new("due_on", "com_due_before_start"));
    }
    let indicator = match input
        .indicator
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match Indicator::parse(s) {
            Some(i) => Some(i.as_str()),
            None => {
                e.push(Invalid::with("indicator", "com_indicator", shown(s)));
                None
            }
        },
    };
    let indicator_from = date_field(&mut e, "indicator_from", input.indicator_from.as_deref());
    if indicator.is_some() && input.indicator_target.is_none() {
        e.push(Invalid::new("indicator_target", "com_target_required"));
    }
    let owner_org_id = input
        .owner_org_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(o) = &owner_org_id
        && (o.len() > 64 || !org_exists(&mut *conn, o).await?)
    {
        e.push(Invalid::with(
            "owner_org_id",
            "unknown_organization",
            shown(o),
        ));
    }
    let parent_id = input
        .parent_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(p) = &parent_id {
        let map = parents(&mut *conn).await?;
        if !map.contains_key(p) {
            e.push(Invalid::with("parent_id", "com_unknown_parent", shown(p)));
        } else if let Some(id) = id
            && would_cycle(&map, id, p)
        {
            e.push(Invalid::new("parent_id", "com_loop"));
        }
    }
    if let Some(p) = input.position
        && !(0..=MAX_POSITION).contains(&p)
    {
        e.push(Invalid::with("position", "com_position", p.to_string()));
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    Ok(Ok(Valid {
        parent_id,
        position: input.position,
        title: title.unwrap_or_default(),
        description,
        owner_org_id,
        status,
        progress: input.progress,
        weight: input.weight,
        starts_on,
        due_on,
        indicator,
        indicator_baseline: input.indicator_baseline,
        indicator_target: input.indicator_target.filter(|_| indicator.is_some()),
        indicator_from,
        public: input.public,
    }))
}

fn changes(before: Option<&Commitment>, v: &Valid) -> Changes {
    let b = |f: fn(&Commitment) -> Value| before.map_or(Value::Null, f);
    Changes::new()
        .field("parent_id", b(|c| json!(c.parent_id)), json!(v.parent_id))
        .field("title", b(|c| json!(c.title)), json!(v.title))
        .field(
            "description",
            b(|c| json!(c.description)),
            json!(v.description),
        )
        .field(
            "owner_org_id",
            b(|c| json!(c.owner_org_id)),
            json!(v.owner_org_id),
        )
        .field("status", b(|c| json!(c.status)), json!(v.status))
        .field("progress", b(|c| json!(c.progress)), json!(v.progress))
        .field("weight", b(|c| json!(c.weight)), json!(v.weight))
        .field("starts_on", b(|c| json!(c.starts_on)), json!(v.starts_on))
        .field("due_on", b(|c| json!(c.due_on)), json!(v.due_on))
        .field("indicator", b(|c| json!(c.indicator)), json!(v.indicator))
        .field(
            "indicator_baseline",
            b(|c| json!(c.indicator_baseline)),
            json!(v.indicator_baseline),
        )
        .field(
            "indicator_target",
            b(|c| json!(c.indicator_target)),
            json!(v.indicator_target),
        )
        .field(
            "indicator_from",
            b(|c| json!(c.indicator_from)),
            json!(v.indicator_from),
        )
        .field("public", b(|c| json!(c.public)), json!(v.public))
}

/// The largest position among siblings a client may ask for.
const MAX_POSITION: i64 = 1_000_000;

async fn next_position(
    conn: &mut AnyConnection,
    parent_id: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let max: Option<i64> = match parent_id {
        Some(p) => {
            sqlx::query_scalar("SELECT MAX(position) FROM pact_commitments WHERE parent_id = $1")
                .bind(p)
                .fetch_one(conn)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT MAX(position) FROM pact_commitments WHERE parent_id IS NULL")
                .fetch_one(conn)
                .await?
        }
    };
    Ok(max.unwrap_or(0).saturating_add(1))
}

/// The agreement a new commitment comes from: its id and meeting, or the errors.
async fn agreement_free(
    conn: &mut AnyConnection,
    agreement_id: &str,
) -> Result<Result<String, Invalid>, sqlx::Error> {
    let meeting: Option<String> =
        sqlx::query_scalar("SELECT meeting_id FROM pact_agreements WHERE id = $1")
            .bind(agreement_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(meeting) = meeting else {
        return Ok(Err(Invalid::with(
            "agreement_id",
            "com_unknown_agreement",
            shown(agreement_id),
        )));
    };
    let taken: Option<String> =
        sqlx::query_scalar("SELECT reference FROM pact_commitments WHERE agreement_id = $1")
            .bind(agreement_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(r) = taken {
        return Ok(Err(Invalid::with("agreement_id", "com_agreement_taken", r)));
    }
    Ok(Ok(meeting))
}

/// Creates a commitment (secretariat), from an agreement when `agreement_id`
/// is given (its meeting linked as `decided`). Returns the new id.
pub async fn create(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    input: &CommitmentInput,
    agreement_id: Option<&str>,
    today: Date,
) -> Result<String, WriteError> {
    if !seat.secretariat {
        return Err(if seat.in_workspace() {
            WriteError::Forbidden
        } else {
            WriteError::NotFound
        });
    }
    let mut errs = Vec::new();
    let meeting = match agreement_id {
        Some(a) => match agreement_free(&mut *conn, a).await? {
            Ok(m) => Some(m),
            Err(e) => {
                errs.push(e);
                None
            }
        },
        None => None,
    };
    let v = match validate(&mut *conn, input, None).await? {
        Ok(v) if errs.is_empty() => v,
        Ok(_) => return Err(WriteError::Invalid(errs)),
        Err(mut e) => {
            errs.append(&mut e);
            return Err(WriteError::Invalid(errs));
        }
    };
    let id = db::new_id();
    let reference = next_reference(&mut *conn, RefKind::Commitment, today.year()).await?;
    let position = match v.position {
        Some(p) => p,
        None => next_position(&mut *conn, v.parent_id.as_deref()).await?,
    };
    let now = db::now();
    sqlx::query(
        "INSERT INTO pact_commitments (id, reference, parent_id, position, title, description, \
         owner_org_id, agreement_id, status, progress, weight, starts_on, due_on, indicator, \
         indicator_baseline, indicator_target, indicator_from, public, version, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, 1, $19, $20, $20)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(&v.parent_id)
    .bind(position)
    .bind(&v.title)
    .bind(&v.description)
    .bind(&v.owner_org_id)
    .bind(agreement_id)
    .bind(v.status)
    .bind(v.progress)
    .bind(v.weight)
    .bind(&v.starts_on)
    .bind(&v.due_on)
    .bind(v.indicator)
    .bind(v.indicator_baseline)
    .bind(v.indicator_target)
    .bind(&v.indicator_from)
    .bind(i64::from(v.public))
    .bind(&actor.id)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    if let Some(m) = &meeting {
        sqlx::query(
            "INSERT INTO pact_commitment_meetings (commitment_id, meeting_id, role, created_at) \
             VALUES ($1, $2, 'decided', $3)",
        )
        .bind(&id)
        .bind(m)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    }
    Audit {
        actor: Some(&actor.id),
        entity: "pact_commitment",
        entity_id: &id,
        action: "create",
        changes: changes(None, &v)
            .created("reference", json!(reference))
            .created("agreement_id", json!(agreement_id)),
    }
    .record(&mut *conn)
    .await?;
    Ok(id)
}

/// The commitment, or 404 for someone without a seat.
async fn load(conn: &mut AnyConnection, seat: &Seat, id: &str) -> Result<Commitment, WriteError> {
    if !seat.in_workspace() {
        return Err(WriteError::NotFound);
    }
    get(&mut *conn, id).await?.ok_or(WriteError::NotFound)
}

/// Whether the change touches only what the owner's representatives report.
pub fn only_reported(before: &Commitment, input: &CommitmentInput) -> bool {
    let mut same = input_of(before);
    same.status = input.status.clone();
    same.progress = input.progress;
    same == *input
}

/// Replaces a commitment's fields. The secretariat changes anything; the
/// owner's representatives status and progress only (403 otherwise). A change
/// that changes nothing keeps the version. Returns the version now.
pub async fn update(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    id: &str,
    expected: i64,
    input: &CommitmentInput,
) -> Result<i64, WriteError> {
    let before = load(&mut *conn, seat, id).await?;
    let may = seat.secretariat
        || (seat.reports_for(before.owner_org_id.as_deref()) && only_reported(&before, input));
    if !may {
        return Err(WriteError::Forbidden);
    }
    if before.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let v = validate(&mut *conn, input, Some(id))
        .await?
        .map_err(WriteError::Invalid)?;
    let moved = v.parent_id != before.parent_id;
    let position = match v.position {
        Some(p) if !(moved && p == before.position) => p,
        _ if moved => next_position(&mut *conn, v.parent_id.as_deref()).await?,
        _ => before.position,
    };
    let ch = changes(Some(&before), &v).field("position", before.position, position);
    if ch.is_empty() {
        return Ok(before.version);
    }
    let version = bump_version(&mut *conn, Versioned::PactCommitments, id, expected).await?;
    sqlx::query(
        "UPDATE pact_commitments SET parent_id = $1, position = $2, title = $3, description = $4, \
         owner_org_id = $5, status = $6, progress = $7, weight = $8, starts_on = $9, due_on = $10, \
         indicator = $11, indicator_baseline = $12, indicator_target = $13, indicator_from = $14, \
         public = $15 WHERE id = $16",
    )
    .bind(&v.parent_id)
    .bind(position)
    .bind(&v.title)
    .bind(&v.description)
    .bind(&v.owner_org_id)
    .bind(v.status)
    .bind(v.progress)
    .bind(v.weight)
    .bind(&v.starts_on)
    .bind(&v.due_on)
    .bind(v.indicator)
    .bind(v.indicator_baseline)
    .bind(v.indicator_target)
    .bind(&v.indicator_from)
    .bind(i64::from(v.public))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "pact_commitment",
        entity_id: id,
        action: "update",
        changes: ch,
    }
    .record(&mut *conn)
    .await?;
    Ok(version)
}

/// Deletes a commitment without children (secretariat); its milestones and
/// meeting links go with it.
pub async fn delete(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    id: &str,
    expected: Option<i64>,
) -> Result<(), WriteError> {
    let before = load(&mut *conn, seat, id).await?;
    if !seat.secretariat {
        return Err(WriteError::Forbidden);
    }
    if let Some(v) = expected
        && v != before.version
    {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(before.version),
        }));
    }
    let kids: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pact_commitments WHERE parent_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if kids > 0 {
        return Err(WriteError::Invalid(vec![Invalid::with(
            "id",
            "com_has_children",
            kids.to_string(),
        )]));
    }
    for sql in [
        "DELETE FROM pact_milestones WHERE commitment_id = $1",
        "DELETE FROM pact_commitment_meetings WHERE commitment_id = $1",
        "DELETE FROM pact_commitments WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Audit {
        actor: Some(&actor.id),
        entity: "pact_commitment",
        entity_id: id,
        action: "delete",
        changes: Changes::new().field("reference", json!(before.reference), Value::Null),
    }
    .record(&mut *conn)
    .await?;
    Ok(())
}

// ---- Milestones ----

/// A milestone of a commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, ToSchema)]
pub struct Milestone {
    pub id: String,
    pub commitment_id: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// `YYYY-MM-DD` when done.
    pub done_on: Option<String>,
    pub version: i64,
}

/// A milestone as typed in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MilestoneInput {
    /// Required, at most 200 characters.
    pub title: String,
    /// Required, `YYYY-MM-DD`.
    pub due_on: String,
    /// `YYYY-MM-DD` when done.
    pub done_on: Option<String>,
}

pub async fn milestones(
    conn: &mut AnyConnection,
    commitment_id: &str,
) -> Result<Vec<Milestone>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, commitment_id, title, due_on, done_on, version FROM pact_milestones \
         WHERE commitment_id = $1 ORDER BY due_on, created_at, id",
    )
    .bind(commitment_id)
    .fetch_all(conn)
    .await
}

pub async fn milestone(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<Milestone>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, commitment_id, title, due_on, done_on, version FROM pact_milestones WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

fn valid_milestone(
    input: &MilestoneInput,
) -> Result<(String, String, Option<String>), Vec<Invalid>> {
    let mut e = Vec::new();
    let title = text(&mut e, "title", Some(&input.title), MILESTONE_MAX, false);
    if title.is_none() && input.title.trim().is_empty() {
        e.push(Invalid::new("title", "required"));
    }
    let due = date_field(&mut e, "due_on", Some(&input.due_on));
    if due.is_none() && input.due_on.trim().is_empty() {
        e.push(Invalid::new("due_on", "required"));
    }
    let done = date_field(&mut e, "done_on", input.done_on.as_deref());
    if e.is_empty() {
        Ok((title.unwrap_or_default(), due.unwrap_or_default(), done))
    } else {
        Err(e)
    }
}

/// The commitment of a milestone's write, checked for who reports it.
async fn reported(
    conn: &mut AnyConnection,
    seat: &Seat,
    commitment_id: &str,
) -> Result<Commitment, WriteError> {
    let c = load(&mut *conn, seat, commitment_id).await?;
    if !seat.reports_for(c.owner_org_id.as_deref()) {
        return Err(WriteError::Forbidden);
    }
    Ok(c)
}

pub async fn add_milestone(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    commitment_id: &str,
    input: &MilestoneInput,
) -> Result<String, WriteError> {
    reported(&mut *conn, seat, commitment_id).await?;
    let (title, due, done) = valid_milestone(input).map_err(WriteError::Invalid)?;
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO pact_milestones (id, commitment_id, title, due_on, done_on, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(commitment_id)
    .bind(&title)
    .bind(&due)
    .bind(&done)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "pact_milestone",
        entity_id: &id,
        action: "create",
        changes: Changes::new()
            .created("commitment_id", json!(commitment_id))
            .created("title", json!(title))
            .created("due_on", json!(due))
            .created("done_on", json!(done)),
    }
    .record(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_milestone(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    id: &str,
    expected: i64,
    input: &MilestoneInput,
) -> Result<i64, WriteError> {
    if !seat.in_workspace() {
        return Err(WriteError::NotFound);
    }
    let m = milestone(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    reported(&mut *conn, seat, &m.commitment_id).await?;
    if m.version != expected {
        return Err(WriteError::Conflict(VersionConflict {
            current: Some(m.version),
        }));
    }
    let (title, due, done) = valid_milestone(input).map_err(WriteError::Invalid)?;
    let ch = Changes::new()
        .field("title", json!(m.title), json!(title))
        .field("due_on", json!(m.due_on), json!(due))
        .field("done_on", json!(m.done_on), json!(done));
    if ch.is_empty() {
        return Ok(m.version);
    }
    let done_rows = sqlx::query(
        "UPDATE pact_milestones SET title = $1, due_on = $2, done_on = $3, version = version + 1, \
         updated_at = $4 WHERE id = $5 AND version = $6",
    )
    .bind(&title)
    .bind(&due)
    .bind(&done)
    .bind(db::now())
    .bind(id)
    .bind(expected)
    .execute(&mut *conn)
    .await?;
    if done_rows.rows_affected() != 1 {
        return Err(WriteError::Conflict(VersionConflict { current: None }));
    }
    Audit {
        actor: Some(&actor.id),
        entity: "pact_milestone",
        entity_id: id,
        action: "update",
        changes: ch,
    }
    .record(&mut *conn)
    .await?;
    Ok(expected + 1)
}

pub async fn delete_milestone(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    id: &str,
) -> Result<String, WriteError> {
    if !seat.in_workspace() {
        return Err(WriteError::NotFound);
    }
    let m = milestone(&mut *conn, id)
        .await?
        .ok_or(WriteError::NotFound)?;
    reported(&mut *conn, seat, &m.commitment_id).await?;
    sqlx::query("DELETE FROM pact_milestones WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Audit {
        actor: Some(&actor.id),
        entity: "pact_milestone",
        entity_id: id,
        action: "delete",
        changes: Changes::new().field("title", json!(m.title), Value::Null),
    }
    .record(&mut *conn)
    .await?;
    Ok(m.commitment_id)
}

// ---- Meetings ----

/// A meeting where a commitment was decided or reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, ToSchema)]
pub struct MeetingLink {
    pub meeting_id: String,
    pub reference: String,
    pub title: String,
    /// RFC 3339.
    pub starts_at: String,
    /// `decided` or `reviewed`.
    pub role: String,
}

pub async fn meetings(
    conn: &mut AnyConnection,
    commitment_id: &str,
) -> Result<Vec<MeetingLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id AS meeting_id, m.reference, m.title, m.starts_at, l.role \
         FROM pact_commitment_meetings l JOIN pact_meetings m ON m.id = l.meeting_id \
         WHERE l.commitment_id = $1 ORDER BY m.starts_at, l.role",
    )
    .bind(commitment_id)
    .fetch_all(conn)
    .await
}

/// Every meeting, newest first (to choose one to link): (id, reference, title, starts_at).
pub async fn meeting_choices(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, reference, title, starts_at FROM pact_meetings \
         WHERE status <> 'cancelled' ORDER BY starts_at DESC LIMIT 500",
    )
    .fetch_all(conn)
    .await
}

/// Links a meeting where the commitment was reviewed (secretariat).
pub async fn link_meeting(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    commitment_id: &str,
    meeting_id: &str,
    role: &str,
) -> Result<(), WriteError> {
    load(&mut *conn, seat, commitment_id).await?;
    if !seat.secretariat {
        return Err(WriteError::Forbidden);
    }
    let mut e = Vec::new();
    if role != "reviewed" {
        e.push(Invalid::with("role", "com_meeting_role", shown(role)));
    }
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pact_meetings WHERE id = $1")
        .bind(meeting_id)
        .fetch_one(&mut *conn)
        .await?;
    if exists == 0 {
        e.push(Invalid::with(
            "meeting_id",
            "com_unknown_meeting",
            shown(meeting_id),
        ));
    }
    if !e.is_empty() {
        return Err(WriteError::Invalid(e));
    }
    let done = sqlx::query(
        "INSERT INTO pact_commitment_meetings (commitment_id, meeting_id, role, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(commitment_id)
    .bind(meeting_id)
    .bind(role)
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        Audit {
            actor: Some(&actor.id),
            entity: "pact_commitment",
            entity_id: commitment_id,
            action: "link_meeting",
            changes: Changes::new().created("meeting_id", json!(meeting_id)),
        }
        .record(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Removes a `reviewed` link (secretariat; the `decided` one stays).
pub async fn unlink_meeting(
    conn: &mut AnyConnection,
    actor: &User,
    seat: &Seat,
    commitment_id: &str,
    meeting_id: &str,
) -> Result<(), WriteError> {
    load(&mut *conn, seat, commitment_id).await?;
    if !seat.secretariat {
        return Err(WriteError::Forbidden);
    }
    let done = sqlx::query(
        "DELETE FROM pact_commitment_meetings WHERE commitment_id = $1 AND meeting_id = $2 \
         AND role = 'reviewed'",
    )
    .bind(commitment_id)
    .bind(meeting_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(WriteError::NotFound);
    }
    Audit {
        actor: Some(&actor.id),
        entity: "pact_commitment",
        entity_id: commitment_id,
        action: "unlink_meeting",
        changes: Changes::new().field("meeting_id", json!(meeting_id), Value::Null),
    }
    .record(&mut *conn)
    .await?;
    Ok(())
}

// ---- Agreements ----

/// An agreement as a new commitment starts from it: (text, reference).
pub async fn agreement(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT text, reference FROM pact_agreements WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The input a commitment made from an agreement starts with: the text
/// trimmed to a title (first sentence or line, at most 200 characters) and the
/// whole text as its description.
pub fn from_agreement(text: &str) -> CommitmentInput {
    let t = text.trim();
    let first = t
        .split(['\n', '\r'])
        .next()
        .unwrap_or(t)
        .split_inclusive(". ")
        .next()
        .unwrap_or(t)
        .trim()
        .trim_end_matches('.')
        .trim();
    let title: String = if first.chars().count() > TITLE_MAX {
        let mut s: String = first.chars().take(TITLE_MAX - 1).collect();
        s.push('…');
        s
    } else {
        first.to_owned()
    };
    CommitmentInput {
        title,
        description: t.chars().take(DESCRIPTION_MAX).collect(),
        ..CommitmentInput::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agreement_gives_a_title_and_keeps_its_text() {
        let i = from_agreement("Crear una bolsa de suelo industrial. Con plazos y fases.\nMás.");
        assert_eq!(i.title, "Crear una bolsa de suelo industrial");
        assert!(i.description.ends_with("Más."));
        let long = "a".repeat(500);
        assert_eq!(from_agreement(&long).title.chars().count(), TITLE_MAX);
    }
}
