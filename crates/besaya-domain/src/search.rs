//! Full-text search for the directory: Spanish analysis and BM25F ranking, in memory.
//!
//! Pure and deterministic: the same documents and the same query always give the same
//! results in the same order, whatever order the documents were added in.
//!
//! # Analysis
//!
//! [`analyze`] turns a text into the terms that are indexed and searched:
//!
//! 1. **Fold** the text as [`crate::text::fold`] does: lower case, no diacritics, so
//!    "FUNDICIÓN", "Fundición" and "fundicion" are the same word from here on.
//! 2. **Tokenise** on anything that is not alphanumeric ("S.L." gives "s" and "l";
//!    "'; DROP TABLE" gives "drop" and "table").
//! 3. **Drop stop words**: a short list of Spanish and English function words
//!    ("de", "la", "y", "the", "of", ...).
//! 4. Words made only of digits ("9001", "2451") are kept as they are. Other words are
//!    **stemmed** with the Snowball Spanish stemmer and the stem is folded again.
//!
//! The stemmer treats accents as meaningful: it strips "-ación" but not "-acion", "-ería"
//! but not "-eria". Stemming the accented word would make "calderería" and the
//! "caldereria" a user types without accents different terms. So the stem is always
//! taken from the folded word, which makes analysis accent-insensitive by construction.
//! Before stemming, the few endings that Spanish writes with an accent and whose accent
//! changes what the stemmer removes get it back ("-ción", "-logía", "-ería" but for a few
//! words such as "materia", and a handful of "-oría" words such as "asesoría"), so that
//! "reparación" and "reparaciones" still share a stem, and "asesoría" and "asesores".
//! In short, for a word `w`: `term = fold(stem(reaccent(fold(w))))`.
//!
//! # Ranking: BM25F
//!
//! A document has several fields (name, trade name, capabilities, ...), each with a
//! weight. For a term `t` and a document `d`, the term frequencies of the fields are
//! combined into one pseudo-frequency, each normalised by the field's length:
//!
//! ```text
//! tf'(t, d) = Σ_f  w_f · tf(t, d, f) / (1 − b + b · len(d, f) / avglen(f))
//! score(t, d) = idf(t) · tf' · (k1 + 1) / (k1 + tf')
//! idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
//! ```
//!
//! with `k1` = [`K1`], `b` = [`B`], `N` the number of documents and `df(t)` the number of
//! documents holding `t` in any field. A document's score is the sum over the query words.
//!
//! # Search as you type
//!
//! When the query does not end in white space or punctuation, its last word (if it has at least
//! [`MIN_PREFIX_CHARS`] characters) also matches the indexed terms it is a prefix of
//! ("fundi" finds "fundición"). When it matches no term either exactly or so, it matches
//! the longest indexed stem it already runs past ("mantenimi" finds "mantenimiento",
//! whose stem is "manten"), so that typing more letters does not lose a result. Such
//! matches score [`PREFIX_FACTOR`] times an exact one; the word counts with its best match.
//!
//! # Storage
//!
//! A term dictionary (`BTreeMap`, so that completions are a range), one postings list per
//! term sorted by document (8 bytes a posting: document, field, frequency), the token count
//! of each field of each document, and each document's list of term ids, so that removing
//! a document touches only its own terms (a binary search in each postings list).
//! Document ids are indexes chosen by the caller: keep them dense, since per-document
//! tables grow to the largest id. Build a whole index with [`TextIndex::upsert_many`].
//!
//! Costs, for 100,000 organisations of about 40 words (see `examples/search_bench.rs`):
//! about 45 MB; a search is linear in the postings of its words; an upsert or a removal
//! moves, in each of the document's postings lists, the entries after it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Bound;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::text::fold;

/// BM25 term-frequency saturation.
pub const K1: f32 = 1.2;
/// BM25 length normalisation (0 = none, 1 = full).
pub const B: f32 = 0.75;
/// How much a completion of the word being typed is worth, relative to an exact match.
pub const PREFIX_FACTOR: f32 = 0.5;
/// The shortest last word that is also matched as a prefix.
pub const MIN_PREFIX_CHARS: usize = 3;
/// How many fields an index can have; further weights are ignored.
pub const MAX_FIELDS: usize = 256;
/// The largest field weight; larger ones are lowered to it (scores stay finite).
pub const MAX_WEIGHT: f32 = 1e6;

/// The shortest stem that a word being typed can match by running past it.
const MIN_PASSED_STEM_CHARS: usize = 4;

/// Function words that carry no meaning for search, folded and sorted (binary search).
/// Kept short on purpose: "sin" (without) stays, since "sin plomo" is not "plomo".
const STOP_WORDS: [&str; 40] = [
    "a", "al", "an", "and", "at", "by", "como", "con", "de", "del", "e", "el", "en", "es", "for",
    "from", "in", "la", "las", "lo", "los", "o", "of", "on", "or", "para", "por", "que", "se",
    "su", "sus", "the", "to", "u", "un", "una", "unas", "unos", "with", "y",
];

/// Folded endings that Spanish writes with an acute accent, and which the stemmer only
/// recognises with it ("-ación" is removed, "-acion" is not). Longest first.
const ACCENTED_ENDINGS: [(&str, &str); 5] = [
    ("logias", "logías"),
    ("logia", "logía"),
    ("erias", "erías"),
    ("eria", "ería"),
    ("cion", "ción"),
];

/// Common words ending in "-eria" that really have no accent (sorted, singular).
const UNACCENTED_ERIA: [&str; 9] = [
    "arteria", "bacteria", "criteria", "feria", "iberia", "materia", "miseria", "nigeria", "seria",
];

/// Whole folded words ending in "-oria" that are written "-oría". The ending alone is not
/// enough: "obligatoria", "historia" and "accesoria" have no accent (sorted, singular).
const ACCENTED_ORIA: [&str; 6] = [
    "asesoria",
    "auditoria",
    "categoria",
    "consultoria",
    "mayoria",
    "teoria",
];

/// The analysed terms of `text`, in order, repeated as often as they occur.
///
/// See the [module documentation](self) for the chain. Accent- and case-insensitive:
/// `analyze(s) == analyze(&fold(s))`.
pub fn analyze(text: &str) -> Vec<String> {
    let stemmer = spanish();
    let mut out = Vec::new();
    analyze_into(&stemmer, text, &mut out);
    out
}

fn spanish() -> Stemmer {
    Stemmer::create(Algorithm::Spanish)
}

fn analyze_into(stemmer: &Stemmer, text: &str, out: &mut Vec<String>) {
    let folded = fold_words(text);
    out.extend(words(&folded).filter_map(|w| term_of(stemmer, w)));
}

