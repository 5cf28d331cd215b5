//! The built browser bundle, styles, fonts and icon, served from memory.
//!
//! At start every file under the site root is read once, given a content hash, and (when it
//! is text or WebAssembly) compressed once with gzip and brotli, so a request costs a map
//! lookup: no file opened, nothing compressed per request. Each file answers at two names:
//! its own (`/pkg/section41.css`, kept an hour, then asked again) and a hashed one
//! (`/pkg/section41.3f9a2c1b7e.css`, kept a year: a new build has new names). Pages link
//! the hashed names ([`app::AssetUrls`]), and the stylesheet's `url(/fonts/…)` references
//! are rewritten to the fonts' hashed names too.
//!
//! gzip is made before the server answers its first request; brotli (smaller, slower to
//! make) on a blocking thread right after, and until it is ready a browser gets gzip.
//! Compressed copies are kept per process, keyed by path and content hash, so the many
//! servers a test run starts compress each file once.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum::body::Bytes;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A year: hashed names change whenever their content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Plain names may change under a new build: kept an hour, then checked (`304` if unchanged).
const REVALIDATE: &str = "public, max-age=3600, must-revalidate";

/// One file, in every encoding it is sent in.
struct Asset {
    content_type: HeaderValue,
    /// Hex content hash (of the file as served, after the stylesheet's rewrite).
    hash: String,
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: OnceLock<Option<Bytes>>,
}

/// The site's files by URL path, each under its plain and its hashed name.
pub struct Assets {
    by_path: HashMap<String, (Arc<Asset>, &'static str)>,
    /// Plain URL path → hashed URL path, for the pages' links.
    urls: app::AssetUrls,
}

impl Assets {
    /// Reads the site root (`target/site` after a build). A missing root gives an empty set:
    /// pages still render, without styles or scripts.
    pub fn load(site: &Path) -> Arc<Assets> {
        let mut files = Vec::new();
        collect(site, site, &mut files);
        // Hash everything but the stylesheets first: their `url(…)`s are rewritten to the
        // hashed names of the fonts and images they point at.
        let mut plain: Vec<(String, Vec<u8>)> = Vec::new();
        let mut urls = HashMap::new();
        let mut by_path = HashMap::new();
        let mut fresh = Vec::new();
        for (url, path) in files {
            let Ok(bytes) = std::fs::read(&path) else {
                tracing::warn!(path = %path.display(), "site file unreadable; not served");
                continue;
            };
            plain.push((url, bytes));
        }
        plain.sort_by_key(|(url, ..)| url.ends_with(".css"));
        for (url, mut bytes) in plain {
            if url.ends_with(".css") {
                bytes = rewrite_urls(&String::from_utf8_lossy(&bytes), &urls).into_bytes();
            }
            let (asset, made) = cached(&url, bytes);
            if made {
                fresh.push(asset.clone());
            }
            let hashed = hashed_name(&url, &asset.hash);
            urls.insert(url.clone(), hashed.clone());
            by_path.insert(hashed, (asset.clone(), IMMUTABLE));
            by_path.insert(url, (asset, REVALIDATE));
        }
        if !fresh.is_empty() {
            std::thread::spawn(move || {
                for asset in fresh {
                    asset.brotli.get_or_init(|| brotli(&asset.identity));
                }
                // Brotli's best quality works in tens of megabytes, freed by now; without
                // this the allocator kept them resident for the server's life (an idle
                // server at a million claims held 150 MiB instead of about 85).
                // SAFETY: mi_collect only returns this thread's free memory to the OS.
                unsafe { libmimalloc_sys::mi_collect(true) };
            });
        }
        Arc::new(Assets {
            by_path,
            urls: app::AssetUrls(Arc::new(urls)),
        })
    }

    pub fn urls(&self) -> app::AssetUrls {
        self.urls.clone()
    }

    /// Routes for every file: `/pkg/…`, `/fonts/…`, and the files at the root (the icon).
    pub fn routes<S: Clone + Send + Sync + 'static>(self: &Arc<Self>) -> Router<S> {
        let mut router = Router::new();
        let mut prefixes: Vec<String> = Vec::new();
        for path in self.by_path.keys() {
            match path[1..].split_once('/') {
                Some((dir, _)) => {
                    let route = format!("/{dir}/{{*file}}");
                    if !prefixes.contains(&route) {
                        prefixes.push(route);
                    }
                }
                None => {
                    let assets = self.clone();
                    router = router.route(path, get(move |req: Request| serve(assets, req)));
                }
            }
        }
        for route in prefixes {
            let assets = self.clone();
            router = router.route(&route, get(move |req: Request| serve(assets, req)));
        }
        router
    }

    fn find(&self, path: &str) -> Option<&(Arc<Asset>, &'static str)> {
        self.by_path.get(path)
    }
}

