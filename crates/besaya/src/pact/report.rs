//! TODO(indicators helper): the semester report (printable page and XLSX).

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
