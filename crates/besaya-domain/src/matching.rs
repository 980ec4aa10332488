//! Ranking the directory's organisations that could answer a Pact need, each with
//! a score and the reasons for it.
//!
//! Signals, combined into a score from 0 to 100:
//! - **activity** (CNAE closeness): the best pair of a need code and an
//!   organisation code — same class (4 digits) > group (3) > division (2) >
//!   section (letter);
//! - **text** relevance in Spanish (BM25F over capabilities, description, CNAE
//!   titles and name, via [`crate::search::TextIndex`]: stemming, accent- and
//!   case-insensitive) between the need's words and the organisation;
//! - **certifications** required by the need, held and not expired on the day;
//! - **proximity**: same municipality, in the district, then by distance;
//! - **size**, only when the need asks for a minimum size band.
//!
//! An organisation is a candidate only if its activity or its text is relevant;
//! it is **complete** when it also holds every required certification and fits
//! the size asked. [`Ranking::answerable`] says whether any complete candidate
//! exists; when none does, the list is the nearest partial matches. Complete
//! candidates that are also relevant (activity and text worth at least half
//! their points, [`RELEVANT_MIN`]) rank first; the others, complete or not, follow
//! by score, so that a certified firm of a neighbouring trade does not outrank
//! the right firm whose certificate has lapsed.
//!
//! Pure and deterministic: the same index and need give the same list (ties by
//! document id ascending).
//!
//! # The score
//!
//! ```text
//! score = 100 × (0.40·activity + 0.35·text + 0.15·certifications + 0.07·proximity + 0.03·size)
//! ```
//!
//! ([`W_ACTIVITY`], [`W_TEXT`], [`W_CERTIFICATIONS`], [`W_PROXIMITY`], [`W_SIZE`]).
//! A signal the need does not ask about weighs 0 and the others are scaled up to
//! sum to 1: no CNAE code, no searchable word, no certification, no place, no
//! minimum size. So every point is explained by a [`Reason`] (but for the 0.3 of
//! proximity given to an organisation whose place is unknown) and the points add
//! up to the score, within rounding. Each component is between 0 and 1:
//!
//! - **activity**: class 1.0, group 0.7, division 0.45, section 0.15 ([`level_value`]);
//!   a need's code may be a class, group, division or section, and the level is the
//!   one both codes share ("43" and "4321" share the division). Sections follow
//!   CNAE-2025 (J is 58–60, K 61–63, …). When the need has words to search and the
//!   organisation's text shares none of them, only half of it counts
//!   ([`ACTIVITY_WITHOUT_TEXT`]), rising linearly to all of it at `r` =
//!   [`TEXT_MIN`] ([`activity_support`]): a language academy registered under the
//!   same class as a welding school is not half an answer to a need for welders.
//!   A need without words keeps the whole activity.
//! - **text**: the need's words are the title's (each counting [`TITLE_FACTOR`] = 2
//!   times) and then the rarest of summary and description, at most
//!   [`MAX_QUERY_WORDS`] = 16 in all; a word of the text held by more than 20 % of
//!   the organisations (50 % for a title word) is too common to tell them apart and
//!   is not searched, nor is noise ([`is_noise`]): single characters ("t" of
//!   "2.000 t"; but for the letters of "I+D"), numbers under four digits
//!   (quantities; "9001" stays) and the filler of a request ([`FILLER_WORDS`]:
//!   "necesitamos", "según", "año", "tamaño", "kV"…). The fields weigh
//!   capabilities 2, description 1, CNAE titles 1, name 0.5 ([`FIELD_WEIGHTS`]).
//!   With `s` the organisation's BM25F score (OR of the words, each times its
//!   factor) and `q = Σ factor × idf` the need's own weight, `r = s / q` is about
//!   1 for an organisation that mentions every word once, and
//!   `text = 1.5·r / (r + 0.5)`, at most 1 ([`TEXT_HALF`]): saturating,
//!   so one strong word is not everything, and absolute, so an organisation's
//!   points do not depend on the others.
//! - **certifications**: the share of the required ones held and valid on the day
//!   ([`certification_satisfies`]).
//! - **proximity**: same municipality 1.0, in the district 0.85, else by straight
//!   distance, 0.7 up to 15 km, falling linearly to 0 at 150 km; unknown place 0.3.
//! - **size**: 1 when the organisation's band is at least the one asked, else 0.
//!
//! A **candidate** shares at least the division with one of the need's codes, or
//! has `r ≥ 0.1` ([`TEXT_MIN`]: about one title word in its capabilities), or shares
//! the section and some word. Its **relevance** is activity and text alone,
//! `(w_activity·activity + w_text·text) / (w_activity + w_text)`, 0–1. Ranking:
//! complete candidates of relevance at least 0.5 ([`RELEVANT_MIN`]) first, then
//! every other candidate; within each block by score (as shown, rounded to 0.1)
//! descending, then by document. A firm that is complete but barely relevant (the
//! same class and no shared word, or a few words and no code) so competes by its
//! score, where its certificate still counts for its 15 points.
//!
//! # Why these weights
//!
//! They are the design's starting point, checked against the Pact's test set
//! (`tests/pact_quality.rs`: 25 needs, 210 organisations, graded judgements):
//! mean nDCG@10 0.923 against 0.733 for CNAE codes alone and 0.882 for text
//! alone. The optimum is flat around them: moving any one weight, the text
//! saturation, the title factor, the field weights, the level values or the
//! candidate threshold by a third to a half changes the mean by at most ±0.01
//! (activity 0.3 / text 0.45 gains 0.004, within what 25 needs can tell), so they
//! were kept rather than fitted to the set. Normalising the text by the best
//! candidate's score instead of the need's own weight was no better (0.922).
//!
//! Three rules were added after reading the misses, each for a reason a
//! purchasing manager would give, not fitted: skipping noise words (0.923 →
//! 0.927; text alone 0.882 → 0.899), half the activity without a shared word and
//! complete-first only above the relevance floor (→ 0.938). Their constants sit
//! in flat regions: with the floor anywhere from 0.3 to 0.7 and the share kept
//! without text from 0.3 to 0.7, the mean stays within 0.937–0.939; a strict
//! complete-first (no floor) gives 0.932, ranking by score alone 0.936.
//!
//! # Speed
//!
//! Text scores are summed into a dense table, one posting list per word; then one
//! linear scan reads each organisation's packed attributes: up to four CNAE codes
//! as `u16` looked up in a per-need table of levels, the place, size and flags in
//! 16 bytes, and its certifications as interned ids with an expiry day, checked
//! against a per-need bit mask of the requirements each id satisfies (names are
//! folded once per distinct name, not per organisation). Distances in the scan use
//! a plane at the mean latitude; explanations (words matched, the best CNAE pair,
//! the certificate held, the great-circle distance) are computed only for the page
//! returned. On the synthetic directory of `benches/matching.rs` (one need with 16
//! words against 100,000 organisations, 40 % of them candidates) a ranking takes
//! about 6–7 ms, and 70–90 ms for 1,000,000 (criterion's p50 on a loaded 2-core
//! machine, before and after the three rules above); the index holds about 460
//! bytes per organisation.

use std::collections::HashMap;

use time::Date;

use crate::directory::{SizeBand, normalize_cnae};
use crate::search::{IndexStats, QueryTerm, TextIndex};
use crate::text::fold;

/// What the ranking knows of one organisation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgProfile {
    pub name: String,
    pub capabilities: String,
    pub description: String,
    /// Stored CNAE codes: digits without dots ("4321", "432", "43") or a section letter.
    pub cnae_codes: Vec<String>,
    /// The titles of those codes, in Spanish, joined (searched as text).
    pub cnae_titles: String,
    /// Certifications as held: the standard's name ("ISO 9001:2015") and expiry.
    pub certifications: Vec<(String, Option<Date>)>,
    /// INE code of the municipality.
    pub municipality: Option<u32>,
    pub in_district: bool,
    /// Latitude and longitude (WGS84) of the organisation, or of its municipality.
    pub location: Option<(f64, f64)>,
    pub size: Option<SizeBand>,
}

/// What a need asks, as the ranking reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NeedQuery {
    /// Title, summary and description (the title counts most: repeat it or weight it).
    pub title: String,
    pub text: String,
    /// Stored CNAE codes (as in [`OrgProfile::cnae_codes`]).
    pub cnae_codes: Vec<String>,
    /// Required certifications as typed ("ISO 9001", "ISO 9001:2015", "EN 1090").
    pub required_certifications: Vec<String>,
    pub municipality: Option<u32>,
    pub location: Option<(f64, f64)>,
    /// Only organisations of at least this size fit, when given.
    pub min_size: Option<SizeBand>,
}

/// How close two CNAE codes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CnaeLevel {
    Section,
    Division,
    Group,
    Class,
}

/// One reason in a match's explanation. `points` is what it adds to the score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The best CNAE pair: the need's code, the organisation's, how close.
    Cnae {
        need_code: String,
        org_code: String,
        level: CnaeLevel,
        points: f32,
    },
    /// The need's words found in the organisation's text, as the need wrote them
    /// (lower case, accents kept).
    Text {
        words: Vec<String>,
        points: f32,
    },
    /// A required certification held and valid on the day (`expires_on` if known).
    Certification {
        required: String,
        held: String,
        expires_on: Option<Date>,
        points: f32,
    },
    /// A required certification held but expired.
    CertificationExpired {
        required: String,
        held: String,
        expired_on: Date,
    },
    /// A required certification not held.
    CertificationMissing {
        required: String,
    },
    SameMunicipality {
        points: f32,
    },
    InDistrict {
        points: f32,
    },
    /// Outside the district, at this distance in km (straight line) from the need.
    Distance {
        km: f32,
        points: f32,
    },
    /// The size band asked for, and the organisation's.
    SizeFits {
        required: SizeBand,
        size: SizeBand,
        points: f32,
    },
    SizeTooSmall {
        required: SizeBand,
        size: SizeBand,
    },
    SizeUnknown {
        required: SizeBand,
    },
}

/// One ranked organisation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Match {
    /// The document id it was indexed with.
    pub doc: u32,
    /// 0–100, rounded to one decimal.
    pub score: f32,
    /// Holds every required certification and fits the size asked. Complete
    /// matches rank first only when also relevant (see the module documentation).
    pub complete: bool,
    /// Positive reasons first (by points), then what is missing.
    pub reasons: Vec<Reason>,
}

/// The ranked list for one need.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Best first; at most the limit asked. Complete candidates whose activity
    /// and text are relevant ([`RELEVANT_MIN`]) rank first; then every other
    /// candidate, complete or not, by score.
    pub matches: Vec<Match>,
    /// Whether any candidate in the whole index is complete.
    pub answerable: bool,
    /// How many organisations were candidates (relevant activity or text).
    pub candidates: usize,
}

/// Weights of the text fields: capabilities, description, CNAE titles, name.
pub const FIELD_WEIGHTS: [f32; 4] = [2.0, 1.0, 1.0, 0.5];

