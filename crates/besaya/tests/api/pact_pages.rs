//! The Pact's pages, on both databases: a need goes from the company's form to an
//! agreement through the pages alone (create → submit → publish → invite →
//! interest → shortlist → accept), with CSRF on every form; each role sees what
//! it may and nothing confidential (a pact member never sees the owner; a
//! candidate sees it only once both sides consented; the owner sees "Candidato 1"
//! until then); the form shows its errors next to the fields in Spanish and in
//! English; a stale edit says so; what is not yours answers 404; the admin edits
//! the target days with a version check.

use besaya::i18n::Lang;
use besaya_domain::{Email, Role};

use crate::helpers::{PASSWORD, TestApp, backends, csrf_of, new_client};

backends!(
    a_need_goes_from_the_form_to_an_agreement,
    each_role_sees_only_what_it_may,
    the_form_speaks_both_languages_and_catches_stale_edits,
    the_targets_are_edited_with_a_version_check,
    the_routed_administration_answers_in_the_platform,
    a_need_nobody_can_answer_says_so,
);

const OWNER_ORG: &str = "Aceros Trefilados del Besaya, S.A. (demo)";
const CANDIDATE_ORG: &str = "Ingeniería Eléctrica Polanco, S.L. (demo)";
const OTHER_ORG: &str = "Plásticos Técnicos Cartes, S.L. (demo)";
const TITLE: &str = "Mantenimiento de instalaciones eléctricas de alta tensión";

// ---- Setting the scene ----

async fn org_named(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(name)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

/// A signed-in browser of a new user: (client, user id).
async fn browser(
    app: &TestApp,
    role: Role,
    lang: Lang,
    orgs: &[&str],
) -> (reqwest::Client, String) {
    let email = format!(
        "{}-{}@besaya.example",
        role.as_str(),
        uuid::Uuid::now_v7().simple()
    );
    let hash = besaya::auth::password::hash(PASSWORD.to_owned())
        .await
        .unwrap();
    let mut tx = app.state.db.writer().begin().await.unwrap();
    let id = besaya::users::store::create(
        &mut tx,
        None,
        &besaya::users::store::NewUser {
            email: Email::parse(&email).unwrap(),
            name: format!("Persona {}", role.as_str()),
            role,
            lang,
            organization_ids: orgs.iter().map(|o| (*o).to_owned()).collect(),
            password_hash: Some(hash),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let client = new_client();
    let res = app.login(&client, &email, PASSWORD).await;
    assert_eq!(res.status(), 303, "login as {role}");
    if lang == Lang::En {
        client
            .get(app.url("/lang/en?next=%2F"))
            .send()
            .await
            .unwrap();
    }
    (client, id)
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    let t = res.text().await.unwrap();
    (status, t)
}

/// POSTs a form of `form_page` (its CSRF token) to `action`.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_form(client, form_page, action, fields).await
}

/// A catalogue's text, HTML-escaped as pages show it (and never the bare key).
fn words(app: &TestApp, lang: Lang, key: &str) -> String {
    let t = besaya::i18n::Tr::new(app.state.i18n.clone(), lang)
        .t(key)
        .to_owned();
    assert_ne!(t, key, "{key} is in the catalogue");
    t.replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}

/// The value of the hidden `version` field of the form posting to `action`.
fn version_in(html: &str, action: &str) -> String {
    let at = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form to {action}"));
    let rest = &html[at..];
    let marker = "name=\"version\" value=\"";
    let start = rest.find(marker).expect("a version field") + marker.len();
    rest[start..start + rest[start..].find('"').unwrap()].to_owned()
}

fn need_fields<'a>(title: &'a str, cnae: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "service"),
        ("title", title),
        (
            "summary",
            "Mantenimiento preventivo y correctivo de dos subestaciones de 30 kV.",
        ),
        (
            "description",
            "Revisiones trimestrales, termografías y atención de averías 24 h.",
        ),
        ("cnae_1", cnae),
        ("required_certifications", "ISO 9001"),
        ("quantity", "2 subestaciones"),
        ("recurrence", "quarterly"),
        ("municipality_code", "Torrelavega"),
        ("anonymous", "1"),
        ("version", "0"),
    ]
}