async fn serve(assets: Arc<Assets>, req: Request) -> Response {
    let Some((asset, cache)) = assets.find(req.uri().path()) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let accepts = accepted(req.headers());
    let (body, encoding) = match (&asset.brotli.get(), &asset.gzip) {
        (Some(Some(br)), _) if accepts.brotli => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts.gzip => (gz.clone(), Some("gzip")),
        _ => (asset.identity.clone(), None),
    };
    let etag = format!("\"{}{}\"", &asset.hash[..20], encoding.map_or(String::new(), |e| format!("-{e}")));
    let mut resp = if if_none_match(req.headers(), &asset.hash[..20]) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(body));
        r.headers_mut().insert(header::CONTENT_TYPE, asset.content_type.clone());
        if let Some(e) = encoding {
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
        }
        r
    };
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex etag"));
    if asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    resp
}

#[derive(Default)]
struct Accepts {
    gzip: bool,
    brotli: bool,
}

/// Which encodings the request accepts (`q=0` refuses one).
fn accepted(headers: &HeaderMap) -> Accepts {
    let mut a = Accepts::default();
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        for item in value.to_str().unwrap_or("").split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            });
            match name {
                "br" => a.brotli = !refused,
                "gzip" => a.gzip = !refused,
                _ => {}
            }
        }
    }
    a
}

/// Whether `If-None-Match` names this content in any encoding (or is `*`).
fn if_none_match(headers: &HeaderMap, hash: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().any(|v| {
        v.to_str().unwrap_or("").split(',').any(|tag| {
            let tag = tag.trim().trim_start_matches("W/").trim_matches('"');
            tag == "*" || tag.split('-').next() == Some(hash)
        })
    })
}

/// `/pkg/section41.css` → `/pkg/section41.<10 hex>.css`.
fn hashed_name(url: &str, hash: &str) -> String {
    let (dir, file) = url.rsplit_once('/').unwrap_or(("", url));
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{dir}/{stem}.{}.{ext}", &hash[..10]),
        None => format!("{dir}/{file}.{}", &hash[..10]),
    }
}

/// Points the stylesheet's `url(/fonts/x.woff2)` at the hashed names.
fn rewrite_urls(css: &str, urls: &HashMap<String, String>) -> String {
    let mut out = css.to_string();
    for (plain, hashed) in urls {
        for quote in ["", "\"", "'"] {
            out = out.replace(
                &format!("url({quote}{plain}{quote})"),
                &format!("url({quote}{hashed}{quote})"),
            );
        }
    }
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let url = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((format!("/{url}"), path));
        }
    }
}

/// The compressed copies already made in this process, by URL path and content hash.
fn cached(url: &str, bytes: Vec<u8>) -> (Arc<Asset>, bool) {
    type ByPathAndHash = HashMap<(String, String), Arc<Asset>>;
    static MADE: OnceLock<Mutex<ByPathAndHash>> = OnceLock::new();
    let hash = hex::encode(Sha256::digest(&bytes));
    let key = (url.to_string(), hash.clone());
    let mut made = MADE.get_or_init(Default::default).lock().expect("asset cache");
    if let Some(asset) = made.get(&key) {
        return (asset.clone(), false);
    }
    let content_type = content_type(url);
    let compress = is_compressible(content_type) && bytes.len() > 256;
    let identity = Bytes::from(bytes);
    let asset = Arc::new(Asset {
        content_type: HeaderValue::from_static(content_type),
        hash,
        gzip: compress.then(|| gzip(&identity)).flatten(),
        brotli: if compress {
            OnceLock::new()
        } else {
            OnceLock::from(None)
        },
        identity,
    });
    made.insert(key, asset.clone());
    (asset, compress)
}

fn content_type(url: &str) -> &'static str {
    match url.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn is_compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/wasm" | "image/svg+xml" | "application/json"
        )
}

/// gzip at its best level; kept only when it saves something.
fn gzip(bytes: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).ok()?;
    let out = enc.finish().ok()?;
    (out.len() < bytes.len()).then(|| Bytes::from(out))
}

/// brotli at its best level for anything a page loads (a megabyte or less); large debug
/// bundles get a quicker level so a test run does not wait on them.
fn brotli(bytes: &[u8]) -> Option<Bytes> {
    let quality = if bytes.len() <= 1 << 20 { 11 } else { 5 };
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    (out.len() < bytes.len()).then(|| Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_extension() {
        assert_eq!(
            hashed_name("/pkg/section41.css", "0123456789abcdef"),
            "/pkg/section41.0123456789.css"
        );
        assert_eq!(hashed_name("/LICENSE", "0123456789abcdef"), "/LICENSE.0123456789");
    }

    #[test]
    fn encodings_refused_with_q_zero_are_not_sent() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, br;q=0"));
        let a = accepted(&h);
        assert!(a.gzip && !a.brotli);
    }

    #[test]
    fn stylesheet_points_at_hashed_fonts() {
        let urls = HashMap::from([(
            "/fonts/a.woff2".to_string(),
            "/fonts/a.0123456789.woff2".to_string(),
        )]);
        assert_eq!(
            rewrite_urls("src:url(/fonts/a.woff2) format(\"woff2\")", &urls),
            "src:url(/fonts/a.0123456789.woff2) format(\"woff2\")"
        );
    }
}