/// Weight of the activity (CNAE closeness) in the score.
pub const W_ACTIVITY: f32 = 0.40;
/// Weight of the text relevance.
pub const W_TEXT: f32 = 0.35;
/// Weight of the required certifications.
pub const W_CERTIFICATIONS: f32 = 0.15;
/// Weight of the proximity.
pub const W_PROXIMITY: f32 = 0.07;
/// Weight of the size, when a minimum size is asked.
pub const W_SIZE: f32 = 0.03;

/// How much a word of the need's title counts, relative to one of its text.
pub const TITLE_FACTOR: f32 = 2.0;
/// At most this many words of a need are searched (the title's first, then the
/// rarest of the text).
pub const MAX_QUERY_WORDS: usize = 16;
/// Words of the need's text held by more than this share of the organisations
/// are too common to tell them apart and are not searched (title words: see
/// [`TITLE_COMMON_SHARE`]); never below [`MIN_COMMON_DF`] organisations.
pub const COMMON_SHARE: f32 = 0.20;
/// Like [`COMMON_SHARE`], for the words of the title.
pub const TITLE_COMMON_SHARE: f32 = 0.50;
/// A word is never too common when fewer organisations than this hold it.
pub const MIN_COMMON_DF: u32 = 20;
/// Text saturation: with `r` the text score over the need's own weight (see the
/// module documentation), the text component is `(1 + K)·r / (r + K)`, at most 1.
pub const TEXT_HALF: f32 = 0.5;
/// The relative text score `r` that makes an organisation a candidate by its
/// text alone.
pub const TEXT_MIN: f32 = 0.1;

/// Share of the activity component kept by an organisation whose text shares
/// none of the need's words (when the need has words to search); it grows
/// linearly to all of it at `r` = [`TEXT_MIN`].
pub const ACTIVITY_WITHOUT_TEXT: f32 = 0.5;
/// Relevance (activity and text, 0–1, see the module documentation) from which
/// a complete candidate ranks in the first block, before every other candidate.
pub const RELEVANT_MIN: f32 = 0.5;

/// The activity component of a CNAE level.
pub fn level_value(level: CnaeLevel) -> f32 {
    match level {
        CnaeLevel::Class => 1.0,
        CnaeLevel::Group => 0.7,
        CnaeLevel::Division => 0.45,
        CnaeLevel::Section => 0.15,
    }
}

/// Proximity components.
const PROX_SAME_MUNICIPALITY: f32 = 1.0;
const PROX_IN_DISTRICT: f32 = 0.85;
const PROX_NEAR: f32 = 0.7;
const PROX_NEAR_KM: f64 = 15.0;
const PROX_FAR_KM: f64 = 150.0;
const PROX_UNKNOWN: f32 = 0.3;

/// Mean Earth radius (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// At most this many required certifications are checked (a bit mask each).
const MAX_REQUIRED: usize = 64;

// Packed CNAE codes: class 0–9999 as is, then groups, divisions and sections.
const GROUP_BASE: u16 = 10_000;
const DIVISION_BASE: u16 = 11_000;
const SECTION_BASE: u16 = 11_100;
const CODE_SPACE: usize = 11_126;
const NO_CODE: u16 = u16::MAX;
/// In the last inline slot: the document has more codes than fit, see `more_codes`.
const MORE_CODES: u16 = u16::MAX - 1;
const INLINE_CODES: usize = 4;

const LIVE: u8 = 1;
const IN_DISTRICT: u8 = 2;
const NO_EXPIRY: i32 = i32::MAX;
/// Unused certification entries tolerated before compacting (see `held`).
const COMPACT_MIN: usize = 1024;

/// Per document: what the scan needs besides codes, 16 bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Attrs {
    lat: f32,
    lon: f32,
    /// INE code, 0 when unknown.
    municipality: u32,
    /// 0 unknown, else 1 + the band's index.
    size: u8,
    flags: u8,
    /// How many certifications it holds, from `held_at` in `held`.
    certs: u16,
}

/// A held certification: its interned name and last valid day (Julian day).
#[derive(Debug, Clone, Copy)]
struct Held {
    cert: u32,
    expires: i32,
}

/// The organisations, indexed for ranking: text postings plus packed attributes.
#[derive(Clone)]
pub struct MatchIndex {
    text: TextIndex,
    codes: Vec<[u16; INLINE_CODES]>,
    more_codes: HashMap<u32, Box<[u16]>>,
    attrs: Vec<Attrs>,
    /// Every document's certifications, each document's in a run from `held_at`.
    /// A run that grows moves to the end (the old one is left unused, until
    /// unused entries outnumber used ones: see [`MatchIndex::compact_held`]).
    held: Vec<Held>,
    held_at: Vec<u32>,
    /// Entries of `held` in use.
    held_used: usize,
    cert_names: Vec<Box<str>>,
    cert_ids: HashMap<Box<str>, u32>,
    /// Per interned name, its words ([`cert_tokens`]).
    cert_tokens: Vec<Box<[String]>>,
    live: usize,
}

impl Default for MatchIndex {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for MatchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchIndex")
            .field("len", &self.len())
            .finish()
    }
}

impl Assessed {
    /// Whether it ranks among the complete and relevant candidates, before the rest.
    fn first(&self) -> bool {
        self.complete && self.relevance >= RELEVANT_MIN
    }
}

/// A need prepared for scanning the index.
struct Prepared<'a> {
    need: &'a NeedQuery,
    /// Per packed org code, the best level against the need's codes (0 none,
    /// 1 section … 4 class).
    table: Vec<u8>,
    /// The need's codes, packed, with their stored form.
    need_codes: Vec<(u16, String)>,
    terms: Vec<(QueryTerm, f32)>,
    /// Per searched word, as the need wrote it (lower case, accents kept), for reasons.
    shown: Vec<String>,
    /// The need's own text weight: Σ factor × idf over its searched words.
    query_weight: f32,
    required: Vec<&'a str>,
    /// Per interned certification, the required ones it satisfies (bit i: required[i]).
    satisfies: Vec<u64>,
    all_required: u64,
    today: i32,
    min_size: u8,
    has_place: bool,
    /// The need's place in radians, and the cosine and sine of its latitude.
    at: Option<(f64, f64, f64, f64)>,
    /// Normalised weights: activity, text, certifications, proximity, size.
    w: [f32; 5],
}

/// The components of one organisation's score.
struct Assessed {
    level: u8,
    /// The activity component, with its text support.
    activity: f32,
    /// Activity and text alone, weighted as in the score, 0–1.
    relevance: f32,
    text: f32,
    valid: u64,
    size: f32,
    size_ok: bool,
    proximity: f32,
    score: f32,
    complete: bool,
}

impl MatchIndex {
    pub fn new() -> Self {
        Self {
            text: TextIndex::new(FIELD_WEIGHTS.to_vec()),
            codes: Vec::new(),
            more_codes: HashMap::new(),
            attrs: Vec::new(),
            held: Vec::new(),
            held_at: Vec::new(),
            held_used: 0,
            cert_names: Vec::new(),
            cert_ids: HashMap::new(),
            cert_tokens: Vec::new(),
            live: 0,
        }
    }

    /// Adds or replaces document `doc`.
    pub fn upsert(&mut self, doc: u32, org: &OrgProfile) {
        self.text.upsert(doc, &text_fields(org));
        self.set_attrs(doc, org);
    }

