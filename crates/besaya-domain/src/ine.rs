//! INE municipality codes: two digits of province and three of municipality.

use std::fmt;

/// Why a text is not an INE municipality code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an INE municipality code has 5 digits, the first two a province from 01 to 52")]
pub struct IneCodeError;

/// A well-formed INE municipality code (whether it exists is a lookup, not a format).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct IneCode(String);

impl IneCode {
    pub fn parse(raw: &str) -> Result<Self, IneCodeError> {
        let s = raw.trim();
        if s.len() != 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IneCodeError);
        }
        let province: u8 = s[..2].parse().map_err(|_| IneCodeError)?;
        if !(1..=52).contains(&province) {
            return Err(IneCodeError);
        }
        Ok(Self(s.to_owned()))
    }

    /// The province's two digits (Cantabria is `39`).
    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IneCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_torrelavega_and_rejects_bad_codes() {
        let t = IneCode::parse("39087").unwrap();
        assert_eq!(t.province(), "39");
        for bad in [
            "",
            "3908",
            "390870",
            "00087",
            "53001",
            "39O87",
            "-3908",
            "３９０８７",
        ] {
            assert!(IneCode::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    proptest! {
        #[test]
        fn every_province_and_number_round_trips(p in 1u32..=52, m in 0u32..1000) {
            let s = format!("{p:02}{m:03}");
            let code = IneCode::parse(&s).unwrap();
            prop_assert_eq!(code.as_str(), s.as_str());
        }
    }
}
