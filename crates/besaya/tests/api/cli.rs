//! The binary as an operator meets it: help, bad configuration ending in one clear
//! line and a non-zero exit, migrate, demo, and a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn besaya(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_besaya"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BESAYA_DATA_DIR", dir)
        .env("BESAYA_BIND", "127.0.0.1:0")
        .env("BESAYA_METRICS_BIND", "off")
        .current_dir(dir);
    c
}

/// Runs to the end and returns (success, stdout, stderr).
fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_one_clear_line(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[0].contains(needle), "expected {needle:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
    ] {
        let (ok, out, _) = run(besaya(dir.path()).args(&args));
        assert!(ok, "{args:?}");
        assert!(out.contains("Usage: besaya"), "{args:?}: {out}");
    }
    let (_, out, _) = run(besaya(dir.path()).args(["demo", "--help"]));
    assert!(out.contains("--scale"));
}

#[test]
fn an_unknown_database_scheme_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(besaya(dir.path()).arg("migrate").env(
        "BESAYA_DATABASE_URL",
        "mysql://root:hunter2@localhost/besaya",
    ));
    assert!(!ok);
    assert_one_clear_line(&err, "unsupported database URL scheme");
    assert!(!err.contains("hunter2"), "password redacted: {err}");
}

#[test]
fn an_unreachable_database_is_one_clear_line_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (ok, _, err) = run(besaya(dir.path()).arg("migrate").env(
        "BESAYA_DATABASE_URL",
        "postgres://besaya:hunter2@127.0.0.1:1/besaya",
    ));
    assert!(!ok);
    assert_one_clear_line(
        &err,
        "cannot connect to the database postgres://besaya:***@127.0.0.1:1/besaya",
    );
    assert!(!err.contains("hunter2"));
    assert!(started.elapsed() < Duration::from_secs(15), "fails fast");
}

#[test]
fn an_unreadable_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) =
        run(besaya(dir.path()).args(["--config", "/nonexistent/besaya.toml", "migrate"]));
    assert!(!ok);
    assert_one_clear_line(&err, "/nonexistent/besaya.toml");
    std::fs::write(dir.path().join("bad.toml"), "bind = [not toml").unwrap();
    let (ok, _, err) = run(besaya(dir.path()).args(["--config", "bad.toml", "migrate"]));
    assert!(!ok);
    assert!(err.starts_with("error: invalid configuration"), "{err}");
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, _, err) = run(besaya(dir.path())
        .args(["serve", "--bind", &addr])
        .env("BESAYA_LOG", "off"));
    assert!(!ok);
    assert_one_clear_line(&err, &format!("cannot listen on {addr}"));
}

#[test]
fn a_bad_district_list_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, _) = run(besaya(dir.path()).arg("demo"));
    assert!(ok);
    let (ok, _, err) = run(besaya(dir.path())
        .args(["serve"])
        .env("BESAYA_LOG", "off")
        .env("BESAYA_DISTRICT_MUNICIPALITIES", "39087,Torrelavega"));
    assert!(!ok);
    assert_one_clear_line(&err, "district_municipalities");
}

