//! Identity rules: e-mail addresses, roles and the password policy.

use std::fmt;

/// A syntactically valid e-mail address, kept as typed (trimmed); compared and
/// looked up by [`Email::normalized`] (lower case), so addresses are unique
/// whatever their case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid e-mail address")]
pub struct EmailError;

impl Email {
    /// A practical check (RFC 5321 lengths, one `@`, a dotted domain, no spaces or
    /// control characters). Whether the mailbox exists is known only by writing to it.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let s = raw.trim();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError)?;
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
            || local.chars().any(|c| {
                matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '\\' | '"'
                )
            })
        {
            return Err(EmailError);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.len() > 63
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
        {
            return Err(EmailError);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lookup key: lower case.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a user is in the platform. Navigation, pages and API answers follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The office's lead: users, roles, configuration, reference data.
    Admin,
    /// A técnico of the office.
    Staff,
    /// A user of a member organisation of the pact (administration, employer body, union).
    PactMember,
    Company,
    Investor,
    TrainingCentre,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("role is one of admin, staff, pact_member, company, investor, training_centre")]
pub struct RoleError;

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Staff,
        Role::PactMember,
        Role::Company,
        Role::Investor,
        Role::TrainingCentre,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::PactMember => "pact_member",
            Role::Company => "company",
            Role::Investor => "investor",
            Role::TrainingCentre => "training_centre",
        }
    }

    pub fn parse(s: &str) -> Result<Self, RoleError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(RoleError)
    }

    /// The office's people: they run projects and see across organisations.
    pub fn is_office(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password has at least {min} characters", min = PASSWORD_MIN)]
    TooShort,
    #[error("a password has at most {max} characters", max = PASSWORD_MAX)]
    TooLong,
    #[error("this password is too common or too simple")]
    TooCommon,
    #[error("the password must not contain your e-mail address")]
    ContainsEmail,
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

/// The password policy (after NIST SP 800-63B): a length range, no composition rules, and
/// a refusal of well-known passwords, single repeated characters and the user's own e-mail.
pub fn check_password(password: &str, email: Option<&str>) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(PasswordError::TooShort);
    }
    if n > PASSWORD_MAX {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    const COMMON: &[&str] = &[
        "1234567890",
        "12345678910",
        "0123456789",
        "qwertyuiop",
        "password123",
        "contraseña",
        "contrasena1",
        "passw0rd12",
        "iloveyou12",
        "abcdefghij",
        "torrelavega",
        "besaya2026",
        "administrador",
        "qwerty1234",
        "1q2w3e4r5t",
        "123456789a",
        "aaaaaaaaaa",
        "password12",
    ];
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() <= 2 || COMMON.iter().any(|c| lower == *c) {
        return Err(PasswordError::TooCommon);
    }
    if let Some(e) = email {
        let e = e.to_lowercase();
        let local = e.split('@').next().unwrap_or("");
        if lower.contains(&e) || (local.len() >= 4 && lower.contains(local)) {
            return Err(PasswordError::ContainsEmail);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        for ok in [
            "ana@besaya.es",
            " Ana.Lopez+oficina@Camara-Torrelavega.ES ",
            "x@sub.domain.eu",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ana",
            "ana@",
            "@besaya.es",
            "ana@besaya",
            "ana@@besaya.es",
            "a na@besaya.es",
            "ana@-besaya.es",
            "ana@besaya..es",
            ".ana@besaya.es",
            "ana.@besaya.es",
            "<ana>@besaya.es",
            "ana@besa\nya.es",
            "ana@bes_aya.es",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Email::parse("Ana@Besaya.ES").unwrap().normalized(),
            "ana@besaya.es"
        );
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(Role::parse("root").is_err());
        assert!(Role::Staff.is_office() && !Role::Investor.is_office());
    }

    #[test]
    fn password_policy() {
        assert_eq!(check_password("corta", None), Err(PasswordError::TooShort));
        assert_eq!(
            check_password("aaaaaaaaaaaa", None),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_password("1234567890", None),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_password("Contraseña", None),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_password("ana.lopez-2026", Some("ana.lopez@besaya.es")),
            Err(PasswordError::ContainsEmail)
        );
        assert!(check_password("nave industrial en Barreda", Some("ana@besaya.es")).is_ok());
        assert_eq!(
            check_password(&"x1".repeat(200), None),
            Err(PasswordError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn email_parse_never_panics(s in "\\PC{0,80}") {
            let _ = Email::parse(&s);
        }

        #[test]
        fn long_varied_passwords_pass(s in "[a-zA-Z0-9 ]{10,60}") {
            let distinct: std::collections::HashSet<char> = s.to_lowercase().chars().collect();
            prop_assume!(distinct.len() > 2);
            prop_assert!(check_password(&s, None).is_ok());
        }
    }
}
