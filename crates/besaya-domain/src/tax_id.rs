//! Spanish tax identification numbers (NIF): DNI-based NIF of a person, NIE of a
//! foreign resident, NIF of a legal entity (the former CIF) and the special
//! K/L/M NIFs. Each is checked with its control character.

use std::fmt;

use serde::{Serialize, Serializer};

/// The letter of a DNI/NIE control: index = number mod 23.
const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
/// The letter form of a legal entity's control digit.
const CIF_LETTERS: &[u8; 10] = b"JABCDEFGHI";

/// What kind of holder a NIF belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NifKind {
    /// A Spanish national (DNI number and letter).
    Person,
    /// A foreign resident (NIE: X, Y or Z).
    ForeignResident,
    /// A legal entity or body without legal personality (the former CIF).
    Entity,
    /// Special NIFs of people without DNI (K, L, M).
    Special,
}

/// Why a text is not a valid NIF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NifError {
    #[error("a NIF has 9 characters")]
    Length,
    #[error("a NIF has letters and digits only where its format places them")]
    Format,
    #[error("the control character does not match")]
    Control,
}

/// A valid Spanish NIF, stored normalised: upper case, without spaces, dots or hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nif(String);

impl Nif {
    /// Parses and checks a NIF. Spaces, dots and hyphens are ignored, case is not significant,
    /// and an `ES` country prefix (as in an intra-EU VAT number) is accepted.
    pub fn parse(raw: &str) -> Result<Self, NifError> {
        let mut s: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\t'))
            .flat_map(char::to_uppercase)
            .collect();
        if s.len() == 11 && s.starts_with("ES") {
            s.drain(..2);
        }
        if s.len() != 9 || !s.is_ascii() {
            return Err(if s.is_ascii() {
                NifError::Length
            } else {
                NifError::Format
            });
        }
        let b = s.as_bytes();
        let body_digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        match b[0] {
            b'0'..=b'9' => {
                if !body_digits(0..8) {
                    return Err(NifError::Format);
                }
                check_letter(number(&b[0..8]), b[8])?;
            }
            b'X' | b'Y' | b'Z' => {
                if !body_digits(1..8) {
                    return Err(NifError::Format);
                }
                let prefix = u32::from(b[0] - b'X');
                check_letter(prefix * 10_000_000 + number(&b[1..8]), b[8])?;
            }
            b'K' | b'L' | b'M' => {
                if !body_digits(1..8) {
                    return Err(NifError::Format);
                }
                check_letter(number(&b[1..8]), b[8])?;
            }
            b'A'..=b'H' | b'J' | b'N' | b'P'..=b'S' | b'U'..=b'W' => {
                if !body_digits(1..8) {
                    return Err(NifError::Format);
                }
                let digit = entity_control_digit(&b[1..8]);
                let ok = match b[0] {
                    // Companies with share capital and similar: always a digit.
                    b'A' | b'B' | b'E' | b'H' => b[8] == b'0' + digit,
                    // Public bodies, foreign and non-resident entities: always a letter.
                    b'N' | b'P' | b'Q' | b'R' | b'S' | b'W' => b[8] == CIF_LETTERS[digit as usize],
                    _ => b[8] == b'0' + digit || b[8] == CIF_LETTERS[digit as usize],
                };
                if !ok {
                    return Err(NifError::Control);
                }
            }
            _ => return Err(NifError::Format),
        }
        Ok(Self(s))
    }

    /// Builds the NIF of a legal entity from its letter and seven digits, computing the
    /// control character. Used to generate demo and benchmark data.
    pub fn entity(letter: char, digits: u32) -> Result<Self, NifError> {
        let body = format!("{letter}{:07}", digits % 10_000_000);
        let d = entity_control_digit(&body.as_bytes()[1..8]);
        let control = match letter {
            'N' | 'P' | 'Q' | 'R' | 'S' | 'W' => char::from(CIF_LETTERS[d as usize]),
            _ => char::from(b'0' + d),
        };
        Self::parse(&format!("{body}{control}"))
    }