#[test]
fn migrate_and_demo_on_a_fresh_directory() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(besaya(dir.path()).arg("migrate"));
    assert!(ok, "{err}");
    assert!(out.contains("up to date"));
    assert!(
        dir.path().join("besaya.db").exists(),
        "SQLite file in the data directory"
    );
    let (ok, out, err) = run(besaya(dir.path()).args(["demo", "--scale", "25"]));
    assert!(ok, "{err}");
    assert!(
        out.contains("0 reference rows"),
        "migrate already loaded the reference data: {out}"
    );
    assert!(
        out.contains(
            "176 organisations, 42 sites, 13 projects, 10 needs and 13 pact commitments added"
        ),
        "151 fictional + 25 generated organisations, 40 fictional + 2 generated sites, 12 fictional + 1 generated projects, 10 fictional needs, 13 pact commitments: {out}"
    );
    let (ok, out, _) = run(besaya(dir.path()).arg("demo"));
    assert!(ok);
    assert!(
        out.contains(
            "0 reference rows, 0 organisations, 0 sites, 0 projects, 0 needs and 0 pact commitments added"
        ),
        "idempotent: {out}"
    );
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = besaya(dir.path())
        .args(["serve", "--demo"])
        .env("BESAYA_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("Besaya listening on http://127.0.0.1:"),
        "{line}"
    );
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();
    let (_, body, _) = run(Command::new("curl").args(["-s", &format!("{url}/healthz")]));
    assert_eq!(body, "ok");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_first_administrator_is_created_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let create = |email: &str, password: &str| {
        let mut child = besaya(dir.path())
            .args([
                "user",
                "create",
                "--email",
                email,
                "--name",
                "Ana Admin",
                "--role",
                "admin",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = create("ana@besaya.example", "corta");
    assert!(!ok);
    assert_one_clear_line(&err, "password refused");
    let (ok, out, err) = create("ana@besaya.example", "nave industrial en Barreda");
    assert!(ok, "{err}");
    assert!(
        out.contains("user ana@besaya.example created (admin)"),
        "{out}"
    );
    let (ok, _, err) = create("ANA@besaya.example", "otra nave industrial");
    assert!(!ok);
    assert_one_clear_line(&err, "already exists");
    let (ok, out, _) = run(besaya(dir.path()).args(["user", "list"]));
    assert!(ok);
    assert!(
        out.contains("admin") && out.contains("ana@besaya.example / Ana Admin"),
        "{out}"
    );
    let (ok, out, err) = run(besaya(dir.path()).args([
        "token",
        "create",
        "--email",
        "ana@besaya.example",
        "--name",
        "scripts",
    ]));
    assert!(ok, "{err}");
    let token = out.trim();
    assert!(token.starts_with("bsy_") && token.len() == 47, "{token}");
    let (ok, _, err) = run(besaya(dir.path()).args([
        "token",
        "create",
        "--email",
        "nadie@besaya.example",
        "--name",
        "x",
    ]));
    assert!(!ok);
    assert_one_clear_line(&err, "no active user");
    let (ok, _, err) = run(besaya(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "x@besaya.example",
            "--name",
            "X",
            "--role",
            "root",
            "--password-stdin",
        ])
        .stdin(Stdio::null()));
    assert!(!ok);
    assert_one_clear_line(&err, "--role");
}

#[test]
fn import_and_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let tax = |d: u32| besaya_domain::Nif::entity('B', d).unwrap().to_string();
    let file = dir.path().join("firmas.csv");
    std::fs::write(
        &file,
        format!(
            "tax_id,name,kind,municipality_code\n{},Uno,company,39087\n{},Dos,company,39087\n{},Tres,company,99999\n",
            tax(8_000_001),
            tax(8_000_002),
            tax(8_000_003)
        ),
    )
    .unwrap();
    let (ok, _, err) = run(besaya(dir.path())
        .args(["import", "organizations"])
        .arg(&file));
    assert!(!ok);
    assert!(err.contains("row 4, municipality_code"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");

    let fixed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("99999", "39087");
    std::fs::write(&file, fixed).unwrap();
    let (ok, out, err) = run(besaya(dir.path())
        .args(["import", "organizations", "--dry-run"])
        .arg(&file));
    assert!(ok, "{err}");
    assert!(out.contains("3 rows are valid (3 new, 0 updates)"), "{out}");
    let (ok, out, err) = run(besaya(dir.path())
        .args(["import", "organizations"])
        .arg(&file));
    assert!(ok, "{err}");
    assert!(out.contains("3 new, 0 updated"), "{out}");
    // Importing the same file again updates the three records.
    let (ok, out, _) = run(besaya(dir.path())
        .args(["import", "organizations"])
        .arg(&file));
    assert!(ok);
    assert!(out.contains("0 new, 3 updated"), "{out}");

    let (ok, out, err) = run(besaya(dir.path()).args([
        "export",
        "organizations",
        "--format",
        "xlsx",
        "--output",
        "todo.xlsx",
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("3 organisations"), "{out}");
    let xlsx = std::fs::read(dir.path().join("todo.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let (ok, _, err) = run(besaya(dir.path()).args(["export", "organizations", "--format", "csv"]));
    assert!(ok, "{err}");
    let csv = std::fs::read_to_string(dir.path().join("organizaciones.csv")).unwrap();
    assert!(csv.contains(",Dos,") && csv.lines().count() == 4, "{csv}");
}
