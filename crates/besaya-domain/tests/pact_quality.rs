//! The Pact's matching quality: nDCG@10 of the ranking on a test set of 25
//! realistic needs of the district's large firms and 210 organisations, with
//! graded relevance judgements written by reading the texts (never by running
//! the ranking). The set and how it was judged: `tests/data/pact/README.md`.
//!
//! ```text
//! cargo test -p besaya-domain --test pact_quality -- --nocapture
//! ```
//!
//! prints, per need, nDCG@10 of the full ranking and of three baselines, and
//! the top three names; with `PACT_QUALITY_VERBOSE=1`, every need's top 10
//! with grades and the relevant organisations it missed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a failed expectation is a failed test

use std::collections::HashMap;
use std::path::PathBuf;

use besaya_domain::directory::SizeBand;
use besaya_domain::matching::{
    MatchIndex, NeedQuery, OrgProfile, Ranking, certification_satisfies, cnae_closeness, ndcg_at,
};
use time::{Date, Month};

/// Mean nDCG@10 the full ranking must reach. The evidence is in [`pact_quality_bars`].
const BAR: f64 = 0.92;
/// No need may score below this: one need badly served is a product failure
/// even when the mean is good. Both simple baselines fall under it on some need.
const FLOOR: f64 = 0.70;
/// How much better than the best simple baseline (CNAE only, text only) the
/// full ranking must be on the mean.
const MARGIN_OVER_BASELINES: f64 = 0.03;
/// How much the certification and size rules may cost against the same ranking
/// blind to them (they trade some needs for others; see [`pact_quality_bars`]).
const CERTIFICATIONS_MAY_COST: f64 = 0.01;

const K: usize = 10;

fn today() -> Date {
    Date::from_calendar_date(2026, Month::December, 1).unwrap()
}

