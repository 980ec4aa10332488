//! Spanish cadastral references (referencia catastral): the 20 characters that
//! identify a property in the Dirección General del Catastro.
//!
//! The first 14 identify the parcel (urban: 7 of the block and 7 of the map
//! sheet; rural: province, municipality, sector, polygon and parcel), the next
//! 4 the property inside the parcel, and the last 2 are control letters. A
//! reference of 14 characters names only the parcel, and is refused here: a
//! site is a property, and only the full reference can be checked.

use std::fmt;

/// Weights of the 11 characters each control letter is computed from.
const WEIGHTS: [u32; 11] = [13, 15, 12, 5, 4, 17, 9, 21, 3, 7, 1];
/// The control letter for each remainder modulo 23.
const CONTROL_LETTERS: &[u8; 23] = b"MQWERTYUIOPASDFGHJKLBZX";

/// A full cadastral reference whose control letters are right. Stored
/// normalised: upper case, without spaces or hyphens, 20 ASCII letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct CadastralRef(String);

/// Why a text is not a cadastral reference. The messages are English; the web
/// layer translates by variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CadastreError {
    #[error("a cadastral reference has 20 letters and digits, this has {found}")]
    Length { found: usize },
    #[error("a cadastral reference has only letters and digits (spaces and hyphens are ignored)")]
    Characters,
    #[error("the control letters do not match: expected {expected}, found {found}")]
    Control { expected: String, found: String },
}

impl CadastralRef {
    /// Spaces, hyphens and case are ignored, so the grouped printed form
    /// (`9872023 VH5797S 0001 WX`) and the bare one both read.
    pub fn parse(raw: &str) -> Result<Self, CadastreError> {
        let s: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !s.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(CadastreError::Characters);
        }
        if s.len() != 20 {
            return Err(CadastreError::Length { found: s.len() });
        }
        let (body, found) = s.split_at(18);
        let expected = control_letters(body).ok_or(CadastreError::Characters)?;
        if expected != found {
            return Err(CadastreError::Control {
                expected,
                found: found.to_owned(),
            });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 14 characters of the parcel, shared by every property on it.
    pub fn parcel(&self) -> &str {
        self.0.get(..14).unwrap_or_default()
    }
}

impl fmt::Display for CadastralRef {
    /// The grouping the Catastro prints: `9872023 VH5797S 0001 WX`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        let part = |a: usize, b: usize| s.get(a..b).unwrap_or_default();
        write!(
            f,
            "{} {} {} {}",
            part(0, 7),
            part(7, 14),
            part(14, 18),
            part(18, 20)
        )
    }
}

/// The two control letters for the first 18 characters of a reference (case
/// is ignored), or `None` when those are not 18 ASCII letters and digits.
///
/// The Catastro's rule: the first letter is computed from characters 1–7 and
/// 15–18, the second from characters 8–14 and 15–18; each is
/// `CONTROL_LETTERS[Σ value × weight mod 23]`.
pub fn control_letters(first_18: &str) -> Option<String> {
    let b = first_18.as_bytes();
    if b.len() != 18 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let property = &b[14..18];
    let first = letter(b[..7].iter().chain(property));
    let second = letter(b[7..14].iter().chain(property));
    Some([char::from(first), char::from(second)].iter().collect())
}

fn letter<'a>(part: impl Iterator<Item = &'a u8>) -> u8 {
    let sum: u32 = part.zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    CONTROL_LETTERS[(sum % 23) as usize]
}

/// The value of a character in the weighted sum: a digit is itself, a letter
/// its position in the Spanish alphabet counting from A = 1, where Ñ is the
/// 15th letter, so N = 14 and O = 16, …, Z = 27.
///
/// This is the rule of python-stdnum (`stdnum.es.referenciacatastral`, after
/// the Catastro's own published JavaScript) and of the common validators; the
/// variant `index % 10` sometimes quoted gives wrong letters for the Catastro's
/// own examples (`9872023VH5797S0001WX`, `7837301VG8173B0001TT`,
/// `4A08169P03PRAT0001LR`), which the tests below check. Ñ itself is not
/// accepted: references are stored and exchanged as ASCII.
fn value(c: u8) -> u32 {
    let c = c.to_ascii_uppercase();
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'N' => u32::from(c - b'A') + 1,
        b'O'..=b'Z' => u32::from(c - b'A') + 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_catastros_examples_in_any_spelling() {
        for (raw, stored) in [
            ("9872023VH5797S0001WX", "9872023VH5797S0001WX"),
            ("9872023 vh5797s 0001 wx", "9872023VH5797S0001WX"),
            ("  9872023-VH5797S-0001-WX ", "9872023VH5797S0001WX"),
            ("7837301-VG8173B-0001 TT", "7837301VG8173B0001TT"),
            ("4A08169P03PRAT0001LR", "4A08169P03PRAT0001LR"),
        ] {
            let rc = CadastralRef::parse(raw).unwrap();
            assert_eq!(rc.as_str(), stored, "{raw}");
        }
        let rc = CadastralRef::parse("9872023VH5797S0001WX").unwrap();
        assert_eq!(rc.to_string(), "9872023 VH5797S 0001 WX");
        assert_eq!(rc.parcel(), "9872023VH5797S");
        assert_eq!(
            serde_json::to_string(&rc).unwrap(),
            "\"9872023VH5797S0001WX\""
        );
    }

    #[test]
    fn wrong_control_letters_say_which_are_expected() {
        assert_eq!(
            CadastralRef::parse("9872023VH5797S0001WE"),
            Err(CadastreError::Control {
                expected: "WX".into(),
                found: "WE".into()
            })
        );
        assert_eq!(
            CadastralRef::parse("9872023VH5797S0002WX"),
            Err(CadastreError::Control {
                expected: control_letters("9872023VH5797S0002").unwrap(),
                found: "WX".into()
            })
        );
    }

    #[test]
    fn refuses_parcel_only_and_bad_characters() {
        assert_eq!(
            CadastralRef::parse("13077A01800039"),
            Err(CadastreError::Length { found: 14 })
        );
        assert_eq!(
            CadastralRef::parse(""),
            Err(CadastreError::Length { found: 0 })
        );
        assert_eq!(
            CadastralRef::parse("9872023VH5797S0001WXA"),
            Err(CadastreError::Length { found: 21 })
        );
        for bad in [
            "9872023/VH5797S0001WX",
            "9872023VH5797S0001W.",
            "9872023VH5797Ñ0001WX",
            "9872023VH5797S0001W\tX",
        ] {
            assert_eq!(
                CadastralRef::parse(bad),
                Err(CadastreError::Characters),
                "{bad}"
            );
        }
        assert_eq!(control_letters("9872023VH5797S000"), None);
        assert_eq!(control_letters("9872023VH5797S000/"), None);
        assert_eq!(control_letters("9872023vh5797s0001").as_deref(), Some("WX"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = CadastralRef::parse(&s);
            let _ = control_letters(&s);
        }

        #[test]
        fn computed_letters_round_trip(prefix in "[0-9A-Za-z]{18}") {
            let letters = control_letters(&prefix).unwrap();
            let rc = CadastralRef::parse(&format!("{prefix}{letters}")).unwrap();
            prop_assert_eq!(rc.as_str(), format!("{}{letters}", prefix.to_uppercase()));
            let printed = rc.to_string();
            prop_assert_eq!(CadastralRef::parse(&printed).unwrap(), rc);
        }
    }
}
