//! The API's list convention: `?limit=` (default 50, at most 500).

/// The number of items a list answer may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("limit must be a whole number from 1 to {max}", max = Limit::MAX)]
pub struct LimitError;

impl Limit {
    pub const DEFAULT: u32 = 50;
    pub const MAX: u32 = 500;

    /// `None` gives the default; anything outside 1..=500 is an error, not silently clamped.
    pub fn parse(raw: Option<i64>) -> Result<Self, LimitError> {
        match raw {
            None => Ok(Self(Self::DEFAULT)),
            Some(n) if (1..=i64::from(Self::MAX)).contains(&n) => Ok(Self(n as u32)),
            Some(_) => Err(LimitError),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self(Self::DEFAULT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn default_and_bounds() {
        assert_eq!(Limit::parse(None).unwrap().get(), 50);
        assert_eq!(Limit::parse(Some(1)).unwrap().get(), 1);
        assert_eq!(Limit::parse(Some(500)).unwrap().get(), 500);
        assert!(Limit::parse(Some(0)).is_err());
        assert!(Limit::parse(Some(501)).is_err());
        assert!(Limit::parse(Some(-1)).is_err());
    }

    proptest! {
        #[test]
        fn accepted_iff_in_range(n in any::<i64>()) {
            prop_assert_eq!(Limit::parse(Some(n)).is_ok(), (1..=500).contains(&n));
        }
    }
}