fn data(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// RFC 4180 records (quoted fields with doubled quotes, LF or CRLF), header included.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Rows as maps from the header's column names.
fn records(text: &str) -> Vec<HashMap<String, String>> {
    let mut rows = parse_csv(text).into_iter();
    let header = rows.next().expect("a header row");
    rows.filter(|r| !(r.len() == 1 && r[0].is_empty()))
        .map(|r| {
            assert_eq!(r.len(), header.len(), "row {r:?}");
            header.iter().cloned().zip(r).collect()
        })
        .collect()
}

fn date(s: &str) -> Date {
    let p: Vec<&str> = s.split('-').collect();
    assert_eq!(p.len(), 3, "date {s:?}");
    let month = Month::try_from(p[1].parse::<u8>().unwrap()).unwrap();
    Date::from_calendar_date(p[0].parse().unwrap(), month, p[2].parse().unwrap()).unwrap()
}

struct Org {
    id: u32,
    profile: OrgProfile,
}

struct Need {
    id: u32,
    title: String,
    query: NeedQuery,
}

struct TestSet {
    orgs: Vec<Org>,
    needs: Vec<Need>,
    /// need id → org id → grade (unlisted pairs are 0).
    grades: HashMap<u32, HashMap<u32, u8>>,
}

impl TestSet {
    fn org(&self, id: u32) -> &Org {
        &self.orgs[id as usize - 1]
    }

    fn grade(&self, need: u32, org: u32) -> u8 {
        self.grades
            .get(&need)
            .and_then(|g| g.get(&org))
            .copied()
            .unwrap_or(0)
    }

    fn judged(&self, need: u32) -> Vec<u8> {
        self.grades
            .get(&need)
            .map(|g| g.values().copied().collect())
            .unwrap_or_default()
    }

    fn ndcg(&self, need: u32, ranked_orgs: &[u32]) -> f64 {
        let ranked: Vec<u8> = ranked_orgs.iter().map(|&o| self.grade(need, o)).collect();
        ndcg_at(K, &ranked, &self.judged(need))
    }
}

fn load() -> TestSet {
    let titles: HashMap<String, String> = records(&data("../besaya/data/cnae2025.csv"))
        .into_iter()
        .map(|r| (r["code"].clone(), r["title_es"].clone()))
        .collect();
    let places: HashMap<String, (f64, f64)> =
        records(&data("../besaya/data/cantabria_municipios.csv"))
            .into_iter()
            .map(|r| {
                let at = (r["lat"].parse().unwrap(), r["lon"].parse().unwrap());
                (r["ine_code"].clone(), at)
            })
            .collect();

    let mut orgs = Vec::new();
    for r in records(&data("tests/data/pact/organizations.csv")) {
        let id: u32 = r["id"].parse().unwrap();
        assert_eq!(id as usize, orgs.len() + 1, "ids are 1.. in order");
        let cnae_codes: Vec<String> = r["cnae_codes"].split(';').map(str::to_owned).collect();
        let cnae_titles = cnae_codes
            .iter()
            .map(|c| {
                titles
                    .get(c)
                    .unwrap_or_else(|| panic!("org {id}: unknown CNAE {c}"))
                    .as_str()
            })
            .collect::<Vec<_>>()
            .join("; ");
        let certifications = r["certifications"]
            .split(';')
            .filter(|c| !c.is_empty())
            .map(|c| {
                let (name, expires) = c.split_once('|').expect("name|expires_on");
                let expires = (!expires.is_empty()).then(|| date(expires));
                (name.to_owned(), expires)
            })
            .collect();
        let size = match r["size"].as_str() {
            "" => None,
            s => Some(SizeBand::parse(s).unwrap_or_else(|| panic!("org {id}: size {s:?}"))),
        };
        let profile = OrgProfile {
            name: r["name"].clone(),
            capabilities: r["capabilities"].clone(),
            description: r["description"].clone(),
            cnae_codes,
            cnae_titles,
            certifications,
            municipality: Some(r["municipality"].parse().unwrap()),
            in_district: r["in_district"] == "true",
            location: Some((r["lat"].parse().unwrap(), r["lon"].parse().unwrap())),
            size,
        };
        orgs.push(Org { id, profile });
    }

    let json: serde_json::Value =
        serde_json::from_str(&data("tests/data/pact/needs.json")).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    let needs = json
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let text = |k: &str| n[k].as_str().unwrap().to_owned();
            let municipality = text("municipality");
            let query = NeedQuery {
                title: text("title"),
                text: format!("{}\n{}", text("summary"), text("description")),
                cnae_codes: strings(&n["cnae_codes"]),
                required_certifications: strings(&n["required_certifications"]),
                municipality: Some(municipality.parse().unwrap()),
                location: Some(places[&municipality]),
                min_size: n["min_size"]
                    .as_str()
                    .map(|s| SizeBand::parse(s).expect("size band")),
            };
            Need {
                id: u32::try_from(n["id"].as_u64().unwrap()).unwrap(),
                title: text("title"),
                query,
            }
        })
        .collect();

    let mut grades: HashMap<u32, HashMap<u32, u8>> = HashMap::new();
    for r in records(&data("tests/data/pact/judgements.csv")) {
        let need: u32 = r["need_id"].parse().unwrap();
        let org: u32 = r["org_id"].parse().unwrap();
        let grade: u8 = r["grade"].parse().unwrap();
        assert!(grade <= 3, "grade {grade}");
        assert!((org as usize) <= orgs.len(), "org {org} unknown");
        let previous = grades.entry(need).or_default().insert(org, grade);
        assert!(previous.is_none(), "need {need}, org {org} judged twice");
    }
    TestSet {
        orgs,
        needs,
        grades,
    }
}

fn index(set: &TestSet) -> MatchIndex {
    MatchIndex::build(set.orgs.iter().map(|o| (o.id, &o.profile)))
}

fn ranked_ids(r: &Ranking) -> Vec<u32> {
    r.matches.iter().map(|m| m.doc).collect()
}

/// Baseline 1, activity only: organisations by their closest CNAE code to the
/// need's (class > group > division > section), ties by id.
fn cnae_only(set: &TestSet, need: &NeedQuery) -> Vec<u32> {
    let mut scored: Vec<(u32, _)> = set
        .orgs
        .iter()
        .filter_map(|o| {
            let best = need
                .cnae_codes
                .iter()
                .flat_map(|n| o.profile.cnae_codes.iter().map(move |c| (n, c)))
                .filter_map(|(n, c)| cnae_closeness(n, c))
                .max()?;
            Some((o.id, best))
        })
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(K).map(|(id, _)| id).collect()
}

/// Baseline 2, text only: the same ranking given only the need's words.
fn text_only(need: &NeedQuery) -> NeedQuery {
    NeedQuery {
        title: need.title.clone(),
        text: need.text.clone(),
        ..NeedQuery::default()
    }
}

/// Baseline 3, blind to certifications and size: the same ranking without them.
fn no_certifications(need: &NeedQuery) -> NeedQuery {
    NeedQuery {
        required_certifications: Vec::new(),
        min_size: None,
        ..need.clone()
    }
}

