//! Random references, access codes and tokens, and how we keep only their hashes.
//!
//! Access codes are checked with HMAC-SHA256 under the server's secret key (`Keys`): the
//! table alone is no use for guessing codes offline, and checking costs microseconds, not
//! the tens of milliseconds argon2 took per filing and per check. Codes hashed with argon2
//! before keep working and are re-hashed the first time they open their claim. Staff
//! passwords, which people choose, stay on argon2id.

use crate::domain::reference::{format_access_code, format_reference, ALPHABET};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::Mac;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

fn uniform_symbols<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    for b in out.iter_mut() {
        *b = OsRng.gen_range(0..ALPHABET.len() as u8);
    }
    out
}

pub fn new_reference(be_year: i32) -> String {
    format_reference(be_year, &uniform_symbols::<6>())
}

pub fn new_access_code() -> String {
    format_access_code(&uniform_symbols::<8>())
}

/// A 256-bit random token, hex-encoded, for session cookies.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// Passwords (and, before `Keys`, access codes) get a slow, salted hash (argon2id).
pub fn argon2_hash(code: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(code.as_bytes(), &salt)
        .expect("argon2 with default params")
        .to_string()
}

pub fn argon2_verifies(code: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(code.as_bytes(), &h)
            .is_ok()
    })
}

/// An argon2id hash of a secret nobody holds, made once: checking against it costs what a
/// real check costs, so unknown accounts answer in the same time as known ones.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| argon2_hash(&new_token()))
}

/// Argon2 takes tens of milliseconds of CPU: run it off the async workers so page
/// rendering and other requests are not held up behind it.
pub async fn argon2_verifies_blocking(code: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || argon2_verifies(&code, &hash))
        .await
        .unwrap_or(false)
}

/// The hand-made seal idempotency records used before `Keys::seal` (tests make such records
/// with it; `legacy_unseal` opens those still in the table, which keeps them a week).
#[cfg(test)]
fn legacy_seal(secret: &str, key: &str) -> String {
    let pad = Sha256::digest(format!("s41-seal:{key}").as_bytes());
    hex::encode(
        secret
            .bytes()
            .zip(pad.iter().cycle())
            .map(|(b, p)| b ^ p)
            .collect::<Vec<u8>>(),
    )
}

fn legacy_unseal(sealed: &str, key: &str) -> Option<String> {
    let pad = Sha256::digest(format!("s41-seal:{key}").as_bytes());
    let bytes = hex::decode(sealed).ok()?;
    String::from_utf8(
        bytes
            .iter()
            .zip(pad.iter().cycle())
            .map(|(b, p)| b ^ p)
            .collect(),
    )
    .ok()
}

/// The server's secret keys: the one in force, and those it replaced (still accepted, so a
/// rotation locks nobody out). Each is known by a short id stored beside what it made.
#[derive(Clone)]
pub struct Keys {
    current: Key,
    previous: Vec<Key>,
}

#[derive(Clone)]
struct Key {
    id: String,
    bytes: [u8; 32],
}

impl Key {
    fn new(secret: &str) -> Self {
        let bytes: [u8; 32] = Sha256::digest(format!("s41-key:{secret}").as_bytes()).into();
        let id = hex::encode(&Sha256::digest(bytes)[..4]);
        Self { id, bytes }
    }

    fn hmac(&self, purpose: &str, data: &[u8]) -> HmacSha256 {
        let mut m =
            <HmacSha256 as hmac::KeyInit>::new_from_slice(&self.bytes).expect("any key length");
        m.update(purpose.as_bytes());
        m.update(&[0]);
        m.update(data);
        m
    }

    fn mac(&self, purpose: &str, data: &[u8]) -> [u8; 32] {
        self.hmac(purpose, data).finalize().into_bytes().into()
    }

    /// Whether `expected` is this key's MAC of `data`, compared in constant time.
    fn verifies(&self, purpose: &str, data: &[u8], expected: &[u8]) -> bool {
        self.hmac(purpose, data).verify_slice(expected).is_ok()
    }
}

type HmacSha256 = hmac::Hmac<Sha256>;

impl std::fmt::Debug for Keys {
    /// Names the keys by id only: the key material never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let previous: Vec<&str> = self.previous.iter().map(|k| k.id.as_str()).collect();
        write!(
            f,
            "Keys {{ current: {}, previous: {previous:?} }}",
            self.current.id
        )
    }
}

/// Whether `stored` is something `seal_as` made (not a value kept before sealing).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(SEAL_PREFIX)
}

/// Whether a code matched, and whether its stored hash should be replaced by one under the
/// key in force (it was argon2, or made under a retired key).
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    pub matches: bool,
    pub outdated: bool,
}

const HMAC_PREFIX: &str = "hmac-sha256$";
const SEAL_PREFIX: &str = "xchacha20poly1305$";

impl Keys {
    /// From the secret in force and any retired ones (`SECRET_KEY`, `SECRET_KEY_PREVIOUS`).
    pub fn new(current: &str, previous: &[String]) -> Self {
        Self {
            current: Key::new(current),
            previous: previous.iter().map(|p| Key::new(p)).collect(),
        }
    }

