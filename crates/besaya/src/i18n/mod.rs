//! Translations: Fluent catalogues for Spanish (the default) and English, embedded
//! in the binary. The language comes from the user's choice (the `lang` cookie),
//! then `Accept-Language`, then Spanish.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::langid;

/// The languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Self {
        match self {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        }
    }

    /// The language a user asked for: cookie, then `Accept-Language` (by quality), then Spanish.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(l) = cookie.and_then(Self::from_code) {
            return l;
        }
        let Some(header) = accept_language else {
            return Lang::default();
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(l) = Self::from_code(primary)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, l));
            }
        }
        best.map_or(Lang::default(), |(_, l)| l)
    }
}

// One catalogue per language, kept in a file per module.
const ES: &str = concat!(
    include_str!("../../locales/es/main.ftl"),
    "\n",
    include_str!("../../locales/es/sites.ftl"),
    "\n",
    include_str!("../../locales/es/sites-staff.ftl"),
    "\n",
    include_str!("../../locales/es/office.ftl"),
    "\n",
    include_str!("../../locales/es/office-inquiries.ftl"),
    "\n",
    include_str!("../../locales/es/office-work.ftl"),
    "\n",
    include_str!("../../locales/es/office-proposals.ftl"),
    "\n",
    include_str!("../../locales/es/office-portal.ftl"),
    "\n",
    include_str!("../../locales/es/office-dashboard.ftl"),
    "\n",
    include_str!("../../locales/es/office-procedures.ftl"),
    "\n",
    include_str!("../../locales/es/office-procedures-api.ftl"),
    "\n",
    include_str!("../../locales/es/office-procedures-dashboard.ftl"),
    "\n",
    include_str!("../../locales/es/pact.ftl"),
    "\n",
    include_str!("../../locales/es/pact-answers.ftl"),
    "\n",
    include_str!("../../locales/es/pact-dashboard.ftl"),
    "\n",
    include_str!("../../locales/es/pact-api.ftl"),
    "\n",
    include_str!("../../locales/es/pact-alliance.ftl"),
    "\n",
    include_str!("../../locales/es/pact-members.ftl"),
    "\n",
    include_str!("../../locales/es/pact-meetings.ftl"),
    "\n",
    include_str!("../../locales/es/pact-commitments.ftl"),
    "\n",
    include_str!("../../locales/es/pact-indicators.ftl"),
);
const EN: &str = concat!(
    include_str!("../../locales/en/main.ftl"),
    "\n",
    include_str!("../../locales/en/sites.ftl"),
    "\n",
    include_str!("../../locales/en/sites-staff.ftl"),
    "\n",
    include_str!("../../locales/en/office.ftl"),
    "\n",
    include_str!("../../locales/en/office-inquiries.ftl"),
    "\n",
    include_str!("../../locales/en/office-work.ftl"),
    "\n",
    include_str!("../../locales/en/office-proposals.ftl"),
    "\n",
    include_str!("../../locales/en/office-portal.ftl"),
    "\n",
    include_str!("../../locales/en/office-dashboard.ftl"),
    "\n",
    include_str!("../../locales/en/office-procedures.ftl"),
    "\n",
    include_str!("../../locales/en/office-procedures-api.ftl"),
    "\n",
    include_str!("../../locales/en/office-procedures-dashboard.ftl"),
    "\n",
    include_str!("../../locales/en/pact.ftl"),
    "\n",
    include_str!("../../locales/en/pact-answers.ftl"),
    "\n",
    include_str!("../../locales/en/pact-dashboard.ftl"),
    "\n",
    include_str!("../../locales/en/pact-api.ftl"),
    "\n",
    include_str!("../../locales/en/pact-alliance.ftl"),
    "\n",
    include_str!("../../locales/en/pact-members.ftl"),
    "\n",
    include_str!("../../locales/en/pact-meetings.ftl"),
    "\n",
    include_str!("../../locales/en/pact-commitments.ftl"),
    "\n",
    include_str!("../../locales/en/pact-indicators.ftl"),
);