    /// Builds from many documents at once (faster than one by one).
    pub fn build<'a>(docs: impl IntoIterator<Item = (u32, &'a OrgProfile)>) -> Self {
        let docs: Vec<(u32, &OrgProfile)> = docs.into_iter().collect();
        let mut index = Self::new();
        let bound = docs.iter().map(|&(d, _)| d as usize + 1).max().unwrap_or(0);
        index.grow(bound);
        index
            .text
            .upsert_many(docs.iter().map(|&(d, org)| (d, text_fields(org))));
        for &(doc, org) in &docs {
            index.set_attrs(doc, org);
        }
        index
    }

    pub fn remove(&mut self, doc: u32) {
        let d = doc as usize;
        if self.attrs.get(d).is_none_or(|a| a.flags & LIVE == 0) {
            return;
        }
        self.text.remove(doc);
        self.held_used -= usize::from(self.attrs[d].certs);
        self.attrs[d] = Attrs::default();
        self.codes[d] = [NO_CODE; INLINE_CODES];
        self.more_codes.remove(&doc);
        self.live -= 1;
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Size figures (text index plus attributes).
    pub fn stats(&self) -> IndexStats {
        let text = self.text.stats();
        let more: usize = self.more_codes.values().map(|c| 8 + 2 * c.len()).sum();
        let names: usize = self
            .cert_names
            .iter()
            .map(|n| 2 * n.len() + 32)
            .sum::<usize>()
            + self
                .cert_tokens
                .iter()
                .flat_map(|t| t.iter())
                .map(|t| t.len() + size_of::<String>())
                .sum::<usize>();
        let attrs = self.codes.capacity() * size_of::<[u16; INLINE_CODES]>()
            + self.attrs.capacity() * size_of::<Attrs>()
            + self.held_at.capacity() * size_of::<u32>()
            + self.held.capacity() * size_of::<Held>()
            + more
            + names;
        IndexStats {
            approx_bytes: text.approx_bytes + attrs,
            ..text
        }
    }

    fn grow(&mut self, bound: usize) {
        if self.attrs.len() < bound {
            self.attrs.resize(bound, Attrs::default());
            self.codes.resize(bound, [NO_CODE; INLINE_CODES]);
            self.held_at.resize(bound, 0);
        }
    }

    fn set_attrs(&mut self, doc: u32, org: &OrgProfile) {
        let d = doc as usize;
        self.grow(d + 1);
        if self.attrs[d].flags & LIVE == 0 {
            self.live += 1;
        }
        let mut codes: Vec<u16> = Vec::with_capacity(org.cnae_codes.len());
        for code in org.cnae_codes.iter().filter_map(|c| pack_code(c)) {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        let mut inline = [NO_CODE; INLINE_CODES];
        if codes.len() <= INLINE_CODES {
            inline[..codes.len()].copy_from_slice(&codes);
            self.more_codes.remove(&doc);
        } else {
            inline[..INLINE_CODES - 1].copy_from_slice(&codes[..INLINE_CODES - 1]);
            inline[INLINE_CODES - 1] = MORE_CODES;
            self.more_codes.insert(doc, codes.into_boxed_slice());
        }
        self.codes[d] = inline;

        let (lat, lon) = match org.location {
            Some((lat, lon)) if lat.is_finite() && lon.is_finite() => (lat as f32, lon as f32),
            _ => (f32::NAN, f32::NAN),
        };
        let mut flags = LIVE;
        if org.in_district {
            flags |= IN_DISTRICT;
        }
        let previous_certs = self.attrs[d].certs;
        self.attrs[d] = Attrs {
            lat,
            lon,
            municipality: org.municipality.unwrap_or(0),
            size: size_code(org.size),
            flags,
            certs: 0,
        };

        let held: Vec<Held> = org
            .certifications
            .iter()
            .filter(|(name, _)| !name.trim().is_empty())
            .take(usize::from(u16::MAX))
            .map(|(name, expires)| Held {
                cert: self.intern_cert(name.trim()),
                expires: expires.map_or(NO_EXPIRY, Date::to_julian_day),
            })
            .collect();
        let fits = held.len() <= usize::from(previous_certs);
        let at = if fits {
            self.held_at[d] as usize
        } else {
            self.held.len()
        };
        if fits {
            self.held[at..at + held.len()].copy_from_slice(&held);
        } else {
            self.held.extend_from_slice(&held);
            // Over 4 billion certifications cannot be held in memory.
            self.held_at[d] = u32::try_from(at).unwrap_or(u32::MAX);
        }
        self.attrs[d].certs = held.len() as u16;
        self.held_used = self.held_used + held.len() - usize::from(previous_certs);
        if self.held.len() > 2 * self.held_used + COMPACT_MIN {
            self.compact_held();
        }
    }

    fn intern_cert(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.cert_ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.cert_names.len()).unwrap_or(u32::MAX);
        self.cert_names.push(name.into());
        self.cert_tokens.push(cert_tokens(name).into_boxed_slice());
        self.cert_ids.insert(name.into(), id);
        id
    }

    /// The need's searched words with their factors (see the module documentation).
    fn query_terms(&self, need: &NeedQuery) -> Vec<(QueryTerm, f32)> {
        let n = self.live as f32;
        let too_common = |df: u32, share: f32| df > MIN_COMMON_DF && df as f32 > share * n;
        let acronyms = acronym_letters(&need.title, &need.text);
        let noisy = |t: &QueryTerm| is_noise(t) && !acronyms.contains(&t.word);
        let mut title: Vec<QueryTerm> = self
            .text
            .query_terms(&need.title)
            .into_iter()
            .filter(|t| !noisy(t))
            .filter(|t| !too_common(t.df, TITLE_COMMON_SHARE))
            .collect();
        if title.len() > MAX_QUERY_WORDS {
            title.sort_by_key(|t| t.df);
            title.truncate(MAX_QUERY_WORDS);
        }
        let mut body: Vec<QueryTerm> = self
            .text
            .query_terms(&need.text)
            .into_iter()
            .filter(|t| !noisy(t))
            .filter(|t| !too_common(t.df, COMMON_SHARE))
            .filter(|t| !title.iter().any(|k| k.term == t.term))
            .collect();
        // Stable: equally rare words keep the need's order.
        body.sort_by_key(|t| t.df);
        body.truncate(MAX_QUERY_WORDS - title.len());
        title
            .into_iter()
            .map(|t| (t, TITLE_FACTOR))
            .chain(body.into_iter().map(|t| (t, 1.0)))
            .collect()
    }

    fn prepare<'a>(&self, need: &'a NeedQuery, today: Date) -> Prepared<'a> {
        let mut need_codes: Vec<(u16, String)> = Vec::new();
        for code in &need.cnae_codes {
            if let (Some(packed), Some(stored)) = (pack_code(code), normalize_cnae(code))
                && !need_codes.iter().any(|(p, _)| *p == packed)
            {
                need_codes.push((packed, stored));
            }
        }
        let mut table = vec![0u8; CODE_SPACE];
        if !need_codes.is_empty() {
            for (code, best) in (0u16..).zip(table.iter_mut()) {
                *best = need_codes
                    .iter()
                    .filter_map(|&(n, _)| packed_closeness(n, code))
                    .map(level_rank)
                    .max()
                    .unwrap_or(0);
            }
        }

        let terms = self.query_terms(need);
        let query_weight: f32 = terms.iter().map(|(t, f)| f * self.text.idf(t)).sum();
        let shown = shown_words(need, &terms);

        // Each required one once, as first typed ("ISO 9001" and "iso-9001" are one).
        let mut required: Vec<&str> = Vec::new();
        let mut required_tokens: Vec<Vec<String>> = Vec::new();
        for r in &need.required_certifications {
            let r = r.trim();
            let tokens = cert_tokens(r);
            if !tokens.is_empty()
                && !required_tokens.contains(&tokens)
                && required.len() < MAX_REQUIRED
            {
                required.push(r);
                required_tokens.push(tokens);
            }
        }
        // Names were split into words once, when interned.
        let satisfies: Vec<u64> = if required.is_empty() {
            Vec::new()
        } else {
            self.cert_tokens
                .iter()
                .map(|held| {
                    (0..)
                        .zip(&required_tokens)
                        .filter(|(_, r)| tokens_satisfy(r, held))
                        .fold(0u64, |m, (i, _)| m | 1 << i)
                })
                .collect()
        };
        let all_required = match required.len() {
            0 => 0,
            n => u64::MAX >> (64 - n),
        };

        let has_place = need.municipality.is_some() || need.location.is_some();
        let mut w = [
            if need_codes.is_empty() {
                0.0
            } else {
                W_ACTIVITY
            },
            if query_weight > 0.0 { W_TEXT } else { 0.0 },
            if required.is_empty() {
                0.0
            } else {
                W_CERTIFICATIONS
            },
            if has_place { W_PROXIMITY } else { 0.0 },
            if need.min_size.is_some() { W_SIZE } else { 0.0 },
        ];
        let sum: f32 = w.iter().sum();
        if sum > 0.0 {
            for x in &mut w {
                *x /= sum;
            }
        }
        Prepared {
            need,
            table,
            need_codes,
            terms,
            shown,
            query_weight,
            required,
            satisfies,
            all_required,
            today: today.to_julian_day(),
            min_size: size_code(need.min_size),
            has_place,
            at: need
                .location
                .filter(|(lat, lon)| lat.is_finite() && lon.is_finite())
                .map(|(lat, lon)| {
                    let (lat, lon) = (lat.to_radians(), lon.to_radians());
                    (lat, lon, lat.cos(), lat.sin())
                }),
            w,
        }
    }

    /// The best level (0 none … 4 class) of `doc`'s codes in the need's table.
    fn best_level(&self, table: &[u8], d: usize) -> u8 {
        let codes = &self.codes[d];
        let at = |c: u16| table.get(usize::from(c)).copied().unwrap_or(0);
        if codes[INLINE_CODES - 1] == MORE_CODES {
            return self
                .more_codes
                .get(&(d as u32))
                .map_or(0, |all| all.iter().map(|&c| at(c)).max().unwrap_or(0));
        }
        codes.iter().map(|&c| at(c)).max().unwrap_or(0)
    }

    fn assess(&self, p: &Prepared<'_>, d: usize, level: u8, r: f32) -> Assessed {
        let a = self.attrs[d];
        let mut valid = 0u64;
        if p.all_required != 0 {
            for h in self.held_of(d) {
                if h.expires >= p.today {
                    valid |= p.satisfies.get(h.cert as usize).copied().unwrap_or(0);
                }
            }
        }
        let certs = if p.all_required == 0 {
            1.0
        } else {
            valid.count_ones() as f32 / p.all_required.count_ones() as f32
        };
        let (size, size_ok) = match (p.min_size, a.size) {
            (0, _) => (1.0, true),
            (_, 0) => (0.0, false),
            (min, size) => {
                let ok = size >= min;
                (if ok { 1.0 } else { 0.0 }, ok)
            }
        };
        let proximity = if p.has_place {
            fast_proximity(p, &a)
        } else {
            0.0
        };
        let text = text_component(r);
        let activity = if level == 0 {
            0.0
        } else {
            level_value(level_of_rank(level)) * activity_support(p.w[1] > 0.0, r)
        };
        let score =
            p.w[0] * activity + p.w[1] * text + p.w[2] * certs + p.w[3] * proximity + p.w[4] * size;
        let relevance = if p.w[0] + p.w[1] > 0.0 {
            (p.w[0] * activity + p.w[1] * text) / (p.w[0] + p.w[1])
        } else {
            0.0
        };
        Assessed {
            level,
            activity,
            relevance,
            text,
            valid,
            size,
            size_ok,
            proximity,
            // Rounded as shown, so that equal scores shown are ordered by document.
            score: if score.is_finite() {
                ((1000.0 * score).round() / 10.0).clamp(0.0, 100.0)
            } else {
                0.0
            },
            complete: valid == p.all_required && size_ok,
        }
    }

    /// [`MatchIndex::assess`] of one document, as [`MatchIndex::rank`] sees it.
    #[cfg(test)]
    fn assess_doc(&self, need: &NeedQuery, today: Date, doc: u32) -> Assessed {
        let p = self.prepare(need, today);
        let s: f32 = p
            .terms
            .iter()
            .map(|(t, f)| f * self.text.term_score(t, doc))
            .sum();
        let r = if p.query_weight > 0.0 {
            s * (1.0 / p.query_weight)
        } else {
            0.0
        };
        let level = if p.need_codes.is_empty() {
            0
        } else {
            self.best_level(&p.table, doc as usize)
        };
        self.assess(&p, doc as usize, level, r)
    }

    /// The best `limit` organisations for `need` on `today` (certifications are
    /// valid on that day).
    pub fn rank(&self, need: &NeedQuery, today: Date, limit: usize) -> Ranking {
        let p = self.prepare(need, today);
        let empty = Ranking {
            matches: Vec::new(),
            answerable: false,
            candidates: 0,
        };
        if p.need_codes.is_empty() && p.terms.is_empty() {
            return empty;
        }
        let bound = self.attrs.len();
        let mut text = Vec::new();
        if !p.terms.is_empty() {
            text = vec![0.0f32; bound];
            for (t, factor) in &p.terms {
                self.text.add_term_scores(t, *factor, &mut text);
            }
        }
        let inv_q = if p.query_weight > 0.0 {
            1.0 / p.query_weight
        } else {
            0.0
        };
        let section = level_rank(CnaeLevel::Section);
        let division = level_rank(CnaeLevel::Division);

        // (key, relative text score) per candidate; smaller key ranks first.
        let mut hits: Vec<(u64, f32)> = Vec::new();
        let mut answerable = false;
        for (d, a) in self.attrs.iter().enumerate() {
            if a.flags & LIVE == 0 {
                continue;
            }
            let level = if p.need_codes.is_empty() {
                0
            } else {
                self.best_level(&p.table, d)
            };
            let r = text.get(d).map_or(0.0, |s| s * inv_q);
            let candidate = level >= division || r >= TEXT_MIN || (level == section && r > 0.0);
            if !candidate {
                continue;
            }
            let x = self.assess(&p, d, level, r);
            answerable |= x.complete;
            hits.push((rank_key(x.first(), x.score, d as u32), r));
        }
        let candidates = hits.len();
        let n = limit.min(hits.len());
        if n < hits.len() && n > 0 {
            hits.select_nth_unstable_by_key(n - 1, |h| h.0);
        }
        hits.truncate(n);
        hits.sort_unstable_by_key(|h| h.0);
        let matches = hits
            .iter()
            .map(|&(key, r)| self.explain(&p, (key & 0xFFFF_FFFF) as u32, r))
            .collect();
        Ranking {
            matches,
            answerable,
            candidates,
        }
    }

    /// One ranked organisation with its reasons.
    fn explain(&self, p: &Prepared<'_>, doc: u32, r: f32) -> Match {
        let d = doc as usize;
        let level = if p.need_codes.is_empty() {
            0
        } else {
            self.best_level(&p.table, d)
        };
        let x = self.assess(p, d, level, r);
        let mut positive: Vec<Reason> = Vec::new();
        let mut missing: Vec<Reason> = Vec::new();

        if x.level > 0 {
            let codes: Vec<u16> = self.doc_codes(d);
            let best = p
                .need_codes
                .iter()
                .flat_map(|(n, stored)| codes.iter().map(move |&c| (n, stored, c)))
                .filter_map(|(&n, stored, c)| packed_closeness(n, c).map(|l| (l, stored, c)))
                .max_by_key(|&(l, _, c)| (l, std::cmp::Reverse(c)));
            if let Some((level, need_code, org_code)) = best {
                positive.push(Reason::Cnae {
                    need_code: need_code.clone(),
                    org_code: unpack_code(org_code),
                    level,
                    points: points(p.w[0] * x.activity),
                });
            }
        }
        if x.text > 0.0 {
            let words: Vec<String> = p
                .terms
                .iter()
                .zip(&p.shown)
                .filter(|((t, _), _)| self.text.term_score(t, doc) > 0.0)
                .map(|(_, shown)| shown.clone())
                .collect();
            if !words.is_empty() {
                positive.push(Reason::Text {
                    words,
                    points: points(p.w[1] * x.text),
                });
            }
        }
        let each = p.w[2] / p.required.len().max(1) as f32;
        for (i, required) in p.required.iter().enumerate() {
            let bit = 1u64 << i;
            let holding = self.held_of(d).iter().filter(|h| {
                p.satisfies
                    .get(h.cert as usize)
                    .is_some_and(|m| m & bit != 0)
            });
            let name = |h: &Held| self.cert_names.get(h.cert as usize).map_or("", |n| &**n);
            // The one lasting longest; equal ones by name (ids depend on the order
            // documents were added in).
            let longest =
                |a: &&Held, b: &&Held| a.expires.cmp(&b.expires).then_with(|| name(b).cmp(name(a)));
            let date = |h: &Held| {
                (h.expires != NO_EXPIRY)
                    .then(|| Date::from_julian_day(h.expires).ok())
                    .flatten()
            };
            if x.valid & bit != 0 {
                // The valid one lasting longest.
                if let Some(h) = holding.filter(|h| h.expires >= p.today).max_by(longest) {
                    positive.push(Reason::Certification {
                        required: (*required).to_owned(),
                        held: name(h).to_owned(),
                        expires_on: date(h),
                        points: points(each),
                    });
                }
            } else if let Some(h) = holding.max_by(longest)
                && let Some(expired_on) = date(h)
            {
                missing.push(Reason::CertificationExpired {
                    required: (*required).to_owned(),
                    held: name(h).to_owned(),
                    expired_on,
                });
            } else {
                missing.push(Reason::CertificationMissing {
                    required: (*required).to_owned(),
                });
            }
        }
        if p.has_place {
            let pts = points(p.w[3] * x.proximity);
            match proximity(p.need, &self.attrs[d]).1 {
                Place::SameMunicipality => positive.push(Reason::SameMunicipality { points: pts }),
                Place::InDistrict => positive.push(Reason::InDistrict { points: pts }),
                Place::Distance(km) => positive.push(Reason::Distance {
                    km: ((km * 10.0).round() / 10.0) as f32,
                    points: pts,
                }),
                Place::Unknown => {}
            }
        }
        if let Some(required) = p.need.min_size {
            match size_band(self.attrs[d].size) {
                Some(size) if x.size_ok => positive.push(Reason::SizeFits {
                    required,
                    size,
                    points: points(p.w[4] * x.size),
                }),
                Some(size) => missing.push(Reason::SizeTooSmall { required, size }),
                None => missing.push(Reason::SizeUnknown { required }),
            }
        }
        positive.sort_by(|a, b| reason_points(b).total_cmp(&reason_points(a)));
        positive.extend(missing);
        Match {
            doc,
            score: x.score,
            complete: x.complete,
            reasons: positive,
        }
    }

    /// Moves every document's certifications together, in document order.
    fn compact_held(&mut self) {
        let mut held = Vec::with_capacity(self.held_used);
        for (d, a) in self.attrs.iter().enumerate() {
            let at = self.held_at[d] as usize;
            let run = self
                .held
                .get(at..at + usize::from(a.certs))
                .unwrap_or_default();
            // Fewer entries than before: the positions fit.
            self.held_at[d] = u32::try_from(held.len()).unwrap_or(u32::MAX);
            held.extend_from_slice(run);
        }
        self.held = held;
    }

    fn held_of(&self, d: usize) -> &[Held] {
        let at = self.held_at[d] as usize;
        let n = usize::from(self.attrs[d].certs);
        self.held.get(at..at + n).unwrap_or_default()
    }

    fn doc_codes(&self, d: usize) -> Vec<u16> {
        let inline = &self.codes[d];
        if inline[INLINE_CODES - 1] == MORE_CODES {
            return self
                .more_codes
                .get(&(d as u32))
                .map_or_else(Vec::new, |c| c.to_vec());
        }
        inline.iter().copied().filter(|&c| c != NO_CODE).collect()
    }
}