    fn by_id(&self, id: &str) -> Option<&Key> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
    }

    /// `KEYID{sep}HEX`: the MAC of `data` for `purpose` under the current key.
    fn tag(&self, purpose: &str, data: &[u8], sep: char) -> String {
        format!(
            "{}{sep}{}",
            self.current.id,
            hex::encode(self.current.mac(purpose, data))
        )
    }

    /// The key id of `tag`, if it is what `tag` made of `data` for `purpose` under a key
    /// this server holds (compared in constant time).
    fn tag_holds<'t>(&self, purpose: &str, data: &[u8], tag: &'t str, sep: char) -> Option<&'t str> {
        let (id, hex_mac) = tag.split_once(sep)?;
        let mac = hex::decode(hex_mac).ok()?;
        self.by_id(id)?
            .verifies(purpose, data, &mac)
            .then_some(id)
    }

    /// `hmac-sha256$KEYID$HEX` of a normalised access code.
    pub fn hash_access_code(&self, code: &str) -> String {
        format!("{HMAC_PREFIX}{}", self.tag("access-code", code.as_bytes(), '$'))
    }

    /// Checks a code against its stored hash: HMAC under any known key, or (stored before
    /// keys) argon2id, run off the async workers.
    pub async fn check_access_code(&self, code: &str, stored: &str) -> Checked {
        if let Some(rest) = stored.strip_prefix(HMAC_PREFIX) {
            let under = self.tag_holds("access-code", code.as_bytes(), rest, '$');
            return Checked {
                matches: under.is_some(),
                outdated: under.is_some_and(|id| id != self.current.id),
            };
        }
        let matches = argon2_verifies_blocking(code.to_string(), stored.to_string()).await;
        Checked {
            matches,
            outdated: matches,
        }
    }

    /// The mark a browser gets when it signs in to `email`'s account (`KEYID.HEX`). A
    /// browser holding it is spared the wait that strangers' wrong passwords put on the
    /// account; it opens nothing by itself.
    pub fn device_mark(&self, email: &str) -> String {
        self.tag("known-device", email.as_bytes(), '.')
    }

    /// Whether `mark` is one `device_mark` gave for `email`, under any known key.
    pub fn is_device_mark(&self, email: &str, mark: &str) -> bool {
        self.tag_holds("known-device", email.as_bytes(), mark, '.')
            .is_some()
    }

    /// The audit seal of an entry's hash: `KEYID$HEX` of its HMAC under the current key.
    pub fn audit_seal(&self, hash: &str) -> String {
        self.tag("audit-seal", hash.as_bytes(), '$')
    }

    /// Whether `seal` is the audit seal of `hash` under a key this server holds.
    pub fn audit_seal_holds(&self, hash: &str, seal: &str) -> bool {
        self.tag_holds("audit-seal", hash.as_bytes(), seal, '$')
            .is_some()
    }

    /// The id of the key in force (what a second `audit::install_keys` is compared by).
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    /// Seals a short secret (the access code an idempotent filing answered with) so a
    /// replayed answer can carry it while the database holds it unreadable: XChaCha20-
    /// Poly1305 under a key derived from the server key and the client's idempotency key.
    pub fn seal(&self, secret: &str, idempotency_key: &str) -> String {
        self.seal_as("seal", secret, idempotency_key)
    }

    /// `seal` for another `purpose`: what is sealed for one purpose opens for no other.
    pub fn seal_as(&self, purpose: &str, secret: &str, context: &str) -> String {
        use chacha20poly1305::aead::{Aead, KeyInit};
        let key = self.current.mac(purpose, context.as_bytes());
        let cipher = chacha20poly1305::XChaCha20Poly1305::new(&key.into());
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(&nonce.into(), secret.as_bytes())
            .expect("sealing a short secret");
        format!(
            "{SEAL_PREFIX}{}${}{}",
            self.current.id,
            hex::encode(nonce),
            hex::encode(sealed)
        )
    }

    /// Opens what `seal` (or the seal used before it) made; `None` if it was tampered with,
    /// the key is unknown, or the idempotency key differs.
    pub fn unseal(&self, sealed: &str, idempotency_key: &str) -> Option<String> {
        if !sealed.starts_with(SEAL_PREFIX) {
            return legacy_unseal(sealed, idempotency_key);
        }
        self.unseal_as("seal", sealed, idempotency_key)
    }

    /// A bank account number as the database keeps it: sealed for the claim it pays, so a
    /// copy of the database (a backup, a dump) does not hold it readable, and a sealed
    /// number copied to another claim's row does not open there.
    pub fn seal_account(&self, number: &str, claim_id: &str) -> String {
        self.seal_as("bank-account", number, claim_id)
    }

    /// The number `seal_account` sealed for this claim. `None` if it is not sealed, was
    /// tampered with, was sealed for another claim, or its key is unknown.
    pub fn open_account(&self, stored: &str, claim_id: &str) -> Option<String> {
        self.unseal_as("bank-account", stored, claim_id)
    }

    /// How everything sealed under the key in force begins (`seal_as`'s prefix and the
    /// key's id): what does not is plain, or sealed under a retired key, and is sealed again
    /// at start. Plain text for a SQL `LIKE` too (hex and `$`).
    pub fn sealed_now_prefix(&self) -> String {
        format!("{SEAL_PREFIX}{}$", self.current.id)
    }

    /// Whether `stored` was sealed under the key in force.
    pub fn sealed_now(&self, stored: &str) -> bool {
        stored.starts_with(&self.sealed_now_prefix())
    }

    /// Opens what `seal_as` sealed for the same purpose and context.
    pub fn unseal_as(&self, purpose: &str, sealed: &str, context: &str) -> Option<String> {
        use chacha20poly1305::aead::{Aead, KeyInit};
        let rest = sealed.strip_prefix(SEAL_PREFIX)?;
        let (id, body) = rest.split_once('$')?;
        let bytes = hex::decode(body).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().ok()?;
        let key = self.by_id(id)?.mac(purpose, context.as_bytes());
        let cipher = chacha20poly1305::XChaCha20Poly1305::new(&key.into());
        let plain = cipher.decrypt(&nonce.into(), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }
}