/// [`fold`] for splitting into words: the same words, several times faster on the
/// mostly ASCII text of the directory (ASCII needs no Unicode normalisation). Unlike
/// `fold`, white space is not trimmed or collapsed, which makes no difference to words.
///
/// Decomposing character by character gives what decomposing the whole string does,
/// up to the order of combining marks, and those are all dropped.
fn fold_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// The words of an already folded text.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The term of one folded word, or `None` for a stop word.
fn term_of(stemmer: &Stemmer, word: &str) -> Option<String> {
    if is_stop_word(word) {
        return None;
    }
    if word.chars().all(char::is_numeric) {
        return Some(word.to_owned());
    }
    let accented = reaccent(word);
    let stem = stemmer.stem(accented.as_deref().unwrap_or(word));
    let term = if stem.is_ascii() {
        stem.into_owned()
    } else {
        fold(&stem)
    };
    Some(if term.is_empty() {
        word.to_owned()
    } else {
        term
    })
}

/// Gives a folded word back the accent of its ending when that accent is certain and
/// matters to the stemmer; `None` when the word is fine as it is.
fn reaccent(word: &str) -> Option<String> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    if ACCENTED_ORIA.binary_search(&singular).is_ok() {
        let plural = if singular.len() < word.len() { "s" } else { "" };
        let head = singular.strip_suffix("oria").unwrap_or(singular);
        return Some(format!("{head}oría{plural}"));
    }
    if UNACCENTED_ERIA.binary_search(&singular).is_ok() {
        return None;
    }
    ACCENTED_ENDINGS.iter().find_map(|(plain, accented)| {
        word.strip_suffix(plain)
            .filter(|head| !head.is_empty())
            .map(|head| format!("{head}{accented}"))
    })
}

/// Folded word -> its term id (`None` for a stop word), while building.
type WordMemo = HashMap<Box<str>, Option<u32>>;

/// One occurrence list entry: `tf` occurrences of a term in field `field` of `doc`.
/// Lists are sorted by `(doc, field)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    doc: u32,
    tf: u16,
    field: u8,
}

const _: () = assert!(size_of::<Posting>() == 8);

#[derive(Debug, Clone, Default)]
struct Term {
    text: Box<str>,
    postings: Vec<Posting>,
    /// Number of documents holding the term (postings has one entry per field).
    df: u32,
}

/// Why a document matched one query word: see [`TextIndex::explain`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TermMatch {
    /// The query word, folded, as typed ("soldaduras").
    pub word: String,
    /// The indexed term it matched ("soldadur").
    pub term: String,
    /// The fields holding the term, ascending, as indexes into the weights.
    pub fields: Vec<usize>,
    /// Whether the word is the one being typed and matched only as a prefix of the term
    /// (or the term as a stem it runs past), at [`PREFIX_FACTOR`].
    pub prefix: bool,
    /// This word's share of the document's score.
    pub score: f32,
}

/// One query word that is an indexed term, for callers that score documents
/// themselves (see [`TextIndex::query_terms`]). Valid for the index that made it,
/// until that index changes.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    /// The query word, folded, as typed ("soldaduras").
    pub word: String,
    /// The indexed term it matches exactly ("soldadur").
    pub term: String,
    /// Number of documents holding the term.
    pub df: u32,
    id: u32,
}

/// Size figures of an index, for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    pub docs: usize,
    pub terms: usize,
    /// One per (term, document, field).
    pub postings: usize,
    /// Heap bytes held, approximately (allocator and B-tree node slack not counted).
    pub approx_bytes: usize,
}

/// An in-memory full-text index of documents made of weighted text fields.
///
/// See the [module documentation](self) for the analysis and the ranking.
#[derive(Clone)]
pub struct TextIndex {
    weights: Vec<f32>,
    dict: BTreeMap<Box<str>, u32>,
    terms: Vec<Term>,
    /// Ids of terms no document holds any more, for reuse.
    free_terms: Vec<u32>,
    /// Per document id: its distinct term ids, `None` when not indexed.
    docs: Vec<Option<Box<[u32]>>>,
    /// Token count of field `f` of document `d` at `d * weights.len() + f`.
    field_lens: Vec<u32>,
    /// Per field: sum of `field_lens` over the indexed documents.
    total_lens: Vec<u64>,
    live: usize,
}

/// One query word and the terms that satisfy it.
struct Group {
    word: String,
    alts: Vec<Alt>,
}

#[derive(Clone, Copy)]
struct Alt {
    term: u32,
    factor: f32,
}

/// What BM25F needs beyond a term's postings, computed once per query.
struct Scorer<'a> {
    index: &'a TextIndex,
    n: f32,
    /// Per field, `b / avglen(f)`.
    len_factors: Vec<f32>,
}

impl Scorer<'_> {
    fn idf(&self, df: u32) -> f32 {
        let df = df as f32;
        (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The BM25F score of one term in one document, from that document's postings.
    fn score(&self, idf: f32, run: &[Posting]) -> f32 {
        let index = self.index;
        let nf = index.weights.len();
        let mut tf = 0.0f32;
        for p in run {
            let f = usize::from(p.field);
            let len = index.field_lens[p.doc as usize * nf + f] as f32;
            let norm = 1.0 - B + len * self.len_factors[f];
            tf += index.weights[f] * f32::from(p.tf) / norm;
        }
        idf * tf * (K1 + 1.0) / (K1 + tf)
    }
}

impl Default for TextIndex {
    /// An index with a single field of weight 1.
    fn default() -> Self {
        Self::new(vec![1.0])
    }
}

impl fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stats = self.stats();
        f.debug_struct("TextIndex")
            .field("weights", &self.weights)
            .field("docs", &stats.docs)
            .field("terms", &stats.terms)
            .field("postings", &stats.postings)
            .finish()
    }
}

impl TextIndex {
    /// An empty index whose documents have one field per weight, e.g. `[3.0, 3.0, 1.5,
    /// 1.0, 1.0]` for name, trade name, capabilities, description and CNAE titles.
    ///
    /// A weight that is negative or NaN counts as 0 (the field matches but adds nothing
    /// to the score); one above [`MAX_WEIGHT`] counts as that. At most [`MAX_FIELDS`] fields.
    pub fn new(mut weights: Vec<f32>) -> Self {
        weights.truncate(MAX_FIELDS);
        for w in &mut weights {
            *w = if *w > 0.0 { w.min(MAX_WEIGHT) } else { 0.0 };
        }
        let fields = weights.len();
        Self {
            weights,
            dict: BTreeMap::new(),
            terms: Vec::new(),
            free_terms: Vec::new(),
            docs: Vec::new(),
            field_lens: Vec::new(),
            total_lens: vec![0; fields],
            live: 0,
        }
    }

    /// The field weights, as sanitised by [`TextIndex::new`].
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Whether `doc` is indexed.
    pub fn contains(&self, doc: u32) -> bool {
        matches!(self.docs.get(doc as usize), Some(Some(_)))
    }

    /// Adds document `doc`, or replaces it if present, with one text per field in the order
    /// of the weights. Missing trailing fields are empty; fields beyond the weights are
    /// ignored. A document with no words still counts in [`TextIndex::len`].
    ///
    /// `doc` is an index: per-document tables grow to the largest id, so keep ids dense.
    pub fn upsert(&mut self, doc: u32, fields: &[&str]) {
        self.upsert_with(doc, fields, None);
    }

