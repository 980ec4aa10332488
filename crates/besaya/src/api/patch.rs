//! `PATCH` as a JSON merge patch (RFC 7396) over the stored record, with the
//! `version` the client read.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::IntoParams;

use super::ApiError;

/// Merges `patch` over `current` (as its input type) and returns the input and the
/// version sent. `read_only` fields (sent back from a `GET`) are ignored; a field
/// sent as `null` is cleared, one left out is kept.
pub fn merge_patch<T: Serialize + serde::de::DeserializeOwned>(
    current: &T,
    patch: Value,
    read_only: &[&str],
) -> Result<(T, i64), ApiError> {
    let Value::Object(mut patch) = patch else {
        return Err(ApiError::field(
            "body",
            "invalid_value",
            "the body is a JSON object",
        ));
    };
    for k in read_only {
        patch.remove(*k);
    }
    let version = match patch.remove("version") {
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
        _ => {
            return Err(ApiError::field(
                "version",
                "required",
                "send the version you read (an integer)",
            ));
        }
    };
    let mut merged = serde_json::to_value(current).map_err(anyhow::Error::from)?;
    if let Value::Object(target) = &mut merged {
        for (k, v) in patch {
            target.insert(k, v);
        }
    }
    let input: T = serde_json::from_value(merged)
        .map_err(|e| ApiError::field("body", "invalid_value", e.to_string()))?;
    Ok((input, version))
}

/// `DELETE ...?version=N`: the version read; when given, a stale one gets 409.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// The version read; when given, a stale one gets 409.
    pub version: Option<i64>,
}