struct Scores {
    full: Vec<f64>,
    cnae: Vec<f64>,
    text: Vec<f64>,
    no_certs: Vec<f64>,
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn evaluate(set: &TestSet, idx: &MatchIndex) -> Scores {
    let day = today();
    let mut s = Scores {
        full: Vec::new(),
        cnae: Vec::new(),
        text: Vec::new(),
        no_certs: Vec::new(),
    };
    println!(
        "\n{:>3}  {:>5} {:>5} {:>5} {:>5}  {:<58} top 3 (grade)",
        "id", "full", "cnae", "text", "nocrt", "need"
    );
    for need in &set.needs {
        let ranking = idx.rank(&need.query, day, K);
        let full = set.ndcg(need.id, &ranked_ids(&ranking));
        let cnae = set.ndcg(need.id, &cnae_only(set, &need.query));
        let text = set.ndcg(
            need.id,
            &ranked_ids(&idx.rank(&text_only(&need.query), day, K)),
        );
        let no_certs = set.ndcg(
            need.id,
            &ranked_ids(&idx.rank(&no_certifications(&need.query), day, K)),
        );
        let top: Vec<String> = ranking
            .matches
            .iter()
            .take(3)
            .map(|m| {
                let name = &set.org(m.doc).profile.name;
                let short: String = name.chars().take(34).collect();
                format!("{short} ({})", set.grade(need.id, m.doc))
            })
            .collect();
        let title: String = need.title.chars().take(58).collect();
        println!(
            "{:>3}  {full:>5.3} {cnae:>5.3} {text:>5.3} {no_certs:>5.3}  {title:<58} {}",
            need.id,
            top.join(" | ")
        );
        if std::env::var_os("PACT_QUALITY_VERBOSE").is_some() {
            for (i, m) in ranking.matches.iter().enumerate() {
                println!(
                    "       {:>2}. {:>5.1} {} g{} {}",
                    i + 1,
                    m.score,
                    if m.complete {
                        "complete  "
                    } else {
                        "incomplete"
                    },
                    set.grade(need.id, m.doc),
                    set.org(m.doc).profile.name
                );
                if std::env::var_os("PACT_QUALITY_VERBOSE").is_some_and(|v| v == "2") {
                    println!("           {}", serde_json::to_string(&m.reasons).unwrap());
                }
            }
            let missed: Vec<String> = set.grades[&need.id]
                .iter()
                .filter(|&(o, &g)| g >= 2 && !ranking.matches.iter().any(|m| m.doc == *o))
                .map(|(&o, &g)| format!("{} (g{g})", set.org(o).profile.name))
                .collect();
            if !missed.is_empty() {
                println!("       missed: {}", missed.join(", "));
            }
        }
        s.full.push(full);
        s.cnae.push(cnae);
        s.text.push(text);
        s.no_certs.push(no_certs);
    }
    println!(
        "mean {:>5.3} {:>5.3} {:>5.3} {:>5.3}  (full, CNAE only, text only, without certifications and size)",
        mean(&s.full),
        mean(&s.cnae),
        mean(&s.text),
        mean(&s.no_certs)
    );
    s
}

#[test]
fn pact_the_test_set_is_the_size_the_issue_asks_and_every_need_is_judged() {
    let set = load();
    assert!(set.orgs.len() >= 200, "{} organisations", set.orgs.len());
    assert!(set.needs.len() >= 20, "{} needs", set.needs.len());
    for need in &set.needs {
        let relevant = set.judged(need.id).iter().filter(|&&g| g > 0).count();
        assert!(
            (3..=20).contains(&relevant),
            "need {} has {relevant} relevant organisations",
            need.id
        );
    }
    // Hard cases the set relies on: expired certifications and firms outside
    // Cantabria (the unanswerable need has its own test below).
    let day = today();
    assert!(set.orgs.iter().any(|o| {
        o.profile
            .certifications
            .iter()
            .any(|(_, e)| e.is_some_and(|e| e < day))
    }));
    assert!(
        set.orgs
            .iter()
            .filter(|o| o
                .profile
                .municipality
                .is_some_and(|m| !(39001..=39102).contains(&m)))
            .count()
            >= 10
    );
}

/// The bar, from the evidence this test prints (mean nDCG@10 over the 25
/// needs). First run, 2026-12-03, with the judgements fixed before it:
///
/// ```text
/// full ranking                        0.923  worst need 0.73 (24, welders)
/// baseline: CNAE closeness only       0.733  worst 0.39 (7, R&D); 7 needs < 0.65
/// baseline: text only (same index)    0.882  worst 0.58 (24); talent needs suffer
/// ablation: no certifications/size    0.925  (gains on 10, 11, 20; loses on 1, 2, 3)
/// ```
///
/// Then, with the same judgements, three rules of `matching` (noise words not
/// searched; half the activity without a shared word; complete first only
/// above a relevance floor):
///
/// ```text
/// full ranking                        0.938  worst need 0.74 (24), then 0.79 (6), 0.81 (25)
/// baseline: CNAE closeness only       0.733  (unchanged: it is not the ranking)
/// baseline: text only (same index)    0.899  worst 0.68 (24)
/// ablation: no certifications/size    0.936  (certifications now gain 0.002)
/// ```
///
/// - BAR 0.92: about two points under the full ranking, so that a change that
///   costs a need or two fails, and above both simple baselines: a ranking that
///   lost its activity codes or its text would not pass. (0.90 before the three
///   rules, with the ranking at 0.923.)
/// - FLOOR 0.70: the full ranking's worst need is 0.74; text only falls to
///   0.68 and CNAE only to 0.39. (0.65 before, with the worst need at 0.73.)
/// - The full ranking must beat the best simple baseline by 0.03 (it does by
///   0.039): the signals have to add up, not just coexist.
/// - Certifications: a strict "complete candidates first" put certified firms
///   of a neighbouring trade above the right firm with an expired certificate
///   (need 11: calibration and testing labs above the water labs), while it
///   helps where the certificate is what separates the firms (need 3, EN 1090).
///   Complete-first now applies only to relevant candidates, and the rule gains
///   0.002 instead of costing 0.002; it may still not cost more than 0.01, a
///   margin kept for what 25 needs can tell.
#[test]
fn pact_quality_bars() {
    let set = load();
    let idx = index(&set);
    let s = evaluate(&set, &idx);
    let full = mean(&s.full);
    for (need, score) in set.needs.iter().zip(&s.full) {
        assert!(
            *score >= FLOOR,
            "need {} ({}) scores nDCG@10 {score:.3} < {FLOOR}",
            need.id,
            need.title
        );
    }
    assert!(full >= BAR, "mean nDCG@10 {full:.3} < {BAR}");
    let best_baseline = mean(&s.cnae).max(mean(&s.text));
    assert!(
        full >= best_baseline + MARGIN_OVER_BASELINES,
        "the full ranking ({full:.3}) is not clearly better than a simple baseline ({best_baseline:.3})"
    );
    let blind = mean(&s.no_certs);
    assert!(
        full >= blind - CERTIFICATIONS_MAY_COST,
        "certifications and size make the list worse: {full:.3} against {blind:.3} without them"
    );
}

/// The issue's journey: for high-voltage maintenance with ISO 9001, the first
/// result is a certified local electrical contractor.
#[test]
fn pact_high_voltage_need_puts_a_certified_local_electrical_contractor_first() {
    let set = load();
    let idx = index(&set);
    let need = set.needs.iter().find(|n| n.id == 1).unwrap();
    assert!(need.title.contains("alta tensión"));
    let ranking = idx.rank(&need.query, today(), K);
    assert!(ranking.answerable);
    let first = ranking.matches.first().expect("a match");
    let org = &set.org(first.doc).profile;
    assert!(first.complete, "{} is not complete", org.name);
    assert!(org.in_district, "{} is not local", org.name);
    assert!(
        org.cnae_codes.iter().any(|c| c == "4321"),
        "{} is not an electrical contractor",
        org.name
    );
    assert!(
        org.certifications.iter().any(|(name, exp)| {
            certification_satisfies("ISO 9001", name) && exp.is_none_or(|e| e >= today())
        }),
        "{} holds no valid ISO 9001",
        org.name
    );
    assert_eq!(set.grade(1, first.doc), 3, "{}", org.name);
}

/// A need nobody in the set can answer fully (no one holds both EN 9100 and
/// NADCAP in force) says so, and still lists the nearest partial matches.
#[test]
fn pact_unanswerable_need_says_so_and_lists_partial_matches() {
    let set = load();
    let idx = index(&set);
    let need = set.needs.iter().find(|n| n.id == 8).unwrap();
    let ranking = idx.rank(&need.query, today(), K);
    assert!(!ranking.answerable);
    assert!(!ranking.matches.is_empty());
    assert!(ranking.matches.iter().all(|m| !m.complete));
    // The two aeronautical machining shops (grade 2) are among the partial matches.
    let ids = ranked_ids(&ranking);
    let partial: Vec<u32> = set.grades[&8]
        .iter()
        .filter(|&(_, &g)| g == 2)
        .map(|(&o, _)| o)
        .collect();
    assert_eq!(partial.len(), 2);
    for o in partial {
        assert!(
            ids[..5.min(ids.len())].contains(&o),
            "{} is not in the top 5",
            set.org(o).profile.name
        );
    }
}