    /// [`TextIndex::upsert`] for many documents, e.g. to build the index at start-up:
    /// the same result, several times faster, as each distinct word is analysed once
    /// (the memo of analysed words lives for this call only). Spare capacity of the
    /// postings lists is released at the end.
    pub fn upsert_many<I, F, S>(&mut self, docs: I)
    where
        I: IntoIterator<Item = (u32, F)>,
        F: AsRef<[S]>,
        S: AsRef<str>,
    {
        let mut memo = WordMemo::new();
        for (doc, fields) in docs {
            self.upsert_with(doc, fields.as_ref(), Some(&mut memo));
        }
        // Growing by doubling leaves up to half of each list unused.
        for term in &mut self.terms {
            term.postings.shrink_to_fit();
        }
    }

    fn upsert_with<S: AsRef<str>>(
        &mut self,
        doc: u32,
        fields: &[S],
        mut memo: Option<&mut WordMemo>,
    ) {
        if self.remove_doc(doc) {
            // Term ids were freed and may be reused: forget them.
            if let Some(memo) = memo.as_deref_mut() {
                memo.clear();
            }
        }
        let nf = self.weights.len();
        let d = doc as usize;
        if d >= self.docs.len() {
            self.docs.resize(d + 1, None);
            self.field_lens.resize((d + 1) * nf, 0);
        }

        let stemmer = spanish();
        let mut field_terms: Vec<u32> = Vec::new();
        // (term id, field, frequency), one per distinct term of each field.
        let mut entries: Vec<(u32, u8, u16)> = Vec::new();
        for (f, text) in fields.iter().take(nf).enumerate() {
            field_terms.clear();
            let folded = fold_words(text.as_ref());
            for word in words(&folded) {
                let id = match memo.as_deref_mut() {
                    Some(memo) => match memo.get(word) {
                        Some(&id) => id,
                        None => {
                            let id = self.term_id(&stemmer, word);
                            memo.insert(word.into(), id);
                            id
                        }
                    },
                    None => self.term_id(&stemmer, word),
                };
                field_terms.extend(id);
            }
            let len = u32::try_from(field_terms.len()).unwrap_or(u32::MAX);
            self.field_lens[d * nf + f] = len;
            self.total_lens[f] += u64::from(len);
            field_terms.sort_unstable();
            for run in field_terms.chunk_by(|a, b| a == b) {
                let tf = u16::try_from(run.len()).unwrap_or(u16::MAX);
                // `f` < MAX_FIELDS = 256, so it fits.
                entries.push((run[0], f as u8, tf));
            }
        }

        entries.sort_unstable();
        let mut ids: Vec<u32> = Vec::new();
        for (id, field, tf) in entries {
            let term = &mut self.terms[id as usize];
            if ids.last() != Some(&id) {
                ids.push(id);
                term.df += 1;
            }
            let posting = Posting { doc, tf, field };
            let key = (doc, field);
            if term.postings.last().is_none_or(|p| (p.doc, p.field) < key) {
                term.postings.push(posting);
            } else {
                let at = term.postings.partition_point(|p| (p.doc, p.field) < key);
                term.postings.insert(at, posting);
            }
        }
        self.docs[d] = Some(ids.into_boxed_slice());
        self.live += 1;
    }

    /// The id of a word's term, created if new; `None` for a stop word.
    fn term_id(&mut self, stemmer: &Stemmer, word: &str) -> Option<u32> {
        term_of(stemmer, word).map(|term| self.intern(&term))
    }

    /// Removes document `doc`; nothing happens if it is not indexed.
    pub fn remove(&mut self, doc: u32) {
        self.remove_doc(doc);
    }

    /// Removes `doc` if indexed; whether that freed term ids.
    fn remove_doc(&mut self, doc: u32) -> bool {
        let d = doc as usize;
        let Some(ids) = self.docs.get_mut(d).and_then(Option::take) else {
            return false;
        };
        let mut freed = false;
        let nf = self.weights.len();
        let lens = &mut self.field_lens[d * nf..(d + 1) * nf];
        for (total, len) in self.total_lens.iter_mut().zip(lens) {
            *total -= u64::from(std::mem::take(len));
        }
        for &id in ids.iter() {
            let term = &mut self.terms[id as usize];
            let start = term.postings.partition_point(|p| p.doc < doc);
            let held = term.postings[start..]
                .iter()
                .take_while(|p| p.doc == doc)
                .count();
            term.postings.drain(start..start + held);
            term.df = term.df.saturating_sub(1);
            if term.df == 0 {
                let text = std::mem::take(&mut term.text);
                term.postings = Vec::new();
                self.dict.remove(&text);
                self.free_terms.push(id);
                freed = true;
            }
        }
        self.live -= 1;
        freed
    }

    /// The documents matching every word of the query, best first (score descending,
    /// then document ascending). Stop words are ignored; a query with no other word
    /// matches nothing. The last word may match as a prefix (see the module documentation).
    pub fn search(&self, query: &str) -> Vec<(u32, f32)> {
        let mut out = self.match_all(query);
        rank(&mut out);
        out
    }

    /// Like [`TextIndex::search`], but only the `limit` best results: cheaper when many
    /// documents match and one page is shown.
    /// Like [`TextIndex::search`], in no particular order: for callers that
    /// filter the hits first and rank only the page they show ([`top_hits`]).
    pub fn search_unranked(&self, query: &str) -> Vec<(u32, f32)> {
        self.match_all(query)
    }

    pub fn search_top(&self, query: &str, limit: usize) -> Vec<(u32, f32)> {
        let mut out = self.match_all(query);
        if limit < out.len() {
            out.select_nth_unstable_by_key(limit, rank_key);
            out.truncate(limit);
        }
        rank(&mut out);
        out
    }

    /// The documents matching every word of the query, with their scores, unordered.
    fn match_all(&self, query: &str) -> Vec<(u32, f32)> {
        let groups = self.groups(query);
        if groups.is_empty() || groups.iter().any(|g| g.alts.is_empty()) {
            return Vec::new();
        }
        let scorer = self.scorer();
        let ng = groups.len();

        // Start from the cheapest word, then keep the candidates every other word matches.
        let mut order: Vec<usize> = (0..ng).collect();
        order.sort_by_key(|&g| (self.cost(&groups[g]), g));
        let (first, rest) = match order.split_first() {
            Some((&first, rest)) => (first, rest),
            None => return Vec::new(),
        };
        let seed = self.group_scores(&scorer, &groups[first]);
        let mut docs: Vec<u32> = seed.iter().map(|&(d, _)| d).collect();
        // Per candidate, one score per query word, summed in query order at the end.
        let mut scores = vec![0.0f32; docs.len() * ng];
        for (row, &(_, s)) in scores.chunks_exact_mut(ng).zip(&seed) {
            row[first] = s;
        }

        for &g in rest {
            let mut best = vec![-1.0f32; docs.len()];
            for alt in &groups[g].alts {
                let term = &self.terms[alt.term as usize];
                let idf = scorer.idf(term.df);
                for_each_common(&term.postings, &docs, |i, run| {
                    best[i] = best[i].max(scorer.score(idf, run) * alt.factor);
                });
            }
            let mut kept = 0;
            for (i, &b) in best.iter().enumerate() {
                if b >= 0.0 {
                    docs[kept] = docs[i];
                    scores.copy_within(i * ng..(i + 1) * ng, kept * ng);
                    scores[kept * ng + g] = b;
                    kept += 1;
                }
            }
            docs.truncate(kept);
            scores.truncate(kept * ng);
            if docs.is_empty() {
                return Vec::new();
            }
        }

        docs.iter()
            .zip(scores.chunks_exact(ng))
            .map(|(&d, row)| (d, row.iter().fold(0.0, |sum, s| sum + s)))
            .collect()
    }