/// The loaded catalogues, with every message that takes no argument formatted once
/// at start-up (pages ask for dozens per request).
pub struct I18n {
    es: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    plain: [FxHashMap<String, String>; 2],
    /// The same, escaped for HTML once, for the texts every page shows.
    html: [FxHashMap<String, String>; 2],
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n { es, en }")
    }
}

impl I18n {
    /// Parses the embedded catalogues; a syntax error is a bug caught by the tests.
    pub fn load() -> anyhow::Result<Self> {
        let es = bundle(Lang::Es, ES)?;
        let en = bundle(Lang::En, EN)?;
        let plain = [plain_messages(&es, Lang::Es), plain_messages(&en, Lang::En)];
        let html = plain
            .clone()
            .map(|m| m.into_iter().map(|(k, v)| (k, escape_html(&v))).collect());
        Ok(Self {
            es,
            en,
            plain,
            html,
        })
    }

    /// A message without arguments, borrowed from the start-up cache; a missing key is
    /// logged and shown as the key itself.
    pub fn text<'a>(&'a self, lang: Lang, id: &'a str) -> &'a str {
        let cache = &self.plain[lang as usize];
        match cache.get(id) {
            Some(t) => t,
            None => {
                tracing::warn!(id, lang = lang.code(), "missing translation");
                id
            }
        }
    }

    /// [`I18n::text`], already escaped for HTML.
    pub fn text_html<'a>(&'a self, lang: Lang, id: &'a str) -> &'a str {
        match self.html[lang as usize].get(id) {
            Some(t) => t,
            None => {
                tracing::warn!(id, lang = lang.code(), "missing translation");
                id
            }
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
        }
    }

    /// The message `id` in `lang`, with optional arguments. A missing key is logged and
    /// shown as the key itself (the catalogue tests keep that from shipping).
    pub fn message(&self, lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = lang.code(), "missing translation");
            return id.to_owned();
        };
        let fargs = (!args.is_empty()).then(|| {
            let mut a = FluentArgs::new();
            for (k, v) in args {
                a.set(*k, v.clone());
            }
            a
        });
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, fargs.as_ref(), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, lang = lang.code(), ?errors, "translation formatting");
        }
        text.into_owned()
    }

    /// The message ids of a language's catalogue.
    pub fn ids(lang: Lang) -> Vec<String> {
        let src = match lang {
            Lang::Es => ES,
            Lang::En => EN,
        };
        src.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect()
    }
}

/// Every message of a catalogue that formats without arguments.
fn plain_messages(bundle: &FluentBundle<FluentResource>, lang: Lang) -> FxHashMap<String, String> {
    I18n::ids(lang)
        .into_iter()
        .filter_map(|id| {
            let pattern = bundle.get_message(&id)?.value()?;
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors);
            errors.is_empty().then(|| (id, text.into_owned()))
        })
        .collect()
}

fn bundle(lang: Lang, src: &str) -> anyhow::Result<FluentBundle<FluentResource>> {
    let res = FluentResource::try_new(src.to_owned())
        .map_err(|(_, errs)| anyhow::anyhow!("{} catalogue: {errs:?}", lang.code()))?;
    let id = match lang {
        Lang::Es => langid!("es-ES"),
        Lang::En => langid!("en-GB"),
    };
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: they show up in HTML attributes and tests.
    b.set_use_isolating(false);
    b.add_resource(res)
        .map_err(|errs| anyhow::anyhow!("{} catalogue: {errs:?}", lang.code()))?;
    Ok(b)
}

/// Escapes text for HTML content and quoted attributes.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A translator for one request: what templates call as `tr.t("key")`.
#[derive(Clone, Debug)]
pub struct Tr {
    i18n: Arc<I18n>,
    pub lang: Lang,
}

