//! The list convention: `?limit=&cursor=` → `{ "items": [...], "next_cursor": ... }`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use besaya_domain::Limit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;

/// The query of a list that takes nothing but paging (`?limit=&cursor=`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of a list. `next_cursor` is null on the last page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The validated paging parameters of a request.
#[derive(Debug, Clone)]
pub struct Paging {
    pub limit: Limit,
    /// The sort key of the last item of the previous page.
    pub after: Option<String>,
}

impl Paging {
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = Limit::parse(limit)
            .map_err(|e| ApiError::field("limit", "out_of_range", e.to_string()))?;
        let after = match cursor.filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                ApiError::field(
                    "cursor",
                    "invalid_cursor",
                    "cursor is not one this API gave",
                )
            })?),
        };
        Ok(Self { limit, after })
    }

    /// How many rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit.get()) + 1
    }

    /// Cuts the fetched rows to the page and computes the next cursor from the last kept item.
    pub fn page<T>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> String) -> Page<T> {
        let limit = self.limit.get() as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|r| encode_cursor(&key(r)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}

impl Paging {
    /// A page of a list computed whole in memory (the commitments' tree in
    /// display order, the pact's members): the cursor is the position where the
    /// next page starts.
    pub fn slice<T>(&self, all: Vec<T>) -> Result<Page<T>, ApiError> {
        let start = match self.after.as_deref() {
            None => 0,
            Some(k) => k.parse::<usize>().map_err(|_| {
                ApiError::field(
                    "cursor",
                    "invalid_cursor",
                    "cursor is not one this API gave",
                )
            })?,
        };
        let limit = self.limit.get() as usize;
        let end = start.saturating_add(limit);
        let next_cursor = (end < all.len()).then(|| encode_cursor(&end.to_string()));
        let items = all.into_iter().skip(start).take(limit).collect();
        Ok(Page { items, next_cursor })
    }
}

fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("k:{key}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("k:").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = encode_cursor("39087");
        assert_eq!(decode_cursor(&c).as_deref(), Some("39087"));
        assert!(decode_cursor("not a cursor!").is_none());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("39087")).is_none());
        assert!(Paging::parse(Some(0), None).is_err());
        assert!(Paging::parse(None, Some("%%%")).is_err());
    }

    #[test]
    fn a_full_page_gets_a_cursor_and_the_last_does_not() {
        let p = Paging::parse(Some(2), None).unwrap();
        let page = p.page(vec![1, 2, 3], |n| n.to_string());
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(
            decode_cursor(page.next_cursor.as_deref().unwrap()).as_deref(),
            Some("2")
        );
        let last = p.page(vec![4, 5], |n| n.to_string());
        assert!(last.next_cursor.is_none());
    }

    #[test]
    fn a_list_in_memory_is_cut_in_pages_that_cover_it_once() {
        let all: Vec<u32> = (1..=5).collect();
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let p = Paging::parse(Some(2), cursor.as_deref()).unwrap();
            let page = p.slice(all.clone()).unwrap();
            assert!(page.items.len() <= 2);
            seen.extend(page.items);
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, all);
        let past = Paging::parse(Some(2), Some(&encode_cursor("99"))).unwrap();
        assert!(past.slice(all.clone()).unwrap().items.is_empty());
        let other = Paging::parse(Some(2), Some(&encode_cursor("abc"))).unwrap();
        assert!(other.slice(all).is_err(), "a keyset cursor of another list");
    }
}