    /// The documents matching at least one word of the query (OR), each scored with the
    /// words it matches, ordered as [`TextIndex::search`]. A document matching every word
    /// gets the same score as in [`TextIndex::search`].
    pub fn search_any(&self, query: &str) -> Vec<(u32, f32)> {
        let groups = self.groups(query);
        if groups.iter().all(|g| g.alts.is_empty()) {
            return Vec::new();
        }
        let scorer = self.scorer();
        let mut sums = vec![0.0f32; self.docs.len()];
        let mut hit = vec![false; self.docs.len()];
        for group in &groups {
            for (d, s) in self.group_scores(&scorer, group) {
                sums[d as usize] += s;
                hit[d as usize] = true;
            }
        }
        let mut out: Vec<(u32, f32)> = (0u32..)
            .zip(sums.into_iter().zip(hit))
            .filter_map(|(d, (s, h))| h.then_some((d, s)))
            .collect();
        rank(&mut out);
        out
    }

    /// Why `doc` matches `query`: one entry per query word it matches, in query order,
    /// with the best term for that word, the fields holding it and the score it adds.
    /// The scores add up to the document's score in [`TextIndex::search_any`] (and in
    /// [`TextIndex::search`] when every word matched). Empty if nothing matches.
    pub fn explain(&self, query: &str, doc: u32) -> Vec<TermMatch> {
        let scorer = self.scorer();
        let mut out = Vec::new();
        for group in self.groups(query) {
            let mut best: Option<(f32, Alt, &[Posting])> = None;
            for &alt in &group.alts {
                let term = &self.terms[alt.term as usize];
                let run = doc_run(&term.postings, doc);
                if run.is_empty() {
                    continue;
                }
                let s = scorer.score(scorer.idf(term.df), run) * alt.factor;
                if best.is_none_or(|(b, _, _)| s > b) {
                    best = Some((s, alt, run));
                }
            }
            if let Some((score, alt, run)) = best {
                out.push(TermMatch {
                    word: group.word,
                    term: self.terms[alt.term as usize].text.to_string(),
                    fields: run.iter().map(|p| usize::from(p.field)).collect(),
                    prefix: alt.factor < 1.0,
                    score,
                });
            }
        }
        out
    }

    /// The distinct words of `query` that are indexed terms, in query order: exact
    /// matches only (no completion of the last word, unlike [`TextIndex::search`]),
    /// each term once. For callers that choose the words (by [`QueryTerm::df`]) and
    /// score documents in their own tables with [`TextIndex::add_term_scores`].
    pub fn query_terms(&self, query: &str) -> Vec<QueryTerm> {
        let stemmer = spanish();
        let folded = fold_words(query);
        let mut out: Vec<QueryTerm> = Vec::new();
        for word in words(&folded) {
            let Some(term) = term_of(&stemmer, word) else {
                continue;
            };
            let Some(&id) = self.dict.get(term.as_str()) else {
                continue;
            };
            if out.iter().any(|q| q.id == id) {
                continue;
            }
            out.push(QueryTerm {
                word: word.to_owned(),
                term,
                df: self.terms[id as usize].df,
                id,
            });
        }
        out
    }

    /// The inverse document frequency of a term, as BM25F weighs it.
    pub fn idf(&self, term: &QueryTerm) -> f32 {
        self.scorer().idf(term.df)
    }

    /// Adds `factor` times the BM25F score of `term` in each document holding it to
    /// `scores[doc]` (documents past the end of `scores` are skipped). The scores
    /// are those of [`TextIndex::search_any`] for the word alone.
    pub fn add_term_scores(&self, term: &QueryTerm, factor: f32, scores: &mut [f32]) {
        let Some(t) = self.terms.get(term.id as usize) else {
            return;
        };
        let scorer = self.scorer();
        let idf = scorer.idf(t.df);
        for run in t.postings.chunk_by(|a, b| a.doc == b.doc) {
            if let Some(s) = scores.get_mut(run[0].doc as usize) {
                *s += scorer.score(idf, run) * factor;
            }
        }
    }

    /// The BM25F score of `term` in `doc`, 0 when the document does not hold it.
    pub fn term_score(&self, term: &QueryTerm, doc: u32) -> f32 {
        let Some(t) = self.terms.get(term.id as usize) else {
            return 0.0;
        };
        let run = doc_run(&t.postings, doc);
        if run.is_empty() {
            return 0.0;
        }
        let scorer = self.scorer();
        scorer.score(scorer.idf(t.df), run)
    }

    /// One more than the largest document id the index has room for: the length a
    /// dense per-document table needs.
    pub fn id_bound(&self) -> usize {
        self.docs.len()
    }

    /// Size figures, e.g. for a start-up log line.
    pub fn stats(&self) -> IndexStats {
        use std::mem::size_of;
        let postings: usize = self.terms.iter().map(|t| t.postings.len()).sum();
        let postings_bytes: usize = self
            .terms
            .iter()
            .map(|t| t.postings.capacity() * size_of::<Posting>() + 2 * t.text.len())
            .sum();
        let doc_terms: usize = self.docs.iter().flatten().map(|ids| ids.len()).sum();
        let approx_bytes = postings_bytes
            + self.terms.capacity() * size_of::<Term>()
            + self.dict.len() * (size_of::<Box<str>>() + size_of::<u32>())
            + self.docs.capacity() * size_of::<Option<Box<[u32]>>>()
            + doc_terms * size_of::<u32>()
            + self.field_lens.capacity() * size_of::<u32>();
        IndexStats {
            docs: self.live,
            terms: self.dict.len(),
            postings,
            approx_bytes,
        }
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.dict.get(text) {
            return id;
        }
        let id = match self.free_terms.pop() {
            Some(id) => {
                self.terms[id as usize].text = text.into();
                id
            }
            None => {
                // A term needs a posting of 8 bytes: 2^32 of them cannot fit in memory.
                let id = self.terms.len() as u32;
                self.terms.push(Term {
                    text: text.into(),
                    ..Term::default()
                });
                id
            }
        };
        self.dict.insert(text.into(), id);
        id
    }