/// Long random tokens need no slow hash; SHA-256 keeps them useless if the table leaks.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Compares two secrets (CSRF tokens) in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn codes_check_under_current_retired_and_argon2_hashes() {
        let old = Keys::new("old secret key of at least thirty-two chars", &[]);
        let keys = Keys::new(
            "new secret key of at least thirty-two chars",
            &["old secret key of at least thirty-two chars".to_string()],
        );
        let h = keys.hash_access_code("7KQ4M2XD");
        assert!(h.starts_with("hmac-sha256$"));
        assert_eq!(
            keys.check_access_code("7KQ4M2XD", &h).await,
            Checked {
                matches: true,
                outdated: false
            }
        );
        assert!(!keys.check_access_code("7KQ4M2XE", &h).await.matches);
        // Made under the retired key: still opens, and asks to be re-hashed.
        let under_old = old.hash_access_code("7KQ4M2XD");
        assert_eq!(
            keys.check_access_code("7KQ4M2XD", &under_old).await,
            Checked {
                matches: true,
                outdated: true
            }
        );
        // A key nobody configured any more opens nothing.
        let stranger = Keys::new("someone else's key, thirty-two chars long", &[]);
        assert!(!stranger.check_access_code("7KQ4M2XD", &h).await.matches);
        // Hashed with argon2 before keys existed: still opens, and asks to be re-hashed.
        let argon = argon2_hash("7KQ4M2XD");
        assert_eq!(
            keys.check_access_code("7KQ4M2XD", &argon).await,
            Checked {
                matches: true,
                outdated: true
            }
        );
        assert!(!keys.check_access_code("WRONG123", &argon).await.matches);
    }

    #[test]
    fn sealed_codes_open_only_with_their_idempotency_key_and_untouched() {
        let keys = Keys::new("a secret key of at least thirty-two chars", &[]);
        let sealed = keys.seal("7KQ4-M2XD", "hospital-42-req-1");
        assert!(!sealed.contains("7KQ4"));
        assert_eq!(
            keys.unseal(&sealed, "hospital-42-req-1").as_deref(),
            Some("7KQ4-M2XD")
        );
        assert_eq!(keys.unseal(&sealed, "hospital-42-req-2"), None);
        let mut tampered = sealed.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == '0' { '1' } else { '0' });
        assert_eq!(keys.unseal(&tampered, "hospital-42-req-1"), None);
        // Records sealed the old way (kept a week) still open.
        let legacy = legacy_seal("7KQ4-M2XD", "k-1");
        assert_eq!(keys.unseal(&legacy, "k-1").as_deref(), Some("7KQ4-M2XD"));
    }

    #[test]
    fn account_numbers_open_only_for_their_claim_and_under_a_known_key() {
        let old = Keys::new("a secret key of at least thirty-two chars", &[]);
        let sealed = old.seal_account("1234567890", "claim-a");
        assert!(is_sealed(&sealed) && !sealed.contains("1234567890"));
        assert_eq!(old.open_account(&sealed, "claim-a").as_deref(), Some("1234567890"));
        assert_eq!(old.open_account(&sealed, "claim-b"), None, "moved to another claim");
        // After the key is rotated it still opens; under a stranger's key it does not.
        let rotated = Keys::new("the next secret key, thirty-two chars or more", &["a secret key of at least thirty-two chars".into()]);
        assert_eq!(rotated.open_account(&sealed, "claim-a").as_deref(), Some("1234567890"));
        assert!(old.sealed_now(&sealed) && !rotated.sealed_now(&sealed), "to seal again");
        assert!(!old.sealed_now("1234567890"));
        let stranger = Keys::new("somebody else's key of thirty-two chars", &[]);
        assert_eq!(stranger.open_account(&sealed, "claim-a"), None);
        // A plain number (kept before sealing, or written in by hand) does not open.
        assert_eq!(old.open_account("0011223344", "claim-a"), None);
    }
}
