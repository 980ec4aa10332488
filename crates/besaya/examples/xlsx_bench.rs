//! Writes 100,000 rows × 20 mixed columns to XLSX and to CSV with
//! `besaya::tabular`, reads both back, and prints the time and the peak memory
//! (VmHWM, reset before each step where the kernel allows it) of each step.
//!
//! ```sh
//! cargo run --release -p besaya --example xlsx_bench [-- xlsx|csv] [--save]
//! ```
//!
//! `xlsx` or `csv` runs only that format (memory freed by one step is kept by
//! the allocator for the next, so a step's own peak is clearest alone);
//! `--save` also writes the files to the temporary directory.

use std::time::Instant;

use besaya::tabular::{self, Cell, Table};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 100_000;
const COLUMNS: usize = 20;
const TOWNS: [&str; 5] = [
    "Torrelavega",
    "Los Corrales de Buelna",
    "Cartes",
    "San Felices de Buelna",
    "Polanco",
];

fn row(i: usize) -> Vec<Cell> {
    let n = i as i64;
    let day =
        time::Date::from_julian_day(2_458_850 + (i % 3_000) as i32).unwrap_or(time::Date::MIN);
    vec![
        Cell::Text(format!("Fundición Peña {i}, S.L.")),
        Cell::Int(n),
        Cell::Float(n as f64 * 1.37),
        Cell::Date(day),
        Cell::Bool(i.is_multiple_of(2)),
        Cell::Text(format!("B{:08}", i * 7 % 100_000_000)),
        Cell::Text(format!("contacto{i}@example.es")),
        Cell::Int(n % 500),
        Cell::Float(n as f64 * 1_000.25 + 0.5),
        Cell::Text(TOWNS[i % TOWNS.len()].to_owned()),
        if i.is_multiple_of(3) {
            Cell::Empty
        } else {
            Cell::Text(format!("Polígono Industrial Barros, nave {}", i % 90))
        },
        if i.is_multiple_of(1_000) {
            Cell::Text("=HYPERLINK(\"http://example.com\")".to_owned())
        } else {
            Cell::Text(format!("Calle Mayor {}", i % 250))
        },
        Cell::Int(39_300 + n % 100),
        Cell::Float(43.3 + (i % 1_000) as f64 / 10_000.0),
        Cell::Float(-4.05 - (i % 1_000) as f64 / 10_000.0),
        Cell::Date(day),
        Cell::Bool(i.is_multiple_of(3)),
        Cell::Text(format!("{}", 2_500 + i % 100)),
        Cell::Text(format!(
            "Fabricación de productos metálicos, línea {} — año {}",
            i % 40,
            1_990 + i % 35
        )),
        Cell::Int(1_950 + n % 75),
    ]
}

/// Peak and current resident memory, in MiB, from /proc/self/status.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0); false when not allowed.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn step<T>(name: &str, work: impl FnOnce() -> T, size: impl Fn(&T) -> String) -> T {
    let reset = reset_peak();
    let (_, before) = memory();
    let started = Instant::now();
    let result = work();
    let elapsed = started.elapsed();
    let (peak, after) = memory();
    println!(
        "{name:<16} {:>6.2} s   {:<12} peak RSS {peak:>6.1} MiB, {:>+6.1} MiB over the RSS before ({before:.1}){}; RSS after {after:.1} MiB",
        elapsed.as_secs_f64(),
        size(&result),
        peak - before,
        if reset { "" } else { " (peak not reset)" },
    );
    result
}

fn check(table: &Table, headers: &[&str]) -> Result<(), String> {
    if table.headers != headers || table.rows.len() != ROWS {
        return Err(format!(
            "read back {} columns and {} rows",
            table.headers.len(),
            table.rows.len()
        ));
    }
    let last = table.rows.last().map(|r| r.line);
    if last != Some(ROWS + 1) {
        return Err(format!("last row is line {last:?}"));
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |format: &str| {
        let other = if format == "xlsx" { "csv" } else { "xlsx" };
        !args.iter().any(|a| a == other)
    };
    let save = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
        if args.iter().any(|a| a == "--save") {
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, bytes)?;
            println!("saved {}", path.display());
        }
        Ok(())
    };
    let names: Vec<String> = (1..=COLUMNS).map(|c| format!("Column {c}")).collect();
    let headers: Vec<&str> = names.iter().map(String::as_str).collect();
    let mib = |bytes: &Vec<u8>| format!("{:.1} MiB", bytes.len() as f64 / 1_048_576.0);
    let rows = |table: &Result<Table, tabular::ReadError>| match table {
        Ok(table) => format!("{} rows", table.rows.len()),
        Err(e) => format!("error: {e}"),
    };
    println!("{ROWS} rows × {COLUMNS} columns");

    if wanted("xlsx") {
        let xlsx = step(
            "write_xlsx",
            || tabular::write_xlsx("Bench", &headers, (0..ROWS).map(row)),
            |r| r.as_ref().map_or_else(|e| e.to_string(), mib),
        )?;
        let table = step("read_table xlsx", || tabular::read_table(&xlsx), rows)?;
        check(&table, &headers)?;
        save("xlsx_bench.xlsx", &xlsx)?;
    }
    if wanted("csv") {
        let csv = step(
            "write_csv",
            || tabular::write_csv(&headers, (0..ROWS).map(row)),
            mib,
        );
        let table = step("read_table csv", || tabular::read_table(&csv), rows)?;
        check(&table, &headers)?;
        save("xlsx_bench.csv", &csv)?;
    }
    Ok(())
}
