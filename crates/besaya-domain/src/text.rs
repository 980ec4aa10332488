//! Text folding for search: what a Spanish speaker types finds what was written,
//! whatever the accents and case ("fundicion" finds "Fundición").

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, without diacritics (ñ → n, ü → u), with runs of white space folded to one.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_case_and_spaces_fold() {
        assert_eq!(fold("Fundición  de  ACERO"), "fundicion de acero");
        assert_eq!(fold(" Año Pingüino "), "ano pinguino");
        assert_eq!(fold("TORRELAVEGA"), fold("torrelavega"));
        assert_eq!(fold(""), "");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }
    }
}