    fn scorer(&self) -> Scorer<'_> {
        let n = self.live.max(1) as f32;
        let len_factors = self
            .total_lens
            .iter()
            .map(|&total| {
                let avg = total as f32 / n;
                if avg > 0.0 { B / avg } else { B }
            })
            .collect();
        Scorer {
            index: self,
            n: self.live as f32,
            len_factors,
        }
    }

    /// The query's words with the terms satisfying each. A word with no alternatives
    /// matches no document. Repeated words count once (but for the one being typed).
    fn groups(&self, query: &str) -> Vec<Group> {
        let stemmer = spanish();
        let folded = fold_words(query);
        // Still typing the last word: the query ends in it, not in a space or a full stop.
        let typing = folded.ends_with(char::is_alphanumeric);
        let all: Vec<&str> = words(&folded).collect();
        let mut groups: Vec<Group> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (i, &word) in all.iter().enumerate() {
            let Some(term) = term_of(&stemmer, word) else {
                continue;
            };
            let exact = self.dict.get(term.as_str()).copied();
            let chars = word.chars().count();
            let mut alts: Vec<Alt> = exact
                .map(|term| Alt { term, factor: 1.0 })
                .into_iter()
                .collect();
            if typing && i + 1 == all.len() && chars >= MIN_PREFIX_CHARS {
                let completions = self
                    .dict
                    .range::<str, _>((Bound::Included(word), Bound::Unbounded))
                    .take_while(|(text, _)| text.starts_with(word))
                    .map(|(_, &id)| id);
                for id in completions {
                    if exact != Some(id) {
                        alts.push(Alt {
                            term: id,
                            factor: PREFIX_FACTOR,
                        });
                    }
                }
                if alts.is_empty() {
                    // Typing past a stem: "mantenimi" is on its way to "mantenimiento",
                    // whose stem is "manten". Take the longest indexed one.
                    let passed = word
                        .char_indices()
                        .skip(MIN_PASSED_STEM_CHARS)
                        .filter_map(|(at, _)| self.dict.get(&word[..at]))
                        .last();
                    if let Some(&id) = passed {
                        alts.push(Alt {
                            term: id,
                            factor: PREFIX_FACTOR,
                        });
                    }
                }
            } else if seen.contains(&term) {
                continue;
            } else {
                seen.push(term);
            }
            groups.push(Group {
                word: word.to_owned(),
                alts,
            });
        }
        groups
    }

    /// How many postings a word's terms hold, to start AND from the rarest.
    fn cost(&self, group: &Group) -> usize {
        group
            .alts
            .iter()
            .map(|a| self.terms[a.term as usize].postings.len())
            .sum()
    }

    /// Every document matching one query word, with the word's best score, by document.
    fn group_scores(&self, scorer: &Scorer<'_>, group: &Group) -> Vec<(u32, f32)> {
        let scored = |alt: &Alt| {
            let term = &self.terms[alt.term as usize];
            let idf = scorer.idf(term.df);
            let factor = alt.factor;
            term.postings
                .chunk_by(|a, b| a.doc == b.doc)
                .map(move |run| (run[0].doc, scorer.score(idf, run) * factor))
        };
        match group.alts.as_slice() {
            [] => Vec::new(),
            [alt] => scored(alt).collect(),
            alts if self.cost(group) * 4 >= self.docs.len() => {
                // Many postings: a dense table avoids sorting them.
                let mut best = vec![-1.0f32; self.docs.len()];
                for (d, s) in alts.iter().flat_map(scored) {
                    let b = &mut best[d as usize];
                    *b = b.max(s);
                }
                (0u32..).zip(best).filter(|&(_, s)| s >= 0.0).collect()
            }
            alts => {
                let mut all: Vec<(u32, f32)> = alts.iter().flat_map(scored).collect();
                all.sort_unstable_by_key(|&(d, _)| d);
                all.dedup_by(|next, kept| {
                    let same = next.0 == kept.0;
                    if same {
                        kept.1 = kept.1.max(next.1);
                    }
                    same
                });
                all
            }
        }
    }
}

/// A key whose ascending order is the result order: score descending (in the IEEE
/// total order, so even a NaN could not break the sort), then document ascending.
/// Comparing integers is much faster than comparing floats and then ids.
fn rank_key(&(doc, score): &(u32, f32)) -> u64 {
    let bits = score.to_bits();
    let ascending = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    (u64::from(!ascending) << 32) | u64::from(doc)
}

fn rank(results: &mut [(u32, f32)]) {
    results.sort_unstable_by_key(rank_key);
}

/// Puts the best `n` hits first, in the order of [`TextIndex::search`] (score
/// descending, then document); the rest follow unordered. Cheaper than ranking
/// them all when only a page is shown.
pub fn top_hits(hits: &mut [(u32, f32)], n: usize) {
    let n = n.min(hits.len());
    if n == 0 {
        return;
    }
    if n < hits.len() {
        hits.select_nth_unstable_by_key(n - 1, rank_key);
    }
    hits[..n].sort_unstable_by_key(rank_key);
}

/// The postings of `doc` in a list sorted by document.
fn doc_run(postings: &[Posting], doc: u32) -> &[Posting] {
    let start = postings.partition_point(|p| p.doc < doc);
    let held = postings[start..]
        .iter()
        .take_while(|p| p.doc == doc)
        .count();
    &postings[start..start + held]
}

/// Calls `f(i, run)` for each `docs[i]` that has postings, with those postings. Both lists
/// are sorted by document; galloping makes it fast when one is much shorter.
fn for_each_common(postings: &[Posting], docs: &[u32], mut f: impl FnMut(usize, &[Posting])) {
    let (mut i, mut j) = (0, 0);
    while i < docs.len() && j < postings.len() {
        let (d, p) = (docs[i], postings[j].doc);
        if p < d {
            j += gallop(&postings[j..], |q| q.doc < d);
        } else if d < p {
            i += gallop(&docs[i..], |&x| x < p);
        } else {
            let end = j + postings[j..].iter().take_while(|q| q.doc == d).count();
            f(i, &postings[j..end]);
            i += 1;
            j = end;
        }
    }
}

/// The number of leading elements of `s` for which `before` holds (`s` is partitioned
/// by it and `before(&s[0])` holds), in O(log answer).
fn gallop<T>(s: &[T], before: impl Fn(&T) -> bool) -> usize {
    let mut hi = 1;
    while hi < s.len() && before(&s[hi]) {
        hi *= 2;
    }
    let lo = hi / 2;
    let hi = hi.min(s.len());
    lo + s[lo..hi].partition_point(before)
}

#[cfg(test)]
mod top_hits_tests {
    use super::*;