/// Words of a need that say nothing about who could answer it, as typed (they
/// are compared by their analysed terms, so plurals and accents follow): the
/// need's own framing ("necesitamos", "buscamos", "según"), quantities and
/// time ("unos", "año", "mensual", "aproximadamente", "tamaño") and units
/// ("kV", "MW", "toneladas"). Numbers written as words are not among them: "cinco
/// ejes" is a machine, not a quantity. The directory's search keeps them all;
/// only the ranking of a need skips them ([`is_noise`]).
pub const FILLER_WORDS: &[&str] = &[
    // Framing of a request.
    "buscamos",
    "necesitamos",
    "necesita",
    "necesitan",
    "queremos",
    "quiere",
    "solicitamos",
    "requerimos",
    "precisamos",
    "exigimos",
    "exige",
    "preferimos",
    "pedimos",
    "pide",
    "podemos",
    "pueda",
    "puedan",
    "debe",
    "deben",
    "tenemos",
    "tener",
    "tiene",
    "hacer",
    "haga",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "nosotros",
    "nos",
    "este",
    "esta",
    "estos",
    "estas",
    "ese",
    "esa",
    "cada",
    "todo",
    "toda",
    "todos",
    "todas",
    "otro",
    "otra",
    "otros",
    "mismo",
    "misma",
    "cual",
    "quien",
    "donde",
    "cuando",
    "si",
    "no",
    "ni",
    "pero",
    "bien",
    "muy",
    "mas",
    "menos",
    "tambien",
    "ya",
    "hay",
    "ser",
    "estar",
    "esta",
    "son",
    "sea",
    "le",
    "les",
    "segun",
    "sobre",
    "entre",
    "desde",
    "hasta",
    "hacia",
    "durante",
    "mediante",
    "tras",
    "ante",
    "dentro",
    "cerca",
    "vez",
    "veces",
    "etc",
    "incluye",
    "incluido",
    "posible",
    "imprescindible",
    "obligatorio",
    "empresa",
    "empresas",
    // Quantities and time.
    "unos",
    "unas",
    "aproximadamente",
    "aproximado",
    "alrededor",
    "total",
    "maximo",
    "minimo",
    "tamano",
    "cantidad",
    "numero",
    "ano",
    "anos",
    "anual",
    "mes",
    "meses",
    "mensual",
    "mensuales",
    "semana",
    "semanas",
    "semanal",
    "semanales",
    "dia",
    "dias",
    "diario",
    "diarios",
    "hora",
    "horas",
    "plazo",
    "plazos",
    "fecha",
    "actual",
    "actualmente",
    "nuevo",
    "nueva",
    // Units.
    "kv",
    "kva",
    "kw",
    "kwh",
    "mw",
    "mwh",
    "km",
    "kg",
    "mm",
    "cm",
    "m2",
    "m3",
    "tn",
    "ton",
    "toneladas",
    "litros",
    "metros",
    "kilos",
    "unidades",
];

/// Whether a word of a need is noise for the ranking: a single character
/// ("t" of "2.000 t", "m" of "60 x 30 m"; but for the letters of an acronym such as
/// "I+D", which the ranking keeps), a number of fewer than four
/// digits (quantities; "9001" or "1090" name standards and stay), or a
/// [`FILLER_WORDS`] word.
pub fn is_noise(term: &QueryTerm) -> bool {
    noise(&term.word, &term.term)
}

/// [`is_noise`] of a folded word and its analysed term.
fn noise(word: &str, term: &str) -> bool {
    let chars = word.chars().count();
    if chars < 2 || (chars < 4 && word.chars().all(char::is_numeric)) {
        return true;
    }
    filler_terms()
        .binary_search_by(|t| t.as_str().cmp(term))
        .is_ok()
}

/// The letters of acronyms written with `+` or `&` in a need ("I+D", "I+D+i",
/// "R&D", "C+E"), folded: a single character is a word there, not noise.
fn acronym_letters(title: &str, text: &str) -> Vec<String> {
    let mut letters: Vec<String> = Vec::new();
    for chunk in [title, text].iter().flat_map(|t| t.split_whitespace()) {
        let chunk = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if !chunk.contains(['+', '&']) {
            continue;
        }
        let parts: Vec<&str> = chunk.split(['+', '&']).collect();
        if parts.len() >= 2
            && parts
                .iter()
                .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
        {
            for p in parts {
                let letter = fold(p);
                if !letters.contains(&letter) {
                    letters.push(letter);
                }
            }
        }
    }
    letters
}

/// Each searched word as the need wrote it, lower case with its accents
/// ("transformación", not the folded "transformacion"), for the reasons.
fn shown_words(need: &NeedQuery, terms: &[(QueryTerm, f32)]) -> Vec<String> {
    let written: Vec<&str> = need
        .title
        .split(|c: char| !c.is_alphanumeric())
        .chain(need.text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    terms
        .iter()
        .map(|(t, _)| {
            written
                .iter()
                .find(|w| crate::text::fold(w) == t.word)
                .map_or_else(|| t.word.clone(), |w| w.to_lowercase())
        })
        .collect()
}

/// The analysed terms of [`FILLER_WORDS`], sorted.
fn filler_terms() -> &'static [String] {
    static TERMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TERMS.get_or_init(|| {
        let mut terms = crate::search::analyze(&FILLER_WORDS.join(" "));
        terms.sort_unstable();
        terms.dedup();
        terms
    })
}

/// The text fields of an organisation, in the order of [`FIELD_WEIGHTS`].
fn text_fields(org: &OrgProfile) -> [&str; 4] {
    [
        org.capabilities.as_str(),
        org.description.as_str(),
        org.cnae_titles.as_str(),
        org.name.as_str(),
    ]
}

/// How much of its activity an organisation keeps with the relative text score
/// `r`, when the need has words to search ... (see [`ACTIVITY_WITHOUT_TEXT`]).
pub fn activity_support(need_has_words: bool, r: f32) -> f32 {
    if !need_has_words {
        return 1.0;
    }
    let r = if r.is_nan() { 0.0 } else { r };
    ACTIVITY_WITHOUT_TEXT + (1.0 - ACTIVITY_WITHOUT_TEXT) * (r / TEXT_MIN).clamp(0.0, 1.0)
}

