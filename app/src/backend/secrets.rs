//! Random references, access codes and tokens, and how we keep only their hashes.

use crate::domain::reference::{format_access_code, format_reference, ALPHABET};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
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

/// Access codes are short, so they get a slow, salted hash (argon2id).
pub fn hash_access_code(code: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(code.as_bytes(), &salt)
        .expect("argon2 with default params")
        .to_string()
}

pub fn verify_access_code(code: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(code.as_bytes(), &h)
            .is_ok()
    })
}

/// An argon2id hash of a secret nobody holds, made once: checking against it costs what a
/// real check costs, so unknown references and accounts answer in the same time.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_access_code(&new_token()))
}

/// Argon2 takes tens of milliseconds of CPU: run it off the async workers so page
/// rendering and other requests are not held up behind it.
pub async fn hash_access_code_blocking(code: String) -> String {
    tokio::task::spawn_blocking(move || hash_access_code(&code))
        .await
        .expect("hashing does not panic")
}

pub async fn verify_access_code_blocking(code: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_access_code(&code, &hash))
        .await
        .unwrap_or(false)
}

/// Seals a short secret under a key only the client holds (an idempotency key), so a
/// replayed answer can carry it without the database holding it readable. The keystream is
/// SHA-256 of the key, used for this one message only.
pub fn seal(secret: &str, key: &str) -> String {
    let pad = Sha256::digest(format!("s41-seal:{key}").as_bytes());
    hex::encode(
        secret
            .bytes()
            .zip(pad.iter().cycle())
            .map(|(b, p)| b ^ p)
            .collect::<Vec<u8>>(),
    )
}

pub fn unseal(sealed: &str, key: &str) -> Option<String> {
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

/// Long random tokens need no slow hash; SHA-256 keeps them useless if the table leaks.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Compares two secrets (CSRF tokens) in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