impl Tr {
    pub fn new(i18n: Arc<I18n>, lang: Lang) -> Self {
        Self { i18n, lang }
    }

    pub fn t<'a>(&'a self, id: &'a str) -> &'a str {
        self.i18n.text(self.lang, id)
    }

    /// `t`, escaped for HTML at start-up rather than on every page: for the
    /// texts of the layout, which every page renders (`{{ ctx.tr.h("nav-home") }}`).
    pub fn h<'a>(&'a self, id: &'a str) -> askama::filters::Safe<&'a str> {
        askama::filters::Safe(self.i18n.text_html(self.lang, id))
    }

    /// A message with one argument, e.g. `tr.t1("items-count", "count", 3)`.
    pub fn t1(&self, id: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        self.i18n.message(self.lang, id, &[(name, value.into())])
    }

    /// A message with several arguments.
    pub fn tn(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.i18n.message(self.lang, id, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_catalogues_parse() {
        I18n::load().unwrap();
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let es: BTreeSet<_> = I18n::ids(Lang::Es).into_iter().collect();
        let en: BTreeSet<_> = I18n::ids(Lang::En).into_iter().collect();
        assert!(es.len() > 10, "the catalogue reader found too few keys");
        let only_es: Vec<_> = es.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&es).collect();
        assert!(only_es.is_empty(), "keys missing in English: {only_es:?}");
        assert!(only_en.is_empty(), "keys missing in Spanish: {only_en:?}");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let es: BTreeSet<_> = I18n::ids(Lang::Es).into_iter().collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut seen = 0;
        for dir in ["templates", "src"] {
            for file in walk(&root.join(dir)) {
                // This module's own docs and tests name example keys.
                if file.starts_with(root.join("src/i18n")) {
                    continue;
                }
                let text = std::fs::read_to_string(&file).unwrap();
                for key in used_keys(&text) {
                    seen += 1;
                    if !es.contains(&key) {
                        missing.push(format!("{}: {key}", file.display()));
                    }
                }
            }
        }
        assert!(seen > 10, "found too few uses of translations ({seen})");
        assert!(
            missing.is_empty(),
            "translation keys used but not defined: {missing:#?}"
        );
    }

    /// Keys written as `t("key"` or `t1("key"` (templates and Rust alike).
    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for marker in [".t(\"", ".h(\"", ".t1(\"", ".tn(\"", "tr_key(\""] {
            let mut rest = text;
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                if let Some(end) = rest.find('"') {
                    keys.push(rest[..end].to_owned());
                }
            }
        }
        keys
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn negotiation_prefers_cookie_then_header_quality() {
        assert_eq!(Lang::negotiate(None, None), Lang::Es);
        assert_eq!(Lang::negotiate(Some("en"), Some("es")), Lang::En);
        assert_eq!(
            Lang::negotiate(Some("fr"), Some("en-GB,en;q=0.9")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(None, Some("fr-FR, en;q=0.5, es;q=0.8")),
            Lang::Es
        );
        assert_eq!(Lang::negotiate(None, Some("de, fr")), Lang::Es);
        assert_eq!(Lang::negotiate(None, Some("en;q=0, es;q=0.1")), Lang::Es);
        assert_eq!(Lang::negotiate(None, Some(";;;q=,,")), Lang::Es);
    }

    #[test]
    fn arguments_are_formatted() {
        let i = Arc::new(I18n::load().unwrap());
        let tr = Tr::new(i, Lang::En);
        assert_eq!(tr.t("lang-name"), "English");
        assert_eq!(
            escape_html("<a href=\"x\">I+D & 'co'</a>"),
            "&lt;a href=&quot;x&quot;&gt;I+D &amp; &#39;co&#39;&lt;/a&gt;"
        );
        assert_eq!(tr.h("lang-name").0, "English");
        assert_eq!(tr.t("no-such-key"), "no-such-key");
    }
}