    #[test]
    fn the_best_hits_come_first_in_search_order() {
        let mut index = TextIndex::new(vec![1.0]);
        for d in 0..50u32 {
            let text = format!("soldadura {}", "acero ".repeat((d % 7) as usize));
            index.upsert(d, &[&text]);
        }
        let ranked = index.search("soldadura acero");
        for n in [0, 1, 5, 49, 60] {
            let mut hits = index.search_unranked("soldadura acero");
            assert_eq!(hits.len(), ranked.len());
            top_hits(&mut hits, n);
            let k = n.min(ranked.len());
            assert_eq!(hits[..k], ranked[..k], "the first {n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Name, trade name, capabilities, description, CNAE titles.
    const WEIGHTS: [f32; 5] = [3.0, 3.0, 1.5, 1.0, 1.0];

    fn index_of(docs: &[(u32, &[&str])]) -> TextIndex {
        let mut index = TextIndex::new(WEIGHTS.to_vec());
        for &(doc, fields) in docs {
            index.upsert(doc, fields);
        }
        index
    }

    fn ids(results: &[(u32, f32)]) -> Vec<u32> {
        results.iter().map(|&(d, _)| d).collect()
    }

    fn score_of(results: &[(u32, f32)], doc: u32) -> f32 {
        results
            .iter()
            .find(|&&(d, _)| d == doc)
            .map(|&(_, s)| s)
            .unwrap()
    }

    #[test]
    fn stop_words_are_sorted_folded_and_short() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| fold(w) == *w));
        assert!(UNACCENTED_ERIA.windows(2).all(|w| w[0] < w[1]));
        assert!(ACCENTED_ORIA.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn accents_case_and_plurals_give_the_same_term() {
        let same = |a: &str, b: &str| assert_eq!(analyze(a), analyze(b), "{a} vs {b}");
        same("Fundición", "fundicion");
        same("FUNDICIONES", "fundiciones");
        same("fundiciones", "Fundición");
        same("soldaduras", "soldadura");
        same("calderería", "caldereria");
        same("CALDERERÍAS", "calderería");
        same("reparación", "reparaciones");
        same("reparacion", "reparaciones");
        same("tecnología", "tecnologico");
        same("consultoría", "consultores");
        same("mecanizado", "mecanizados");
        same("plásticos", "plastico");
        assert_eq!(analyze("Fundición"), ["fundicion"]);
        assert_eq!(analyze("soldaduras"), ["soldadur"]);
    }

    #[test]
    fn unaccented_eria_words_keep_their_stem() {
        // "materias primas" must not collapse to the stem of "mate".
        assert_ne!(analyze("materia"), analyze("mate"));
        assert_eq!(analyze("materias"), analyze("materia"));
    }

    #[test]
    fn digits_are_kept_and_stop_words_dropped() {
        assert_eq!(analyze("ISO 9001:2015"), ["iso", "9001", "2015"]);
        assert_eq!(analyze("CNAE 2451")[1], "2451");
        assert!(analyze("de la y el of the and").is_empty());
        assert_eq!(analyze("Fundición de la Vega"), ["fundicion", "veg"]);
        assert!(analyze("").is_empty());
        assert!(analyze(" ,.;- ").is_empty());
    }

    #[test]
    fn decomposed_accents_do_not_split_words() {
        // "Fundición" typed with a combining acute accent (NFD).
        assert_eq!(analyze("Fundicio\u{301}n"), analyze("Fundición"));
    }

    #[test]
    fn accent_and_case_variants_find_the_document() {
        let index = index_of(&[
            (1, &["Fundición Besaya"]),
            (2, &["Talleres Soldadura Norte"]),
            (3, &["Calderería Reinosa"]),
        ]);
        for q in [
            "fundicion",
            "FUNDICIONES",
            "Fundición",
            "fundiciones besaya",
        ] {
            assert_eq!(ids(&index.search(q)), [1], "{q}");
        }
        assert_eq!(ids(&index.search("soldaduras")), [2]);
        assert_eq!(ids(&index.search("caldereria")), [3]);
        assert_eq!(ids(&index.search("CALDERERÍA")), [3]);
    }

    #[test]
    fn a_match_in_the_name_ranks_above_one_in_the_description() {
        let index = index_of(&[
            (
                1,
                &[
                    "Industrias Pas",
                    "",
                    "",
                    "Soldadura de estructuras metálicas",
                ],
            ),
            (
                2,
                &[
                    "Soldadura Pas",
                    "",
                    "",
                    "Industrias de estructuras metálicas",
                ],
            ),
        ]);
        let results = index.search("soldadura");
        assert_eq!(ids(&results), [2, 1]);
        assert!(results[0].1 > results[1].1);
    }

    #[test]
    fn a_short_frequent_mention_ranks_above_a_long_single_one() {
        let long = "Empresa de transporte con sede en Torrelavega que ofrece mantenimiento \
                    industrial, montaje, pintura, limpieza, alquiler de maquinaria, \
                    andamios, electricidad, fontanería y también galvanizado";
        let index = index_of(&[
            (1, &["Talleres A", "", "", long]),
            (
                2,
                &[
                    "Talleres B",
                    "",
                    "",
                    "Galvanizado en caliente, galvanizado en frío",
                ],
            ),
        ]);
        assert_eq!(ids(&index.search("galvanizado")), [2, 1]);

        // Once each: the shorter text ranks first (length normalisation).
        let index = index_of(&[
            (1, &["Talleres A", "", "", long]),
            (2, &["Talleres B", "", "", "Galvanizado y pintura"]),
        ]);
        let results = index.search("galvanizado");
        assert_eq!(ids(&results), [2, 1]);
        assert!(results[0].1 > results[1].1);
    }

    #[test]
    fn every_word_must_match() {
        let index = index_of(&[
            (1, &["Soldadura Pas"]),
            (2, &["Soldadura de acero Besaya"]),
            (3, &["Aceros del Norte"]),
        ]);
        assert_eq!(ids(&index.search("soldadura acero")), [2]);
        assert_eq!(ids(&index.search("soldadura aceros ")), [2]);
        assert!(index.search("soldadura aluminio").is_empty());
        // Stop words in the query are not required.
        assert_eq!(ids(&index.search("soldadura de acero")), [2]);
    }

    #[test]
    fn the_last_word_matches_as_a_prefix_while_typing() {
        let index = index_of(&[(1, &["Mecanizados Cantabria"]), (2, &["Fundición Besaya"])]);
        assert_eq!(ids(&index.search("mecaniz")), [1]);
        assert_eq!(ids(&index.search("fundi")), [2]);
        assert!(index.explain("fundi", 2)[0].prefix);
        // "mecaniz" happens to be the stem of "mecanizados": an exact match, not a prefix.
        assert_eq!(ids(&index.search("mecaniz ")), [1]);
        assert!(!index.explain("mecaniz ", 1)[0].prefix);
        // A space ends the word: no completion any more.
        assert!(index.search("fundi ").is_empty());
        assert!(index.search("fundi.").is_empty());
        // Too short to complete.
        assert!(index.search("fu").is_empty());
        // Only the last word completes.
        assert!(index.search("fundi besaya").is_empty());
        // A stop word being typed is still a stop word.
        assert!(index.search("con").is_empty());
        assert_eq!(ids(&index.search("besaya fundi")), [2]);
    }

    #[test]
    fn a_completion_scores_lower_than_an_exact_match() {
        let index = index_of(&[(1, &["Papelera Norte"]), (2, &["Papel Norte"])]);
        let results = index.search("papel");
        assert_eq!(ids(&results), [2, 1]);
        let (exact, completion) = (score_of(&results, 2), score_of(&results, 1));
        assert!(
            (completion - PREFIX_FACTOR * exact).abs() < 1e-6,
            "{results:?}"
        );
        // Once the word is finished, only the exact term matches.
        assert_eq!(ids(&index.search("papel ")), [2]);
    }

    #[test]
    fn typing_more_letters_never_loses_the_document() {
        let words = [
            "mantenimiento",
            "fundición",
            "calderería",
            "automatización",
            "soldaduras",
            "reparaciones",
            "consultoría",
            "logística",
            "plásticos",
            "transportes",
            "ingeniería",
            "instalaciones",
            "galvanizados",
        ];
        for word in words {
            let index = index_of(&[(7, &[word]), (8, &["Otra empresa cualquiera"])]);
            let folded = fold(word);
            let prefixes = folded
                .char_indices()
                .map(|(at, _)| &folded[..at])
                .chain([folded.as_str()]);
            // A stop word is no word: "con" on its way to "consultoría" finds nothing.
            let typed_words =
                prefixes.filter(|p| p.chars().count() >= MIN_PREFIX_CHARS && !is_stop_word(p));
            for typed in typed_words {
                assert_eq!(ids(&index.search(typed)), [7], "typing {typed:?} of {word}");
            }
        }
    }

    #[test]
    fn upsert_replaces_and_remove_removes() {
        let mut index = index_of(&[(1, &["Fundición Besaya"]), (2, &["Soldadura Pas"])]);
        assert_eq!(index.len(), 2);

        index.upsert(1, &["Transportes Besaya"]);
        assert_eq!(index.len(), 2);
        assert!(index.search("fundicion").is_empty());
        assert_eq!(ids(&index.search("transporte")), [1]);
        assert_eq!(ids(&index.search("besaya")), [1]);

        index.remove(1);
        assert_eq!(index.len(), 1);
        assert!(!index.contains(1));
        assert!(index.search("besaya").is_empty());
        assert!(index.explain("besaya", 1).is_empty());

        index.remove(1);
        index.remove(99);
        assert_eq!(index.len(), 1);

        index.remove(2);
        assert!(index.is_empty());
        assert_eq!(index.stats().terms, 0);
        assert_eq!(index.stats().postings, 0);

        // An empty document still counts.
        index.upsert(3, &[]);
        assert_eq!(index.len(), 1);
        assert!(index.contains(3));
    }

    #[test]
    fn results_do_not_depend_on_insertion_order() {
        let docs: [(u32, &[&str]); 4] = [
            (4, &["Talleres Besaya", "", "soldadura"]),
            (1, &["Soldadura Besaya"]),
            (3, &["Fundición", "", "", "soldadura y fundición en Besaya"]),
            (2, &["Soldadura Besaya"]),
        ];
        let forward = index_of(&docs);
        let mut reversed_docs = docs;
        reversed_docs.reverse();
        let reversed = index_of(&reversed_docs);
        for q in [
            "soldadura",
            "besaya",
            "soldadura besaya",
            "sold",
            "fundicion",
        ] {
            let a = forward.search(q);
            assert_eq!(a, reversed.search(q), "{q}");
            assert_eq!(a, forward.search(q), "{q}");
            assert_eq!(forward.search_any(q), reversed.search_any(q), "{q}");
        }
        // Equal scores are ordered by document.
        let results = forward.search("soldadura besaya");
        assert_eq!(results[0].0, 1);
        assert_eq!(results[1].0, 2);
        assert_eq!(results[0].1, results[1].1);
    }

    #[test]
    fn empty_stop_word_and_hostile_queries_match_nothing_and_do_not_panic() {
        let index = index_of(&[(1, &["Fundición Besaya", "", "", "drop table"])]);
        for q in [
            "",
            "   ",
            "de la",
            "the of and",
            "y ",
            "!!!",
            "\u{0}",
            "%_*",
        ] {
            assert!(index.search(q).is_empty(), "{q:?}");
            assert!(index.search_any(q).is_empty(), "{q:?}");
            assert!(index.explain(q, 1).is_empty(), "{q:?}");
        }
        for q in [
            "'; DROP TABLE",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\\\"%",
        ] {
            let _ = index.search(q);
            let _ = index.search_any(q);
            let _ = index.explain(q, 1);
        }
        assert_eq!(ids(&index.search("'; DROP TABLE")), [1]);
    }

    #[test]
    fn search_any_matches_any_word_and_agrees_with_search() {
        let index = index_of(&[
            (1, &["Soldadura Pas"]),
            (2, &["Soldadura de acero Besaya"]),
            (3, &["Aceros del Norte"]),
            (4, &["Papelera"]),
        ]);
        let any = index.search_any("soldadura acero");
        assert_eq!(ids(&any), [2, 1, 3]);
        let all = index.search("soldadura acero");
        assert_eq!(score_of(&any, 2), score_of(&all, 2));
        assert!(index.search_any("aluminio").is_empty());
    }

    #[test]
    fn explain_names_the_terms_and_fields_and_adds_up_to_the_score() {
        let index = index_of(&[(
            5,
            &[
                "Soldaduras Pas",
                "",
                "soldadura TIG",
                "",
                "Fabricación de estructuras",
            ],
        )]);
        let why = index.explain("soldadura estruct", 5);
        assert_eq!(why.len(), 2);
        assert_eq!(why[0].word, "soldadura");
        assert_eq!(why[0].term, "soldadur");
        assert_eq!(why[0].fields, [0, 2]);
        assert!(!why[0].prefix);
        assert_eq!(why[1].word, "estruct");
        assert_eq!(why[1].fields, [4]);
        let total: f32 = why.iter().map(|m| m.score).sum();
        let score = score_of(&index.search("soldadura estruct"), 5);
        assert!((total - score).abs() < 1e-5, "{total} vs {score}");
        assert!(index.explain("soldadura", 6).is_empty());
    }

    #[test]
    fn query_terms_score_as_search_any_does() {
        let index = index_of(&[
            (1, &["Soldadura Pas"]),
            (2, &["Soldadura de acero Besaya"]),
            (3, &["Aceros del Norte", "", "acero inoxidable"]),
        ]);
        let terms = index.query_terms("Soldaduras de ACERO, acero y papel fundi");
        let words: Vec<&str> = terms.iter().map(|t| t.word.as_str()).collect();
        // Stop words, unknown words and completions are left out; repeats count once.
        assert_eq!(words, ["soldaduras", "acero"]);
        assert_eq!(terms[0].term, "soldadur");
        assert_eq!((terms[0].df, terms[1].df), (2, 2));
        assert!(index.idf(&terms[0]) > 0.0);
        let mut scores = vec![0.0f32; index.id_bound()];
        assert_eq!(scores.len(), 4);
        for t in &terms {
            index.add_term_scores(t, 1.0, &mut scores);
        }
        for (doc, score) in index.search_any("soldadura acero") {
            assert!((scores[doc as usize] - score).abs() < 1e-5, "{doc}");
            let sum: f32 = terms.iter().map(|t| index.term_score(t, doc)).sum();
            assert!((sum - score).abs() < 1e-5, "{doc}");
        }
        assert_eq!(scores[0], 0.0);
        assert_eq!(index.term_score(&terms[0], 3), 0.0);
        // A short table is not overrun.
        index.add_term_scores(&terms[1], 2.0, &mut scores[..2]);
    }

    #[test]
    fn search_top_is_the_head_of_search() {
        let docs: Vec<(u32, String)> = (0..50)
            .map(|i| (i, format!("soldadura {}", "acero ".repeat(i as usize % 7))))
            .collect();
        let mut index = TextIndex::default();
        for (d, text) in &docs {
            index.upsert(*d, &[text]);
        }
        let all = index.search("soldadura");
        assert_eq!(all.len(), 50);
        assert_eq!(index.search_top("soldadura", 10), all[..10]);
        assert_eq!(index.search_top("soldadura", 0), []);
        assert_eq!(index.search_top("soldadura", 500), all);
    }

    #[test]
    fn missing_and_extra_fields_and_odd_weights() {
        let mut index = TextIndex::new(vec![2.0, f32::NAN, -1.0]);
        assert_eq!(index.weights(), [2.0, 0.0, 0.0]);
        let huge = TextIndex::new(vec![f32::INFINITY, 1e30]);
        assert_eq!(huge.weights(), [MAX_WEIGHT, MAX_WEIGHT]);
        index.upsert(1, &["acero"]);
        index.upsert(2, &["", "acero"]);
        index.upsert(3, &["", "", "", "acero en un cuarto campo"]);
        let results = index.search("acero");
        // A zero-weight field still matches, with a zero score.
        assert_eq!(ids(&results), [1, 2]);
        assert_eq!(results[1].1, 0.0);
        assert!(index.search("cuarto").is_empty());
    }

    proptest! {
        #[test]
        fn analysis_never_panics_and_ignores_accents(s in "\\PC{0,60}") {
            let terms = analyze(&s);
            prop_assert!(terms.iter().all(|t| !t.is_empty()));
            prop_assert_eq!(analyze(&fold(&s)), terms);
        }

        #[test]
        fn fast_folding_gives_the_words_of_fold(s in "\\PC{0,60}") {
            let fast = fold_words(&s);
            let slow = fold(&s);
            prop_assert_eq!(words(&fast).collect::<Vec<_>>(), words(&slow).collect::<Vec<_>>());
        }

        #[test]
        fn spanish_text_is_case_insensitive(s in "[a-zA-ZáéíóúüñÁÉÍÓÚÜÑ ]{0,40}") {
            prop_assert_eq!(analyze(&s.to_uppercase()), analyze(&s));
        }

        #[test]
        fn search_never_panics_and_returns_indexed_documents(
            docs in prop::collection::vec((0u32..20, prop::collection::vec("\\PC{0,30}", 0..6)), 0..6),
            removed in prop::collection::vec(0u32..20, 0..3),
            query in "\\PC{0,20}",
        ) {
            let mut index = TextIndex::new(WEIGHTS.to_vec());
            for (doc, fields) in &docs {
                let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                index.upsert(*doc, &fields);
            }
            for doc in &removed {
                index.remove(*doc);
            }
            for results in [index.search(&query), index.search_any(&query)] {
                for w in results.windows(2) {
                    let order = w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0);
                    prop_assert!(order, "{:?}", w);
                }
                for (doc, score) in results {
                    prop_assert!(index.contains(doc));
                    prop_assert!(score.is_finite() && score >= 0.0);
                    prop_assert!(!index.explain(&query, doc).is_empty());
                }
            }
        }

        /// A bulk load, replacements included, gives what upserting one by one does.
        #[test]
        fn upsert_many_is_upsert_one_by_one(
            docs in prop::collection::vec(
                (0u32..6, prop::collection::vec(
                    prop::sample::select(vec![
                        "acero", "Aceros", "soldadura", "fundición", "papel", "papelera",
                        "de", "Besaya", "Brandú", "mecanizado", "9001", "Ñandú",
                    ]),
                    0..6,
                )),
                0..20,
            ),
        ) {
            let docs: Vec<(u32, [String; 2])> = docs
                .into_iter()
                .map(|(doc, words)| (doc, [words[..words.len() / 2].join(" "), words.join(" ")]))
                .collect();
            let mut one_by_one = TextIndex::new(vec![2.0, 1.0]);
            for (doc, fields) in &docs {
                one_by_one.upsert(*doc, &[&fields[0], &fields[1]]);
            }
            let mut bulk = TextIndex::new(vec![2.0, 1.0]);
            bulk.upsert_many(docs.iter().map(|(doc, fields)| (*doc, fields)));
            prop_assert_eq!(bulk.len(), one_by_one.len());
            prop_assert_eq!(bulk.stats().terms, one_by_one.stats().terms);
            prop_assert_eq!(bulk.stats().postings, one_by_one.stats().postings);
            for q in ["acero", "papel", "pap", "besaya 9001", "nandu", "brandu fund"] {
                prop_assert_eq!(bulk.search(q), one_by_one.search(q), "{}", q);
                for doc in 0..6 {
                    prop_assert_eq!(bulk.explain(q, doc), one_by_one.explain(q, doc));
                }
            }
        }

        /// Any history of upserts and removes leaves the index as if built from scratch.
        #[test]
        fn updates_match_a_fresh_build(
            ops in prop::collection::vec(
                (0u32..8, prop::option::of(prop::collection::vec(
                    prop::sample::select(vec![
                        "acero", "aceros", "soldadura", "fundición", "papel", "papelera",
                        "de", "Besaya", "transporte", "mecanizado", "9001",
                    ]),
                    0..8,
                ))),
                0..40,
            ),
        ) {
            let mut updated = TextIndex::new(vec![2.0, 1.0]);
            let mut current: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
            for (doc, words) in &ops {
                match words {
                    Some(words) => {
                        let half = words.len() / 2;
                        let fields = [words[..half].join(" "), words[half..].join(" ")];
                        updated.upsert(*doc, &[&fields[0], &fields[1]]);
                        current.insert(*doc, words.clone());
                    }
                    None => {
                        updated.remove(*doc);
                        current.remove(doc);
                    }
                }
            }
            let mut fresh = TextIndex::new(vec![2.0, 1.0]);
            for (doc, words) in &current {
                let half = words.len() / 2;
                let fields = [words[..half].join(" "), words[half..].join(" ")];
                fresh.upsert(*doc, &[&fields[0], &fields[1]]);
            }
            prop_assert_eq!(updated.len(), current.len());
            prop_assert_eq!(updated.stats().terms, fresh.stats().terms);
            prop_assert_eq!(updated.stats().postings, fresh.stats().postings);
            for q in ["acero", "soldadura acero", "pap", "papel ", "besaya 9001", "fund"] {
                prop_assert_eq!(updated.search(q), fresh.search(q), "{}", q);
                prop_assert_eq!(updated.search_any(q), fresh.search_any(q), "{}", q);
            }
        }
    }
}