/// A company user posts a need through the form; returns its id.
async fn post_need(app: &TestApp, owner: &reqwest::Client) -> String {
    let res = post(
        app,
        owner,
        "/pact/needs/new",
        "/pact/needs/new",
        &need_fields(TITLE, "43.21"),
    )
    .await;
    assert_eq!(res.status(), 303, "the form creates the need");
    let to = location(&res);
    assert!(to.starts_with("/pact/needs/"), "{to}");
    to.trim_start_matches("/pact/needs/").to_owned()
}

/// Submit (owner), publish (office), invite the candidate (office): the answer's id.
async fn publish_and_invite(
    app: &TestApp,
    owner: &reqwest::Client,
    office: &reqwest::Client,
    office_id: &str,
    id: &str,
    candidate_org: &str,
) -> String {
    let url = format!("/pact/needs/{id}");
    let action = format!("{url}/transition");
    let (_, html) = page(app, owner, &url).await;
    let v = version_in(&html, &action);
    let res = post(
        app,
        owner,
        &url,
        &action,
        &[("to", "submitted"), ("version", &v)],
    )
    .await;
    assert_eq!(res.status(), 303, "the owner submits");
    let (_, html) = page(app, office, &url).await;
    assert!(
        html.contains("name=\"broker_id\""),
        "the office publishes with a broker"
    );
    let v = version_in(&html, &action);
    let res = post(
        app,
        office,
        &url,
        &action,
        &[
            ("to", "published"),
            ("broker_id", office_id),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(res.status(), 303, "the office publishes");
    let res = post(
        app,
        office,
        &url,
        &format!("{url}/invitations"),
        &[("organization_ids", candidate_org)],
    )
    .await;
    assert_eq!(res.status(), 303, "the office invites");
    answer_id(app, id, candidate_org).await
}

async fn answer_id(app: &TestApp, need: &str, org: &str) -> String {
    sqlx::query_scalar("SELECT id FROM need_answers WHERE need_id = $1 AND organization_id = $2")
        .bind(need)
        .bind(org)
        .fetch_one(app.state.db.reader())
        .await
        .unwrap()
}

// ---- The stories ----

async fn a_need_goes_from_the_form_to_an_agreement(app: TestApp) {
    let owner_org = org_named(&app, OWNER_ORG).await;
    let cand_org = org_named(&app, CANDIDATE_ORG).await;
    let (owner, _) = browser(&app, Role::Company, Lang::Es, &[&owner_org]).await;
    let (office, office_id) = browser(&app, Role::Staff, Lang::Es, &[]).await;
    let (cand, _) = browser(&app, Role::Company, Lang::Es, &[&cand_org]).await;

    // The company's list offers the form; the need starts as a draft of its own.
    let (status, html) = page(&app, &owner, "/pact").await;
    assert_eq!(status, 200);
    assert!(html.contains("Publicar una necesidad"));
    assert!(
        html.contains("href=\"/pact\""),
        "the navigation links the Pact"
    );
    let id = post_need(&app, &owner).await;
    let url = format!("/pact/needs/{id}");
    let (status, html) = page(&app, &owner, &url).await;
    assert_eq!(status, 200);
    assert!(html.contains(TITLE));
    assert!(html.contains("Borrador"));
    assert!(html.contains("43.21"), "the CNAE class is shown");
    assert!(html.contains("Enviar a la Oficina"));
    assert!(
        !html.contains("Quién puede responder"),
        "no ranking for the owner"
    );
    let (_, html) = page(&app, &owner, "/pact").await;
    assert!(html.contains(TITLE), "its list shows its need");

    // A form without the CSRF token is refused.
    let res = owner
        .post(app.url(&format!("{url}/transition")))
        .form(&[("to", "submitted"), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // Submitted, published, the office sees the ranked list and invites.
    let aid = publish_and_invite(&app, &owner, &office, &office_id, &id, &cand_org).await;
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("Publicada") || html.contains("Con respuestas"));
    assert!(html.contains("Quién puede responder"));
    assert!(html.contains("Invitar a los seleccionados"));
    // The certified local electrical contractor comes first, with its reasons in words.
    let first = html.find("id=\"match-").expect("a ranked match");
    let row = &html[first..first + html[first..].find("</tr>").unwrap()];
    assert!(
        row.starts_with(&format!("id=\"match-{cand_org}\"")),
        "{row}"
    );
    assert!(row.contains("Cumple todos los requisitos"), "{row}");
    assert!(
        row.contains("Ya invitada"),
        "invited organisations are marked: {row}"
    );
    assert!(
        row.matches("<li>").count() >= 2,
        "reasons as sentences: {row}"
    );
    assert!(!row.contains("pact-api-"), "every reason is worded: {row}");
    assert!(html.contains("Reloj de respuesta"));
    assert!(html.contains("Primera respuesta esperada el"));
    assert!(html.contains(OWNER_ORG), "the office sees the owner");
    assert!(
        html.contains(CANDIDATE_ORG),
        "the office sees the candidates' names"
    );
    assert!(html.contains("Embudo de resultados"));

    // The candidate: its invitation, the need without the owner's name.
    let (status, html) = page(&app, &cand, "/pact/invitations").await;
    assert_eq!(status, 200);
    assert!(html.contains(TITLE));
    assert!(html.contains("Invitada"));
    assert!(!html.contains("Aceros Trefilados"), "anonymous in the list");
    let answer = format!("{url}/answers/{aid}");
    let (status, html) = page(&app, &cand, &answer).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&words(&app, Lang::Es, "pact-api-anonymous-owner")),
        "{html}"
    );
    assert!(
        !html.contains("Aceros Trefilados"),
        "no owner name before consent"
    );
    assert!(html.contains("Qué proponemos"));
    let (_, html) = page(&app, &cand, "/pact").await;
    assert!(html.contains("Necesidades a las que le han invitado"));
    assert!(!html.contains("Aceros Trefilados"));

    // An expression of interest without a proposal is refused next to the field.
    let v = version_in(
        &html_of(&app, &cand, &answer).await,
        &format!("{answer}/interest"),
    );
    let res = post(
        &app,
        &cand,
        &answer,
        &format!("{answer}/interest"),
        &[
            ("proposal", "  "),
            ("offer_amount_eur", "mucho"),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"offer_amount_eur-error\""), "{html}");
    // Then a real one, with consent to release its identity.
    let res = post(
        &app,
        &cand,
        &answer,
        &format!("{answer}/interest"),
        &[
            (
                "proposal",
                "Brigada de 6 técnicos con experiencia en 30 kV.",
            ),
            ("questions", "¿Hay planos unifilares actualizados?"),
            (
                "presentation",
                "Ingeniería eléctrica de Polanco con 40 personas.",
            ),
            ("offer_amount_eur", "48.000"),
            ("consent", "1"),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &cand, &answer).await;
    assert!(html.contains("Interesada"));
    assert!(html.contains("48.000 €"));
    assert!(
        !html.contains("Aceros Trefilados"),
        "still hidden: the owner has not consented"
    );

    // The candidate attaches its offer; a file that is no document is refused.
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let (app, cand, answer) = (&app, &cand, answer.clone());
        async move {
            let token = app.csrf(cand, &answer).await;
            let form = reqwest::multipart::Form::new().text("_csrf", token).part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            cand.post(app.url(&format!("{answer}/files")))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let res = upload(b"MZ\x90\x00 not a document".to_vec(), "oferta.exe").await;
    assert_eq!(res.status(), 415);
    assert!(res.text().await.unwrap().contains("id=\"file-error\""));
    let offer = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% oferta\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let res = upload(offer.clone(), "oferta.pdf").await;
    assert_eq!(res.status(), 303);

    // The owner sees "Candidato 1", never the name, and the first answer on the clock.
    let (_, html) = page(&app, &owner, &url).await;
    assert!(html.contains("Candidato 1"), "{html}");
    assert!(!html.contains(CANDIDATE_ORG));
    assert!(html.contains("Con respuestas"));
    let (_, html) = page(&app, &owner, &answer).await;
    assert!(html.contains("Brigada de 6 técnicos"));
    assert!(!html.contains(CANDIDATE_ORG));
    // ...and downloads the attachment from its link.
    let start = html
        .find(&format!("href=\"{answer}/files/"))
        .expect("a download link")
        + 6;
    let link = html[start..start + html[start..].find('"').unwrap()].to_owned();
    let res = owner.get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().to_vec(), offer);
    let (other, _) = browser(
        &app,
        Role::Company,
        Lang::Es,
        &[&org_named(&app, OTHER_ORG).await],
    )
    .await;
    assert_eq!(
        page(&app, &other, &link).await.0,
        404,
        "nobody else downloads it"
    );

    // The owner shortlists from the table, then accepts with an amount.
    let v = version_in(
        &html_of(&app, &owner, &url).await,
        &format!("{answer}/move"),
    );
    let res = post(
        &app,
        &owner,
        &url,
        &format!("{answer}/move"),
        &[("to", "shortlisted"), ("back", "need"), ("version", &v)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with(&url));
    let (_, html) = page(&app, &owner, &answer).await;
    assert!(html.contains("Preseleccionada"));
    // An amount that is not one says so.
    let v = version_in(&html, &format!("{answer}/move"));
    let res = post(
        &app,
        &owner,
        &answer,
        &format!("{answer}/move"),
        &[("to", "accepted"), ("amount_eur", "doce"), ("version", &v)],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("id=\"amount_eur-error\"")
    );

    // The owner consents: both sides did, the names are released.
    let (_, html) = page(&app, &owner, &answer).await;
    let v = version_in(&html, &format!("{answer}/consent"));
    let res = post(
        &app,
        &owner,
        &answer,
        &format!("{answer}/consent"),
        &[("version", &v)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &cand, &answer).await;
    assert!(
        html.contains("Aceros Trefilados"),
        "released after both consented"
    );
    let (_, html) = page(&app, &owner, &answer).await;
    assert!(html.contains(CANDIDATE_ORG));

    let v = version_in(&html, &format!("{answer}/move"));
    let res = post(
        &app,
        &owner,
        &answer,
        &format!("{answer}/move"),
        &[
            ("to", "accepted"),
            ("amount_eur", "45.500"),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("Acuerdo"));
    assert!(html.contains("45.500 €"), "the funnel shows the amount");
    assert!(html.contains("Aceptada"));
    assert!(html.contains("Historial"));
}

async fn html_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    page(app, client, path).await.1
}

async fn each_role_sees_only_what_it_may(app: TestApp) {
    let owner_org = org_named(&app, OWNER_ORG).await;
    let cand_org = org_named(&app, CANDIDATE_ORG).await;
    let other_org = org_named(&app, OTHER_ORG).await;
    let (owner, _) = browser(&app, Role::Company, Lang::Es, &[&owner_org]).await;
    let (office, office_id) = browser(&app, Role::Staff, Lang::Es, &[]).await;
    let (other, _) = browser(&app, Role::Company, Lang::Es, &[&other_org]).await;
    let (member, _) = browser(&app, Role::PactMember, Lang::En, &[]).await;
    let (investor, _) = browser(&app, Role::Investor, Lang::Es, &[]).await;
    let id = post_need(&app, &owner).await;
    let url = format!("/pact/needs/{id}");

    // A draft is the owner's and the office's only.
    assert_eq!(page(&app, &other, &url).await.0, 404);
    assert_eq!(page(&app, &member, &url).await.0, 404);
    assert_eq!(page(&app, &office, &url).await.0, 200);
    let (_, html) = page(&app, &member, "/pact").await;
    assert!(!html.contains(TITLE), "members do not see drafts");

    let aid = publish_and_invite(&app, &owner, &office, &office_id, &id, &cand_org).await;

    // A member reads the published need in English, owner anonymised.
    let (status, html) = page(&app, &member, "/pact").await;
    assert_eq!(status, 200);
    assert!(html.contains(TITLE));
    let anonymous = words(&app, Lang::En, "pact-api-anonymous-owner");
    assert!(html.contains(&anonymous), "{html}");
    assert!(!html.contains("Aceros Trefilados"));
    assert!(!html.contains("Post a need"), "members do not post");
    let (status, html) = page(&app, &member, &url).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("Aceros Trefilados"),
        "no owner name for a member"
    );
    assert!(!html.contains(CANDIDATE_ORG), "no candidates for a member");
    assert!(!html.contains("Who could answer"));
    assert!(!html.contains("Necesidad"), "no Spanish on an English page");

    // Another company: neither the need nor the answer; nor can it write to them.
    let answer = format!("{url}/answers/{aid}");
    assert_eq!(page(&app, &other, &url).await.0, 404);
    assert_eq!(page(&app, &other, &answer).await.0, 404);
    let res = post(
        &app,
        &other,
        "/pact",
        &format!("{answer}/interest"),
        &[("proposal", "Nosotros también"), ("version", "1")],
    )
    .await;
    assert_eq!(res.status(), 404);
    let (_, html) = page(&app, &other, "/pact").await;
    assert!(!html.contains(TITLE));
    assert_eq!(page(&app, &other, &format!("{url}/edit")).await.0, 404);
    // The owner cannot edit a published need; nor can it see the ranking.
    assert_eq!(page(&app, &owner, &format!("{url}/edit")).await.0, 404);
    let res = post(
        &app,
        &owner,
        &url,
        &format!("{url}/invitations"),
        &[("organization_ids", &other_org)],
    )
    .await;
    assert_eq!(res.status(), 404);

    // Investors have no business here; unknown needs are 404.
    assert_eq!(page(&app, &investor, "/pact").await.0, 404);
    assert_eq!(page(&app, &investor, &url).await.0, 404);
    assert_eq!(page(&app, &office, "/pact/needs/nope").await.0, 404);
    assert_eq!(
        page(
            &app,
            &office,
            "/pact/needs/01938f00-0000-7000-8000-00000000dead"
        )
        .await
        .0,
        404
    );
    // Visitors are sent to log in.
    let res = app.client.get(app.url("/pact")).send().await.unwrap();
    assert_eq!(res.status(), 303);

    // The office's list has the filters and finds it by text.
    let (_, html) = page(&app, &office, "/pact?q=alta+tensi%C3%B3n&status=published").await;
    assert!(html.contains(TITLE));
    let (_, html) = page(&app, &office, "/pact?kind=talent").await;
    assert!(!html.contains(TITLE));
}

async fn the_form_speaks_both_languages_and_catches_stale_edits(app: TestApp) {
    let owner_org = org_named(&app, OWNER_ORG).await;
    let (es, _) = browser(&app, Role::Company, Lang::Es, &[&owner_org]).await;
    let (en, _) = browser(&app, Role::Company, Lang::En, &[&owner_org]).await;
    let (office, _) = browser(&app, Role::Staff, Lang::Es, &[]).await;

    // Blank title and an unknown CNAE class: errors next to the fields, in Spanish...
    let mut fields = need_fields("", "99.99");
    fields.retain(|(k, _)| *k != "kind");
    let res = post(&app, &es, "/pact/needs/new", "/pact/needs/new", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"title-error\""), "{html}");
    assert!(html.contains("id=\"kind-error\""));
    assert!(html.contains("id=\"cnae_1-error\"") || html.contains("id=\"cnae_codes-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("Mantenimiento preventivo"),
        "what was typed is kept"
    );
    assert!(!html.contains("pact-err-"), "every message is worded");
    let es_title_error = field_error(&html, "title");
    // ...and in English, never the same words.
    let res = post(&app, &en, "/pact/needs/new", "/pact/needs/new", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Kind of need"));
    let en_title_error = field_error(&html, "title");
    assert_ne!(es_title_error, en_title_error);
    assert!(!html.contains("pact-err-"));

    // The owner field is the office's: a company posts for its own organisation.
    let (_, html) = page(&app, &es, "/pact/needs/new").await;
    assert!(!html.contains("name=\"owner_org_id\""));
    assert!(html.contains("Aceros Trefilados"));
    assert!(
        html.contains("name=\"anonymous\" value=\"1\" checked"),
        "anonymous by default"
    );
    assert!(
        html.contains("list=\"cnae-classes\""),
        "the CNAE picker works without JS"
    );
    let (_, html) = page(&app, &office, "/pact/needs/new").await;
    assert!(html.contains("name=\"owner_org_id\""));

    // Two edits of the same version: the second is told and shown the need as it is now.
    let id = post_need(&app, &es).await;
    let edit = format!("/pact/needs/{id}/edit");
    let (status, html) = page(&app, &es, &edit).await;
    assert_eq!(status, 200);
    let v = version_in(&html, &edit);
    let mut first = need_fields("Mantenimiento de subestaciones", "43.21");
    first.retain(|(k, _)| *k != "version");
    first.push(("version", &v));
    let res = post(&app, &es, &edit, &edit, &first).await;
    assert_eq!(res.status(), 303);
    let mut second = need_fields("Otro título", "43.21");
    second.retain(|(k, _)| *k != "version");
    second.push(("version", &v));
    let res = post(&app, &es, &edit, &edit, &second).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains("Alguien ha cambiado esta necesidad"));
    assert!(html.contains("Mantenimiento de subestaciones"));

    // Closing asks for a reason.
    let url = format!("/pact/needs/{id}");
    let (_, html) = page(&app, &office, &url).await;
    let v = version_in(&html, &format!("{url}/transition"));
    let res = post(
        &app,
        &office,
        &url,
        &format!("{url}/transition"),
        &[("to", "closed"), ("reason", ""), ("version", &v)],
    )
    .await;
    assert_eq!(
        res.status(),
        422,
        "a draft cannot be closed, or not without a reason"
    );
}

/// The text of the error shown next to `field`.
fn field_error(html: &str, field: &str) -> String {
    let marker = format!("id=\"{field}-error\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no error for {field}"))
        + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

async fn the_targets_are_edited_with_a_version_check(app: TestApp) {
    let (admin, _) = browser(&app, Role::Admin, Lang::Es, &[]).await;
    let (staff, _) = browser(&app, Role::Staff, Lang::Es, &[]).await;
    assert_eq!(page(&app, &staff, "/pact/targets").await.0, 403);
    let (status, html) = page(&app, &admin, "/pact/targets").await;
    assert_eq!(status, 200);
    assert!(html.contains("Plazos objetivo de respuesta"));
    assert!(html.contains("Suministro"));
    let kinds = [
        "supply",
        "service",
        "talent",
        "infrastructure_energy",
        "land",
        "permit_regulatory",
        "rnd",
        "other",
    ];
    let versions: Vec<String> = kinds
        .iter()
        .map(|k| {
            let marker = format!("name=\"version_{k}\" value=\"");
            let s = html.find(&marker).unwrap() + marker.len();
            html[s..s + html[s..].find('"').unwrap()].to_owned()
        })
        .collect();
    let token = csrf_of(&html);
    let form = |supply: &str| {
        let mut f: Vec<(String, String)> = vec![("_csrf".into(), token.clone())];
        for (k, v) in kinds.iter().zip(&versions) {
            let days = if *k == "supply" { supply } else { "5" };
            f.push((format!("days_{k}"), days.to_owned()));
            f.push((format!("version_{k}"), v.clone()));
        }
        f
    };
    let res = admin
        .post(app.url("/pact/targets"))
        .form(&form("0"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("id=\"days_supply-error\"")
    );
    let res = admin
        .post(app.url("/pact/targets"))
        .form(&form("8"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &admin, "/pact/targets").await;
    assert!(html.contains("name=\"days_supply\" value=\"8\""));
    // The same (now stale) versions again: a conflict, the stored values shown.
    let res = admin
        .post(app.url("/pact/targets"))
        .form(&form("9"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains("name=\"days_supply\" value=\"8\""));
}

async fn the_routed_administration_answers_in_the_platform(app: TestApp) {
    let owner_org = org_named(&app, OWNER_ORG).await;
    let council = org_named(&app, "Ayuntamiento de ejemplo de Torrelavega (demo)").await;
    let (office, office_id) = browser(&app, Role::Staff, Lang::Es, &[]).await;
    let (clerk, _) = browser(&app, Role::PactMember, Lang::Es, &[&council]).await;

    // The office posts a slow activity licence on the company's behalf.
    let mut fields = need_fields("Licencia de actividad para la nueva nave", "");
    fields.retain(|(k, _)| !matches!(*k, "kind" | "required_certifications"));
    fields.push(("kind", "permit_regulatory"));
    fields.push(("owner_org_id", &owner_org));
    let res = post(&app, &office, "/pact/needs/new", "/pact/needs/new", &fields).await;
    assert_eq!(res.status(), 303);
    let url = location(&res);
    let action = format!("{url}/transition");
    let (_, html) = page(&app, &office, &url).await;
    assert!(
        html.contains("Aceros Trefilados"),
        "the owner chosen by the office"
    );
    let v = version_in(&html, &action);
    let res = post(
        &app,
        &office,
        &url,
        &action,
        &[("to", "submitted"), ("version", &v)],
    )
    .await;
    assert_eq!(res.status(), 303);
    // Publishing it offers the administrations to route it to.
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("name=\"routed_org_id\""));
    assert!(html.contains(&format!("<option value=\"{council}\"")));
    let v = version_in(&html, &action);
    let res = post(
        &app,
        &office,
        &url,
        &action,
        &[
            ("to", "published"),
            ("broker_id", &office_id),
            ("routed_org_id", &council),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("Administración responsable"));

    // The council's clerk finds it among its invitations and answers it.
    let (status, html) = page(&app, &clerk, "/pact/invitations").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Licencia de actividad para la nueva nave"),
        "{html}"
    );
    assert!(!html.contains("Aceros Trefilados"));
    let start = html.find("href=\"/pact/needs/").unwrap() + 6;
    let answer = html[start..start + html[start..].find('"').unwrap()].to_owned();
    assert!(answer.contains("/answers/"), "{answer}");
    let (_, html) = page(&app, &clerk, &answer).await;
    let v = version_in(&html, &format!("{answer}/interest"));
    let res = post(
        &app,
        &clerk,
        &answer,
        &format!("{answer}/interest"),
        &[
            (
                "proposal",
                "Tramitación preferente con informe urbanístico en 10 días.",
            ),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("Interesada"));
    assert!(html.contains("Con respuestas"));
}

async fn a_need_nobody_can_answer_says_so(app: TestApp) {
    let owner_org = org_named(&app, OWNER_ORG).await;
    let (office, _) = browser(&app, Role::Staff, Lang::En, &[]).await;
    let mut fields = need_fields("Inspección de recipientes a presión nucleares", "43.21");
    fields.retain(|(k, _)| *k != "required_certifications");
    fields.push((
        "required_certifications",
        "ISO 9001\nHomologación nuclear clase 1 ENSA",
    ));
    fields.push(("owner_org_id", &owner_org));
    let res = post(&app, &office, "/pact/needs/new", "/pact/needs/new", &fields).await;
    assert_eq!(res.status(), 303);
    let url = location(&res);
    let action = format!("{url}/transition");
    let v = version_in(&html_of(&app, &office, &url).await, &action);
    let res = post(
        &app,
        &office,
        &url,
        &action,
        &[("to", "submitted"), ("version", &v)],
    )
    .await;
    assert_eq!(res.status(), 303);
    // At triage the office already sees who could answer: nobody fully, and it is told so.
    let (_, html) = page(&app, &office, &url).await;
    assert!(
        html.contains("Nobody in the directory meets every requirement; these are the nearest partial matches."),
        "{html}"
    );
    assert!(html.contains("Partial match"));
    assert!(!html.contains("Meets every requirement"));
    assert!(html.contains("You can invite once the need is published."));
}