/// The text component of a relative text score `r` (see [`TEXT_HALF`]).
pub fn text_component(r: f32) -> f32 {
    if r.is_nan() || r <= 0.0 {
        return 0.0;
    }
    ((1.0 + TEXT_HALF) * r / (r + TEXT_HALF)).min(1.0)
}

/// Points of a weighted component, 0–100, rounded to one decimal.
fn points(weighted: f32) -> f32 {
    (weighted * 1000.0).round() / 10.0
}

fn reason_points(r: &Reason) -> f32 {
    match r {
        Reason::Cnae { points, .. }
        | Reason::Text { points, .. }
        | Reason::Certification { points, .. }
        | Reason::SameMunicipality { points }
        | Reason::InDistrict { points }
        | Reason::Distance { points, .. }
        | Reason::SizeFits { points, .. } => *points,
        _ => 0.0,
    }
}

/// Smaller ranks first: the first block (complete and relevant), then score
/// descending, then document.
fn rank_key(first: bool, score: f32, doc: u32) -> u64 {
    // Scores are finite and non-negative: their bits grow with them, below 2^31.
    let bits = u64::from(score.max(0.0).to_bits() & 0x7FFF_FFFF);
    (u64::from(!first) << 63) | ((0x7FFF_FFFF - bits) << 32) | u64::from(doc)
}

enum Place {
    SameMunicipality,
    InDistrict,
    Distance(f64),
    Unknown,
}

/// The proximity component of an organisation and where it stands.
fn proximity(need: &NeedQuery, a: &Attrs) -> (f32, Place) {
    if need
        .municipality
        .is_some_and(|m| m != 0 && m == a.municipality)
    {
        return (PROX_SAME_MUNICIPALITY, Place::SameMunicipality);
    }
    if a.flags & IN_DISTRICT != 0 {
        return (PROX_IN_DISTRICT, Place::InDistrict);
    }
    match need.location {
        Some(at) if a.lat.is_finite() && a.lon.is_finite() => {
            let km = distance_km(at, (f64::from(a.lat), f64::from(a.lon)));
            (proximity_at(km), Place::Distance(km))
        }
        _ => (PROX_UNKNOWN, Place::Unknown),
    }
}

/// [`proximity`]'s component, with the distance on a plane (equirectangular, at
/// the mean latitude): within a few hundred metres of the great circle up to [`PROX_FAR_KM`]
/// at Spain's latitudes, several times faster, for the scan over every candidate.
fn fast_proximity(p: &Prepared<'_>, a: &Attrs) -> f32 {
    if p.need
        .municipality
        .is_some_and(|m| m != 0 && m == a.municipality)
    {
        return PROX_SAME_MUNICIPALITY;
    }
    if a.flags & IN_DISTRICT != 0 {
        return PROX_IN_DISTRICT;
    }
    match p.at {
        Some((lat, lon, cos, sin)) if a.lat.is_finite() && a.lon.is_finite() => {
            let dy = f64::from(a.lat).to_radians() - lat;
            // The cosine of the mean latitude, to first order.
            let dx = (f64::from(a.lon).to_radians() - lon) * (cos - sin * dy / 2.0);
            proximity_at(EARTH_RADIUS_KM * (dx * dx + dy * dy).sqrt())
        }
        _ => PROX_UNKNOWN,
    }
}

/// The proximity component at `km` outside the district: flat to
/// [`PROX_NEAR_KM`], then falling linearly to 0 at [`PROX_FAR_KM`].
fn proximity_at(km: f64) -> f32 {
    if !km.is_finite() || km >= PROX_FAR_KM {
        0.0
    } else if km <= PROX_NEAR_KM {
        PROX_NEAR
    } else {
        PROX_NEAR * ((PROX_FAR_KM - km) / (PROX_FAR_KM - PROX_NEAR_KM)) as f32
    }
}

fn size_code(size: Option<SizeBand>) -> u8 {
    match size {
        None => 0,
        Some(SizeBand::Micro) => 1,
        Some(SizeBand::Small) => 2,
        Some(SizeBand::Medium) => 3,
        Some(SizeBand::Large) => 4,
    }
}

fn size_band(code: u8) -> Option<SizeBand> {
    match code {
        1 => Some(SizeBand::Micro),
        2 => Some(SizeBand::Small),
        3 => Some(SizeBand::Medium),
        4 => Some(SizeBand::Large),
        _ => None,
    }
}

fn level_rank(level: CnaeLevel) -> u8 {
    match level {
        CnaeLevel::Section => 1,
        CnaeLevel::Division => 2,
        CnaeLevel::Group => 3,
        CnaeLevel::Class => 4,
    }
}

fn level_of_rank(rank: u8) -> CnaeLevel {
    match rank {
        0 | 1 => CnaeLevel::Section,
        2 => CnaeLevel::Division,
        3 => CnaeLevel::Group,
        _ => CnaeLevel::Class,
    }
}

/// The CNAE-2025 section (0 = A, …) of a division; `None` for a number no
/// section holds.
fn section_of_division(division: u16) -> Option<u8> {
    let letter = match division {
        1..=3 => b'A',
        5..=9 => b'B',
        10..=33 => b'C',
        35 => b'D',
        36..=39 => b'E',
        41..=43 => b'F',
        // 45 is CNAE-2009's motor trade, within G in both.
        45..=47 => b'G',
        49..=53 => b'H',
        55..=56 => b'I',
        58..=60 => b'J',
        61..=63 => b'K',
        64..=66 => b'L',
        68 => b'M',
        69..=75 => b'N',
        77..=82 => b'O',
        84 => b'P',
        85 => b'Q',
        86..=88 => b'R',
        90..=93 => b'S',
        94..=96 => b'T',
        97..=98 => b'U',
        99 => b'V',
        _ => return None,
    };
    Some(letter - b'A')
}

/// A stored code packed in a `u16`, `None` when not a CNAE code.
fn pack_code(code: &str) -> Option<u16> {
    let code = normalize_cnae(code)?;
    let b = code.as_bytes();
    if b.len() == 1 {
        return Some(SECTION_BASE + u16::from(b[0] - b'A'));
    }
    let n: u16 = code.parse().ok()?;
    Some(match b.len() {
        2 => DIVISION_BASE + n,
        3 => GROUP_BASE + n,
        _ => n,
    })
}

/// The stored form of a packed code.
fn unpack_code(packed: u16) -> String {
    match packed {
        ..GROUP_BASE => format!("{packed:04}"),
        GROUP_BASE..DIVISION_BASE => format!("{:03}", packed - GROUP_BASE),
        DIVISION_BASE..SECTION_BASE => format!("{:02}", packed - DIVISION_BASE),
        _ => char::from(b'A' + (packed.saturating_sub(SECTION_BASE)).min(25) as u8).to_string(),
    }
}

/// The digits of a packed code (most significant first) and how many; 0 for a section.
fn digits(packed: u16) -> ([u16; 4], usize) {
    match packed {
        ..GROUP_BASE => (
            [
                packed / 1000,
                packed / 100 % 10,
                packed / 10 % 10,
                packed % 10,
            ],
            4,
        ),
        GROUP_BASE..DIVISION_BASE => {
            let n = packed - GROUP_BASE;
            ([n / 100, n / 10 % 10, n % 10, 0], 3)
        }
        DIVISION_BASE..SECTION_BASE => {
            let n = packed - DIVISION_BASE;
            ([n / 10, n % 10, 0, 0], 2)
        }
        _ => ([0; 4], 0),
    }
}

fn packed_section(packed: u16) -> Option<u8> {
    if (SECTION_BASE..SECTION_BASE + 26).contains(&packed) {
        return u8::try_from(packed - SECTION_BASE).ok();
    }
    let (d, len) = digits(packed);
    if len < 2 {
        return None;
    }
    section_of_division(d[0] * 10 + d[1])
}

fn packed_closeness(a: u16, b: u16) -> Option<CnaeLevel> {
    let (da, la) = digits(a);
    let (db, lb) = digits(b);
    let shared = da
        .iter()
        .zip(&db)
        .take(la.min(lb))
        .take_while(|(x, y)| x == y)
        .count();
    match shared {
        4 => return Some(CnaeLevel::Class),
        3 => return Some(CnaeLevel::Group),
        2 => return Some(CnaeLevel::Division),
        _ => {}
    }
    let (sa, sb) = (packed_section(a)?, packed_section(b)?);
    (sa == sb).then_some(CnaeLevel::Section)
}