    pub fn kind(&self) -> NifKind {
        match self.0.as_bytes()[0] {
            b'0'..=b'9' => NifKind::Person,
            b'X' | b'Y' | b'Z' => NifKind::ForeignResident,
            b'K' | b'L' | b'M' => NifKind::Special,
            _ => NifKind::Entity,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nif {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Nif {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

fn check_letter(n: u32, letter: u8) -> Result<(), NifError> {
    if DNI_LETTERS[(n % 23) as usize] == letter {
        Ok(())
    } else {
        Err(NifError::Control)
    }
}

/// The control digit of a legal entity's seven digits: digits in even positions are
/// added; those in odd positions are doubled and their digits added.
fn entity_control_digit(seven: &[u8]) -> u8 {
    let sum: u32 = seven
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 0 {
                (2 * d) / 10 + (2 * d) % 10
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_known_valid_numbers() {
        for ok in [
            "12345678Z",
            "00000000T",
            "X1234567L",
            "Y1234567X",
            "Z1234567R",
            "B39000013",
            "A58818501",
            "Q3900001C",
            "Q2826000H",
            "P3908700B",
            "K1234567L",
        ] {
            assert!(Nif::parse(ok).is_ok(), "{ok} should be valid");
        }
    }

    #[test]
    fn normalises_spacing_case_and_es_prefix() {
        assert_eq!(Nif::parse(" 12.345.678-z ").unwrap().as_str(), "12345678Z");
        assert_eq!(Nif::parse("ESB39000013").unwrap().as_str(), "B39000013");
        assert_eq!(Nif::parse("b-39000013").unwrap().kind(), NifKind::Entity);
    }

    #[test]
    fn rejects_ugly_inputs_with_the_right_reason() {
        assert_eq!(Nif::parse(""), Err(NifError::Length));
        assert_eq!(Nif::parse("12345678"), Err(NifError::Length));
        assert_eq!(Nif::parse("12345678A"), Err(NifError::Control));
        assert_eq!(Nif::parse("B39000014"), Err(NifError::Control));
        // A company with share capital never ends in a letter.
        assert_eq!(Nif::parse("B3900001C"), Err(NifError::Control));
        // A public body never ends in a digit.
        assert_eq!(Nif::parse("Q39000012"), Err(NifError::Control));
        assert_eq!(Nif::parse("I12345678"), Err(NifError::Format));
        assert_eq!(Nif::parse("1234567ZZ"), Err(NifError::Format));
        assert_eq!(Nif::parse("12345678Ñ"), Err(NifError::Format));
        assert_eq!(Nif::parse("';DROPTAB"), Err(NifError::Format));
    }

    proptest! {
        #[test]
        fn generated_entity_nifs_are_valid(letter in prop::sample::select(
            vec!['A','B','C','D','E','F','G','H','J','N','P','Q','R','S','U','V','W']),
            digits in 0u32..10_000_000) {
            let nif = Nif::entity(letter, digits).unwrap();
            prop_assert_eq!(nif.kind(), NifKind::Entity);
            prop_assert_eq!(Nif::parse(nif.as_str()).unwrap(), nif);
        }

        #[test]
        fn a_dni_is_valid_with_exactly_one_letter(n in 0u32..100_000_000, l in 0usize..23) {
            let s = format!("{n:08}{}", char::from(DNI_LETTERS[l]));
            prop_assert_eq!(Nif::parse(&s).is_ok(), (n % 23) as usize == l);
        }

        #[test]
        fn changing_one_digit_breaks_the_control(digits in 0u32..10_000_000, pos in 1usize..8, delta in 1u8..10) {
            let nif = Nif::entity('B', digits).unwrap();
            let mut b = nif.as_str().as_bytes().to_vec();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(b).unwrap();
            prop_assert!(Nif::parse(&changed).is_err());
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = Nif::parse(&s);
        }
    }
}