/// The words of a certification's name: folded, split on anything not a letter
/// or digit and between letters and digits ("ISO9001" is "iso 9001"), without a
/// leading "une" (the Spanish adoption: "UNE-EN 1090" is "EN 1090"), an "en"
/// before "iso" ("EN ISO 9001" is "ISO 9001") and "iec" ("ISO/IEC 27001").
fn cert_tokens(name: &str) -> Vec<String> {
    let folded = fold(name);
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if cur
            .chars()
            .last()
            .is_some_and(|p| p.is_numeric() != c.is_numeric())
        {
            tokens.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens.retain(|t| t != "iec");
    if tokens.first().is_some_and(|t| t == "une") {
        tokens.remove(0);
    }
    if tokens.len() > 1 && tokens[0] == "en" && tokens[1] == "iso" {
        tokens.remove(0);
    }
    tokens
}

/// A word a held certification may carry beyond the required one: a year
/// ("2015"), a part ("1"), an amendment ("a", "1").
fn tolerated_suffix(token: &str) -> bool {
    let numeric = token.chars().all(|c| c.is_ascii_digit());
    (numeric && (token.len() <= 2 || token.len() == 4)) || token == "a"
}

/// Whether a held certification ("ISO 9001:2015", "iso-9001") satisfies a
/// required one ("ISO 9001"): the same standard after folding case, accents,
/// punctuation and a trailing year; a required year must match.
///
/// Also tolerated: the Spanish "UNE" prefix, a part number and amendments after
/// the standard ("EN 1090" is satisfied by "UNE-EN 1090-1:2011+A1").
pub fn certification_satisfies(required: &str, held: &str) -> bool {
    tokens_satisfy(&cert_tokens(required), &cert_tokens(held))
}

/// [`certification_satisfies`] on the names' words ([`cert_tokens`]).
fn tokens_satisfy(required: &[String], held: &[String]) -> bool {
    if required.is_empty() || held.len() < required.len() {
        return false;
    }
    let (head, rest) = held.split_at(required.len());
    head == required && rest.iter().all(|t| tolerated_suffix(t))
}

/// The closeness of two stored CNAE codes, `None` when not even the section is
/// shared. Section letters come from the division (01–03 A, 05–09 B, 10–33 C, …).
pub fn cnae_closeness(a: &str, b: &str) -> Option<CnaeLevel> {
    packed_closeness(pack_code(a)?, pack_code(b)?)
}

/// Great-circle distance in km between two WGS84 points.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Normalised discounted cumulative gain at `k` of a ranked list of graded
/// relevances (gains `2^rel - 1`, log2 discount), against the ideal ordering of
/// `all_judged` (every known relevance for the query). 1.0 when nothing is relevant.
pub fn ndcg_at(k: usize, ranked: &[u8], all_judged: &[u8]) -> f64 {
    fn dcg<'a>(k: usize, rels: impl Iterator<Item = &'a u8>) -> f64 {
        rels.take(k)
            .zip(0u32..)
            .map(|(&rel, i)| (2f64.powi(i32::from(rel)) - 1.0) / f64::from(i + 2).log2())
            .sum()
    }
    let mut ideal: Vec<u8> = all_judged.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(k, ideal.iter());
    if best <= 0.0 {
        return 1.0;
    }
    dcg(k, ranked.iter()) / best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);
    const TORRELAVEGA: u32 = 39087;
    const TORRELAVEGA_AT: (f64, f64) = (43.3494, -4.0479);
    const SANTANDER_AT: (f64, f64) = (43.4623, -3.8099);
    const BILBAO_AT: (f64, f64) = (43.2630, -2.9350);
    const MADRID_AT: (f64, f64) = (40.4168, -3.7038);

    fn org(name: &str, capabilities: &str, codes: &[&str]) -> OrgProfile {
        OrgProfile {
            name: name.to_owned(),
            capabilities: capabilities.to_owned(),
            cnae_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            ..OrgProfile::default()
        }
    }

    fn held(name: &str, expires: Option<Date>) -> (String, Option<Date>) {
        (name.to_owned(), expires)
    }

    fn electrical_need() -> NeedQuery {
        NeedQuery {
            title: "Mantenimiento de instalaciones eléctricas de alta tensión".to_owned(),
            text: "Revisiones periódicas de centros de transformación y líneas de alta \
                   tensión en la planta de Torrelavega."
                .to_owned(),
            cnae_codes: vec!["4321".to_owned()],
            required_certifications: vec!["ISO 9001".to_owned()],
            municipality: Some(TORRELAVEGA),
            location: Some(TORRELAVEGA_AT),
            min_size: None,
        }
    }

    fn docs(ranking: &Ranking) -> Vec<u32> {
        ranking.matches.iter().map(|m| m.doc).collect()
    }

    #[test]
    fn cnae_levels_and_sections() {
        use CnaeLevel::*;
        assert_eq!(cnae_closeness("4321", "4321"), Some(Class));
        assert_eq!(cnae_closeness("43.21", "4321"), Some(Class));
        assert_eq!(cnae_closeness("4321", "4322"), Some(Group));
        assert_eq!(cnae_closeness("432", "4322"), Some(Group));
        assert_eq!(cnae_closeness("4321", "4399"), Some(Division));
        assert_eq!(cnae_closeness("43", "4321"), Some(Division));
        assert_eq!(cnae_closeness("4321", "4120"), Some(Section), "both F");
        assert_eq!(cnae_closeness("F", "4120"), Some(Section));
        assert_eq!(cnae_closeness("f", "F"), Some(Section));
        assert_eq!(cnae_closeness("4321", "2511"), None, "F and C");
        assert_eq!(cnae_closeness("G", "4321"), None);
        // CNAE-2025: J is 58–60, K 61–63.
        assert_eq!(cnae_closeness("5821", "6010"), Some(Section));
        assert_eq!(cnae_closeness("6010", "6201"), None);
        assert_eq!(cnae_closeness("K", "6201"), Some(Section));
        assert_eq!(
            cnae_closeness("0111", "0311"),
            Some(Section),
            "A keeps its zero"
        );
        assert_eq!(
            cnae_closeness("0111", "111"),
            None,
            "111 is a group of division 11"
        );
        // Not codes, or divisions no section holds.
        for bad in ["", "x", "12345", "43a", "AB", "-"] {
            assert_eq!(cnae_closeness(bad, "4321"), None, "{bad:?}");
        }
        assert_eq!(cnae_closeness("04", "0111"), None);
        assert_eq!(cnae_closeness("0400", "0400"), Some(Class));
    }

    #[test]
    fn packed_codes_round_trip() {
        for code in [
            "0111", "4321", "9900", "011", "432", "01", "99", "A", "V", "Z",
        ] {
            let packed = pack_code(code).unwrap();
            assert!(usize::from(packed) < CODE_SPACE, "{code}");
            assert_eq!(unpack_code(packed), code);
        }
    }

    #[test]
    fn certification_names_fold() {
        let yes = [
            ("ISO 9001", "ISO 9001:2015"),
            ("ISO 9001", "ISO-9001"),
            ("ISO 9001", "iso 9001 2015"),
            ("ISO 9001", "ISO9001"),
            ("ISO 9001", "UNE-EN ISO 9001:2015"),
            ("iso 9001:2015", "ISO 9001:2015"),
            ("EN 1090", "UNE-EN 1090-1"),
            ("EN 1090", "UNE-EN 1090-1:2011+A1"),
            ("UNE-EN 1090", "EN 1090-2"),
            ("ISO 27001", "ISO/IEC 27001:2022"),
            ("Certificación energética", "CERTIFICACION ENERGETICA"),
        ];
        for (required, held) in yes {
            assert!(
                certification_satisfies(required, held),
                "{required} by {held}"
            );
        }
        let no = [
            ("ISO 9001:2015", "ISO 9001:2008"),
            ("ISO 9001:2015", "ISO 9001"),
            ("ISO 9001", "ISO 14001"),
            ("ISO 9001", "ISO 90012"),
            ("ISO 14001", "ISO 9001"),
            ("EN 1090", "EN 10900"),
            ("ISO 45001", "OHSAS 18001"),
            ("ISO 9001", ""),
            ("", "ISO 9001"),
            ("ISO 9001", "ISO"),
            ("ISO 9001", "ISO 9001 medioambiental"),
        ];
        for (required, held) in no {
            assert!(
                !certification_satisfies(required, held),
                "{required} by {held}"
            );
        }
    }

    #[test]
    fn distances() {
        assert!(distance_km(TORRELAVEGA_AT, TORRELAVEGA_AT).abs() < 1e-9);
        let d = distance_km(TORRELAVEGA_AT, SANTANDER_AT);
        assert!((21.0..24.0).contains(&d), "{d}");
        let d = distance_km(SANTANDER_AT, MADRID_AT);
        assert!((330.0..340.0).contains(&d), "{d}");
        assert_eq!(
            distance_km(SANTANDER_AT, MADRID_AT),
            distance_km(MADRID_AT, SANTANDER_AT)
        );
        assert!((distance_km((0.0, 0.0), (0.0, 180.0)) - 20015.1).abs() < 1.0);
    }

    #[test]
    fn ndcg() {
        assert_eq!(ndcg_at(10, &[], &[]), 1.0);
        assert_eq!(ndcg_at(10, &[0, 0], &[0, 0, 0]), 1.0);
        assert!((ndcg_at(3, &[3, 2, 1], &[1, 2, 3, 0]) - 1.0).abs() < 1e-12);
        assert_eq!(ndcg_at(3, &[0, 0, 0], &[3]), 0.0);
        // One relevant (rel 1) found second instead of first: 1/log2(3).
        let got = ndcg_at(5, &[0, 1], &[1, 0]);
        assert!((got - 1.0 / 3f64.log2()).abs() < 1e-12, "{got}");
        // Graded: [2, 3] against ideal [3, 2].
        let dcg = 3.0 + 7.0 / 3f64.log2();
        let ideal = 7.0 + 3.0 / 3f64.log2();
        assert!((ndcg_at(2, &[2, 3], &[3, 2]) - dcg / ideal).abs() < 1e-12);
        // Only the first k count.
        assert_eq!(ndcg_at(1, &[0, 3], &[3]), 0.0);
        assert_eq!(ndcg_at(0, &[3], &[3]), 1.0);
    }

    /// A small district: the right electrician, one lacking the certificate,
    /// one whose certificate expired, a neighbour in the same division, a text-only
    /// match and unrelated firms.
    fn district() -> Vec<OrgProfile> {
        let mut right = org(
            "Electricidad Besaya",
            "Mantenimiento de instalaciones eléctricas de alta y media tensión, centros de transformación",
            &["4321"],
        );
        right.certifications = vec![held("ISO 9001:2015", Some(date!(2027 - 06 - 30)))];
        right.municipality = Some(TORRELAVEGA);
        right.in_district = true;
        right.location = Some(TORRELAVEGA_AT);
        right.size = Some(SizeBand::Small);

        let mut no_iso = org(
            "Instalaciones Pas",
            "Instalaciones eléctricas de alta tensión y mantenimiento",
            &["4321"],
        );
        no_iso.location = Some(SANTANDER_AT);
        no_iso.size = Some(SizeBand::Medium);

        let mut expired = org(
            "Tensión Norte",
            "Mantenimiento eléctrico de alta tensión",
            &["4321"],
        );
        expired.certifications = vec![held("ISO-9001", Some(date!(2026 - 11 - 30)))];
        expired.location = Some(BILBAO_AT);

        let mut plumber = org("Fontanería Reinosa", "Fontanería y calefacción", &["4322"]);
        plumber.certifications = vec![held("iso 9001 2015", None)];
        plumber.location = Some(MADRID_AT);

        let mut text_only = org(
            "Ingeniería Cantabria",
            "Ingeniería de alta tensión, proyectos de centros de transformación",
            &["7112"],
        );
        text_only.certifications = vec![held("ISO 9001", None)];
        text_only.in_district = true;

        let bakery = org("Panadería Suances", "Pan y bollería artesanos", &["1071"]);
        let mut bakery_iso = bakery.clone();
        bakery_iso.certifications = vec![held("ISO 9001", None)];
        bakery_iso.name = "Obrador Suances".to_owned();
        vec![
            right, no_iso, expired, plumber, text_only, bakery, bakery_iso,
        ]
    }

    fn district_index() -> MatchIndex {
        let orgs = district();
        MatchIndex::build((0u32..).zip(orgs.iter()))
    }

    #[test]
    fn the_right_firm_ranks_first_with_its_reasons() {
        let index = district_index();
        assert_eq!(index.len(), 7);
        let ranking = index.rank(&electrical_need(), TODAY, 10);
        assert!(ranking.answerable);
        // The bakeries are not candidates; everyone else is.
        assert_eq!(ranking.candidates, 5);
        assert!(!docs(&ranking).contains(&5) && !docs(&ranking).contains(&6));
        let first = &ranking.matches[0];
        assert_eq!(first.doc, 0);
        assert!(first.complete);
        assert!(first.score > 90.0, "{first:?}");
        let Reason::Cnae {
            need_code,
            org_code,
            level,
            points,
        } = &first.reasons[0]
        else {
            panic!("{:?}", first.reasons);
        };
        assert_eq!((need_code.as_str(), org_code.as_str()), ("4321", "4321"));
        assert_eq!(*level, CnaeLevel::Class);
        // No size asked: the other weights share its 3 points (40 / 0.97).
        assert_eq!(*points, 41.2);
        assert!(first.reasons.iter().any(|r| matches!(
            r,
            Reason::Certification { required, held, expires_on: Some(_), points }
                if required == "ISO 9001" && held == "ISO 9001:2015" && *points == 15.5
        )));
        assert!(
            first
                .reasons
                .contains(&Reason::SameMunicipality { points: 7.2 })
        );
        let Some(Reason::Text { words, .. }) = first
            .reasons
            .iter()
            .find(|r| matches!(r, Reason::Text { .. }))
        else {
            panic!("{:?}", first.reasons);
        };
        for w in [
            "mantenimiento",
            "instalaciones",
            "eléctricas",
            "tensión",
            "transformación",
        ] {
            assert!(words.iter().any(|x| x == w), "{w} in {words:?}");
        }
        // The points add up to the score.
        let sum: f32 = first.reasons.iter().map(reason_points).sum();
        assert!((sum - first.score).abs() < 0.3, "{sum} vs {}", first.score);
    }

    #[test]
    fn relevant_complete_candidates_come_first_then_by_score() {
        let index = district_index();
        let ranking = index.rank(&electrical_need(), TODAY, 10);
        let complete: Vec<bool> = ranking.matches.iter().map(|m| m.complete).collect();
        // Complete: the right firm, the plumber (same group, valid ISO) and the
        // engineers (text only, ISO); not the two lacking a valid ISO 9001. Only the
        // right firm is also relevant enough to come first; the two high-voltage
        // firms lacking the certificate then outrank a plumber and engineers that
        // hold it, by score.
        assert_eq!(complete, [true, false, false, true, true]);
        assert_eq!(ranking.matches[0].doc, 0);
        let partial: Vec<u32> = docs(&ranking)[1..3].to_vec();
        assert!(partial.contains(&1) && partial.contains(&2), "{partial:?}");
        let weak: Vec<u32> = docs(&ranking)[3..].to_vec();
        assert!(weak.contains(&3) && weak.contains(&4), "{weak:?}");
        for m in &ranking.matches {
            let x = index.assess_doc(&electrical_need(), TODAY, m.doc);
            assert_eq!(x.first(), m.doc == 0, "{m:?}");
        }
        // The one lacking it is asked for it; the expired one is told when it expired.
        let m1 = ranking.matches.iter().find(|m| m.doc == 1).unwrap();
        assert_eq!(
            m1.reasons.last(),
            Some(&Reason::CertificationMissing {
                required: "ISO 9001".to_owned()
            })
        );
        let m2 = ranking.matches.iter().find(|m| m.doc == 2).unwrap();
        assert_eq!(
            m2.reasons.last(),
            Some(&Reason::CertificationExpired {
                required: "ISO 9001".to_owned(),
                held: "ISO-9001".to_owned(),
                expired_on: date!(2026 - 11 - 30),
            })
        );
        // Bilbao is 90 km away.
        assert!(m2.reasons.iter().any(|r| matches!(
            r,
            Reason::Distance { km, points } if (80.0..100.0).contains(km) && *points > 0.0 && *points < 4.0
        )));
        // The day before it expired, it was complete.
        let earlier = index.rank(&electrical_need(), date!(2026 - 11 - 30), 10);
        assert!(
            earlier
                .matches
                .iter()
                .find(|m| m.doc == 2)
                .unwrap()
                .complete
        );
        // After the first block, by score.
        for w in ranking.matches[1..].windows(2) {
            assert!(w[0].score >= w[1].score, "{w:?}");
        }
    }

    #[test]
    fn no_complete_candidate_means_not_answerable() {
        let index = district_index();
        let mut need = electrical_need();
        need.required_certifications = vec!["EN 1090".to_owned()];
        let ranking = index.rank(&need, TODAY, 3);
        assert!(!ranking.answerable);
        assert_eq!(ranking.matches.len(), 3);
        assert_eq!(ranking.candidates, 5);
        assert_eq!(ranking.matches[0].doc, 0, "the nearest partial match");
        assert!(ranking.matches.iter().all(|m| !m.complete));
    }

    #[test]
    fn a_certification_asked_twice_counts_once() {
        let index = district_index();
        let mut need = electrical_need();
        need.required_certifications = vec![
            "ISO 9001".to_owned(),
            " iso-9001 ".to_owned(),
            String::new(),
            "  ".to_owned(),
        ];
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(ranking, index.rank(&electrical_need(), TODAY, 10));
        let first = &ranking.matches[0];
        let certs = first
            .reasons
            .iter()
            .filter(|r| matches!(r, Reason::Certification { .. }))
            .count();
        assert_eq!(certs, 1, "{:?}", first.reasons);
    }

    #[test]
    fn a_size_asked_must_be_known_and_large_enough() {
        let index = district_index();
        let mut need = electrical_need();
        need.required_certifications.clear();
        need.min_size = Some(SizeBand::Medium);
        let ranking = index.rank(&need, TODAY, 10);
        let by_doc = |d: u32| ranking.matches.iter().find(|m| m.doc == d).unwrap();
        assert!(by_doc(1).complete, "medium fits");
        assert!(by_doc(1).reasons.iter().any(|r| matches!(
            r,
            Reason::SizeFits {
                required: SizeBand::Medium,
                size: SizeBand::Medium,
                ..
            }
        )));
        assert!(!by_doc(0).complete);
        assert!(by_doc(0).reasons.contains(&Reason::SizeTooSmall {
            required: SizeBand::Medium,
            size: SizeBand::Small
        }));
        assert!(!by_doc(2).complete);
        assert!(by_doc(2).reasons.contains(&Reason::SizeUnknown {
            required: SizeBand::Medium
        }));
        assert_eq!(ranking.matches[0].doc, 1);
        assert!(ranking.answerable);
    }

    #[test]
    fn without_codes_text_alone_finds_candidates() {
        let index = district_index();
        let need = NeedQuery {
            title: "Pan artesano para el comedor".to_owned(),
            ..NeedQuery::default()
        };
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(docs(&ranking), [5, 6]);
        assert!(ranking.answerable);
        assert_eq!(ranking.matches[0].score, ranking.matches[1].score);
        // Only the text counts: it weighs everything.
        assert!(matches!(
            ranking.matches[0].reasons.as_slice(),
            [Reason::Text { .. }]
        ));
        // Nothing to look for: nothing found.
        let nothing = index.rank(&NeedQuery::default(), TODAY, 10);
        assert!(nothing.matches.is_empty() && !nothing.answerable);
        assert_eq!(nothing.candidates, 0);
    }

    #[test]
    fn a_section_alone_is_not_enough_but_a_division_is() {
        let index = MatchIndex::build(
            [
                org("A", "", &["4120"]),
                org("B", "", &["43"]),
                org("C", "", &["F"]),
                org("D", "", &["2511"]),
            ]
            .iter()
            .enumerate()
            .map(|(i, o)| (i as u32, o)),
        );
        let need = NeedQuery {
            cnae_codes: vec!["4321".to_owned()],
            ..NeedQuery::default()
        };
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(docs(&ranking), [1]);
        assert_eq!(ranking.matches[0].score, 45.0);
        // A need for the whole section finds every firm of it, at section level.
        let need = NeedQuery {
            cnae_codes: vec!["F".to_owned()],
            ..NeedQuery::default()
        };
        assert!(index.rank(&need, TODAY, 10).matches.is_empty());
    }

    #[test]
    fn many_codes_are_all_matched() {
        let mut many = org(
            "Multi",
            "",
            &["0111", "1071", "2511", "3320", "4120", "4321"],
        );
        many.certifications = vec![held("ISO 9001", None)];
        let mut index = MatchIndex::new();
        index.upsert(3, &many);
        let need = NeedQuery {
            cnae_codes: vec!["4321".to_owned()],
            ..NeedQuery::default()
        };
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(docs(&ranking), [3]);
        assert!(matches!(
            &ranking.matches[0].reasons[0],
            Reason::Cnae { org_code, level: CnaeLevel::Class, .. } if org_code == "4321"
        ));
        // Replaced by fewer codes, then removed.
        index.upsert(3, &org("Multi", "", &["4321"]));
        assert_eq!(index.rank(&need, TODAY, 10).matches.len(), 1);
        index.upsert(3, &org("Multi", "", &["1071"]));
        assert!(index.rank(&need, TODAY, 10).matches.is_empty());
        assert_eq!(index.len(), 1);
        index.remove(3);
        index.remove(3);
        index.remove(99);
        assert!(index.is_empty());
    }

    #[test]
    fn common_words_of_a_long_text_are_not_searched() {
        // 100 firms mention "servicios"; only one mentions "galvanizado".
        let mut orgs: Vec<OrgProfile> = (0..100)
            .map(|i| org(&format!("Firma {i}"), "servicios industriales", &[]))
            .collect();
        orgs.push(org("Galvanizados", "galvanizado en caliente", &[]));
        let index = MatchIndex::build((0u32..).zip(orgs.iter()));
        let need = NeedQuery {
            title: "Galvanizado de estructuras".to_owned(),
            text: "Buscamos servicios industriales de galvanizado".to_owned(),
            ..NeedQuery::default()
        };
        let terms = index.query_terms(&need);
        let words: Vec<&str> = terms.iter().map(|(t, _)| t.word.as_str()).collect();
        assert_eq!(words, ["galvanizado"], "common and unknown words dropped");
        assert_eq!(terms[0].1, TITLE_FACTOR);
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(docs(&ranking), [100]);
    }

    #[test]
    fn quantities_units_single_letters_and_fillers_are_not_searched() {
        let orgs = [
            org(
                "I+D Materiales",
                "Proyectos de I+D en recubrimientos de acero",
                &[],
            ),
            org(
                "Tienda",
                "Tamaño XL, 2.000 artículos, 55 modelos, 1 t al año",
                &[],
            ),
            org(
                "Consultora",
                "Implantación de la ISO 9001 según la norma",
                &[],
            ),
            org("Redes", "Líneas de 55 kV y 12 kV", &[]),
        ];
        let index = MatchIndex::build((0u32..).zip(orgs.iter()));
        let need = NeedQuery {
            title: "I+D en recubrimientos".to_owned(),
            text: "Unos 2.000 t al año de acero, según tamaño, aproximadamente; \
                   ISO 9001; línea de 55 kV"
                .to_owned(),
            ..NeedQuery::default()
        };
        let terms = index.query_terms(&need);
        let words: Vec<&str> = terms.iter().map(|(t, _)| t.word.as_str()).collect();
        // The acronym's letters stay; the standard's number stays.
        assert_eq!(words, ["i", "d", "recubrimientos", "acero", "iso", "9001"]);
        // Without them the shop would match "2.000 t al año" and "tamaño", and the
        // grid firm "55 kV".
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(docs(&ranking), [0, 2], "{ranking:?}");
        assert_eq!(ranking.matches[0].doc, 0);
        // The filler list is folded and analysed: "años" and "Según" are fillers too.
        let noisy = |w: &str| {
            let term = crate::search::analyze(w).pop().unwrap();
            noise(&fold(w), &term)
        };
        for w in [
            "años",
            "Según",
            "TAMAÑO",
            "t",
            "55",
            "000",
            "kV",
            "necesitamos",
        ] {
            assert!(noisy(w), "{w}");
        }
        for w in ["9001", "12944", "acero", "cinco", "tig", "ot"] {
            assert!(!noisy(w), "{w}");
        }
        assert_eq!(
            acronym_letters("I+D+i", "R&D; C+E. a+bc"),
            ["i", "d", "r", "c", "e"]
        );
    }

    #[test]
    fn a_class_without_any_shared_word_keeps_half_its_activity() {
        let orgs = [
            org("Idiomas", "Cursos de inglés y alemán", &["8559"]),
            org(
                "Soldadura",
                "Formación de soldadores homologados",
                &["8559"],
            ),
        ];
        let index = MatchIndex::build((0u32..).zip(orgs.iter()));
        let mut need = NeedQuery {
            title: "Soldadores homologados".to_owned(),
            cnae_codes: vec!["8559".to_owned()],
            ..NeedQuery::default()
        };
        let ranking = index.rank(&need, TODAY, 10);
        assert_eq!(docs(&ranking), [1, 0]);
        let cnae_points = |m: &Match| {
            m.reasons
                .iter()
                .find_map(|r| match r {
                    Reason::Cnae { points, .. } => Some(*points),
                    _ => None,
                })
                .unwrap()
        };
        let full = 100.0 * W_ACTIVITY / (W_ACTIVITY + W_TEXT);
        assert!((cnae_points(&ranking.matches[0]) - full).abs() < 0.1);
        assert!((cnae_points(&ranking.matches[1]) - full / 2.0).abs() < 0.1);
        assert_eq!(ranking.matches[1].score, cnae_points(&ranking.matches[1]));
        // A need without words to search: the class is worth all of it.
        need.title.clear();
        let ranking = index.rank(&need, TODAY, 10);
        assert!(ranking.matches.iter().all(|m| m.score == 100.0));
        assert_eq!(activity_support(false, 0.0), 1.0);
        assert_eq!(activity_support(true, 0.0), ACTIVITY_WITHOUT_TEXT);
        assert_eq!(activity_support(true, TEXT_MIN), 1.0);
        assert_eq!(activity_support(true, f32::NAN), ACTIVITY_WITHOUT_TEXT);
    }

    #[test]
    fn at_most_sixteen_words_title_first() {
        let vocabulary: Vec<String> = (0..40).map(|i| format!("palabra{i}x")).collect();
        let orgs: Vec<OrgProfile> = vocabulary
            .iter()
            .enumerate()
            .map(|(i, _)| {
                // Word i is held by i + 1 firms: later words are commoner.
                let text: Vec<&str> = vocabulary[i..].iter().map(String::as_str).collect();
                org("", &text.join(" "), &[])
            })
            .collect();
        let index = MatchIndex::build((0u32..).zip(orgs.iter()));
        let need = NeedQuery {
            title: "palabra18x palabra17x".to_owned(),
            text: vocabulary.join(" "),
            ..NeedQuery::default()
        };
        let terms = index.query_terms(&need);
        assert_eq!(terms.len(), MAX_QUERY_WORDS);
        assert_eq!(terms[0].0.word, "palabra18x");
        assert_eq!(terms[1].0.word, "palabra17x");
        // Then the rarest of the text.
        assert_eq!(terms[2].0.word, "palabra0x");
        assert_eq!(terms[15].0.word, "palabra13x");
    }

    #[test]
    fn the_limit_cuts_the_page_not_the_count() {
        let index = district_index();
        let all = index.rank(&electrical_need(), TODAY, 100);
        let page = index.rank(&electrical_need(), TODAY, 2);
        assert_eq!(page.matches, all.matches[..2]);
        assert_eq!(page.candidates, all.candidates);
        let none = index.rank(&electrical_need(), TODAY, 0);
        assert!(none.matches.is_empty());
        assert!(none.answerable);
        assert_eq!(none.candidates, 5);
    }

    #[test]
    fn certifications_replaced_many_times_do_not_pile_up() {
        let mut index = district_index();
        let before = index.rank(&electrical_need(), TODAY, 10);
        let mut firm = district()[3].clone();
        for i in 0..3000 {
            // Growing and shrinking runs, moved to the end of the pool each time.
            firm.certifications = (0..=i % 5)
                .map(|k| held(&format!("ISO {}", 14000 + k), None))
                .collect();
            index.upsert(3, &firm);
            index.upsert(9, &firm);
            index.remove(9);
        }
        assert!(index.held.len() <= 2 * index.held_used + COMPACT_MIN);
        // Back to what it was: the same ranking.
        index.upsert(3, &district()[3]);
        assert_eq!(index.rank(&electrical_need(), TODAY, 10), before);
    }

    #[test]
    fn the_index_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<MatchIndex>();
    }

    #[test]
    fn stats_count_documents_and_bytes() {
        let index = district_index();
        let stats = index.stats();
        assert_eq!(stats.docs, 7);
        assert!(stats.terms > 10 && stats.postings > stats.terms);
        assert!(stats.approx_bytes > 7 * 16);
        assert_eq!(MatchIndex::default().len(), 0);
        assert_eq!(format!("{:?}", index), "MatchIndex { len: 7 }");
    }

    fn arb_org() -> impl Strategy<Value = OrgProfile> {
        let word = prop::sample::select(vec![
            "mantenimiento",
            "eléctrico",
            "tensión",
            "soldadura",
            "acero",
            "pan",
            "transporte",
            "alta",
            "instalaciones",
            "calderería",
        ]);
        let code = prop::sample::select(vec!["4321", "4322", "43", "F", "2511", "1071", "x"]);
        let cert = prop::sample::select(vec!["ISO 9001", "ISO 9001:2008", "EN 1090-1", ""]);
        (
            prop::collection::vec(word, 0..6),
            prop::collection::vec(code, 0..7),
            prop::collection::vec((cert, prop::option::of(0i32..60)), 0..3),
            prop::option::of(39080u32..39090),
            any::<bool>(),
            prop::option::of((43.0f64..43.6, -4.5f64..-3.5)),
            prop::option::of(prop::sample::select(SizeBand::ALL.to_vec())),
        )
            .prop_map(
                |(words, codes, certs, municipality, in_district, location, size)| OrgProfile {
                    name: words.first().map(|w| (*w).to_owned()).unwrap_or_default(),
                    capabilities: words.join(" "),
                    cnae_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
                    certifications: certs
                        .iter()
                        .map(|(c, days)| {
                            (
                                (*c).to_owned(),
                                days.map(|d| TODAY + time::Duration::days(i64::from(d) - 30)),
                            )
                        })
                        .collect(),
                    municipality,
                    in_district,
                    location,
                    size,
                    ..OrgProfile::default()
                },
            )
    }

    proptest! {
        #[test]
        fn rankings_are_ordered_bounded_and_independent_of_insertion(
            orgs in prop::collection::vec(arb_org(), 0..25),
            removed in prop::collection::vec(0u32..25, 0..4),
            limit in 0usize..30,
            min_size in prop::option::of(prop::sample::select(SizeBand::ALL.to_vec())),
            certs in prop::collection::vec(prop::sample::select(vec!["ISO 9001", "EN 1090"]), 0..3),
        ) {
            let mut need = electrical_need();
            need.min_size = min_size;
            need.required_certifications = certs.iter().map(|c| (*c).to_owned()).collect();
            let built = MatchIndex::build((0u32..).zip(orgs.iter()));
            let mut one_by_one = MatchIndex::new();
            for (i, o) in orgs.iter().enumerate().rev() {
                one_by_one.upsert(i as u32, o);
            }
            let mut built = built;
            for &d in &removed {
                built.remove(d);
                one_by_one.remove(d);
            }
            let a = built.rank(&need, TODAY, limit);
            let b = one_by_one.rank(&need, TODAY, limit);
            prop_assert_eq!(&a, &b);
            prop_assert!(a.matches.len() <= limit.min(a.candidates));
            prop_assert!(a.answerable || a.matches.iter().all(|m| !m.complete));
            let first = |m: &Match| built.assess_doc(&need, TODAY, m.doc).first();
            for m in &a.matches {
                prop_assert!(m.complete || !first(m));
            }
            for w in a.matches.windows(2) {
                let ordered = (first(&w[0]) && !first(&w[1]))
                    || (first(&w[0]) == first(&w[1])
                        && (w[0].score > w[1].score
                            || (w[0].score == w[1].score && w[0].doc < w[1].doc)));
                prop_assert!(ordered, "{:?}", w);
            }
            for m in &a.matches {
                prop_assert!((0.0..=100.0).contains(&m.score));
                prop_assert!(!removed.contains(&m.doc));
                let sum: f32 = m.reasons.iter().map(reason_points).sum();
                // Unknown places add points no reason names (0.3 of proximity).
                prop_assert!(sum <= m.score + 0.5, "{} > {}: {:?}", sum, m.score, m);
            }
        }

        /// Any history of upserts and removals ranks as a fresh build of what is left.
        #[test]
        fn updates_rank_as_a_fresh_build(
            ops in prop::collection::vec((0u32..8, prop::option::of(arb_org())), 0..30),
        ) {
            let mut updated = MatchIndex::new();
            let mut current: std::collections::BTreeMap<u32, OrgProfile> = Default::default();
            for (doc, org) in ops {
                match org {
                    Some(org) => {
                        updated.upsert(doc, &org);
                        current.insert(doc, org);
                    }
                    None => {
                        updated.remove(doc);
                        current.remove(&doc);
                    }
                }
            }
            let fresh = MatchIndex::build(current.iter().map(|(d, o)| (*d, o)));
            prop_assert_eq!(updated.len(), current.len());
            let mut need = electrical_need();
            need.required_certifications.push("EN 1090".to_owned());
            need.min_size = Some(SizeBand::Small);
            prop_assert_eq!(updated.rank(&need, TODAY, 10), fresh.rank(&need, TODAY, 10));
        }

        /// The plane used to score distances agrees with the great circle shown.
        #[test]
        fn fast_proximity_is_the_proximity(
            lat in 41.0f64..45.0, lon in -6.0f64..-2.0, municipality in 39000u32..39200,
        ) {
            let need = electrical_need();
            let index = MatchIndex::new();
            let p = index.prepare(&need, TODAY);
            let a = Attrs {
                lat: lat as f32,
                lon: lon as f32,
                municipality,
                ..Attrs::default()
            };
            let (exact, _) = proximity(&need, &a);
            prop_assert!((fast_proximity(&p, &a) - exact).abs() < 0.002, "{} vs {}", fast_proximity(&p, &a), exact);
        }

        #[test]
        fn closeness_is_symmetric(a in "[0-9]{2,4}|[A-Z]", b in "[0-9]{2,4}|[A-Z]") {
            prop_assert_eq!(cnae_closeness(&a, &b), cnae_closeness(&b, &a));
            if let Some(level) = cnae_closeness(&a, &b) {
                prop_assert!(level <= cnae_closeness(&a, &a).unwrap_or(CnaeLevel::Class));
            }
        }

        #[test]
        fn certification_matching_never_panics(a in "\\PC{0,20}", b in "\\PC{0,20}") {
            let _ = certification_satisfies(&a, &b);
            if !cert_tokens(&a).is_empty() {
                prop_assert!(certification_satisfies(&a, &a));
            }
        }

        #[test]
        fn ndcg_is_between_zero_and_one_for_a_judged_list(
            judged in prop::collection::vec(0u8..4, 0..20), k in 0usize..25,
        ) {
            let mut ranked = judged.clone();
            let n = ndcg_at(k, &ranked, &judged);
            prop_assert!((0.0..=1.0 + 1e-9).contains(&n));
            ranked.sort_unstable_by(|a, b| b.cmp(a));
            prop_assert!((ndcg_at(k, &ranked, &judged) - 1.0).abs() < 1e-9);
        }
    }
}
