//! How links written in Markdown resolve against the site: editors link to the `.md` file (as
//! on their git host), portal turns that into the page's URL under the sub-path.

use crate::markdown::{LinkResolver, LinkTarget};
use crate::model::Site;
use crate::t;

impl LinkResolver for Site {
    fn resolve(&self, from_rel: &str, dest: &str) -> LinkTarget {
        let (resolved, anchor, absolute, slash) = match link_path(from_rel, dest) {
            LinkPath::External(url) => return LinkTarget::External(url),
            LinkPath::SelfAnchor(a) => return LinkTarget::SelfAnchor(a),
            LinkPath::Other => return LinkTarget::Other,
            LinkPath::Empty => return LinkTarget::Broken(t!("links.text-1")),
            LinkPath::AboveRoot => {
                return LinkTarget::Broken(t!("links.text-2", dest = dest.trim()));
            }
            LinkPath::Content {
                path,
                anchor,
                absolute,
                trailing_slash,
            } => (path, anchor, absolute, trailing_slash),
        };
        if let Some(&index) = self.by_rel.get(&resolved) {
            return LinkTarget::Page {
                index,
                url: self.href(&self.pages[index].url),
                anchor,
            };
        }
        if resolved.starts_with("files/") && self.assets.contains(&resolved) {
            return LinkTarget::Asset(self.href(&encode_path(&resolved)));
        }
        // Written from the content root (`files/x.jpg`, `pages/apply.md`) where a path relative
        // to this file was meant: the target exists, so the link works (with a warning, see
        // [`Site::root_relative`]).
        if !absolute && let Some(root) = self.resolve_from_root(dest) {
            return root;
        }
        if resolved.starts_with("files/") {
            return LinkTarget::Broken(t!(
                "links.text-3",
                resolved,
                closest = self.closest_hint(from_rel, &resolved)
            ));
        }
        if resolved.ends_with(".md") {
            return LinkTarget::Broken(t!(
                "links.text-4",
                resolved,
                closest = self.closest_hint(from_rel, &resolved)
            ));
        }
        if absolute {
            // A site URL such as `/catalog/`: put it under the sub-path; the output check
            // verifies it exists.
            // `normalize` drops a trailing slash; keep it, or the link lands on a redirect.
            let slash = if slash && !resolved.is_empty() {
                "/"
            } else {
                ""
            };
            let url = self.href(&format!("{}{slash}", resolved.trim_start_matches('/')));
            let url = match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url,
            };
            return LinkTarget::Asset(url);
        }
        LinkTarget::Broken(t!("links.text-5", dest = dest.trim()))
    }

    fn image_size(&self, from_rel: &str, dest: &str) -> Option<(u32, u32)> {
        let dir = self.content_dir.as_ref()?;
        // As [`Self::resolve`] finds an attachment: relative to the page, else from the root.
        let rel = [from_rel, ""]
            .into_iter()
            .find_map(|from| match link_path(from, dest) {
                LinkPath::Content { path, .. } if self.assets.contains(&path) => Some(path),
                _ => None,
            })?;
        let size = imagesize::size(dir.join(rel)).ok()?;
        Some((size.width.try_into().ok()?, size.height.try_into().ok()?))
    }
}

impl Site {
    /// `dest` read from the content root (`files/x.jpg` → `content/files/x.jpg`), if a page or
    /// an attachment is there.
    fn resolve_from_root(&self, dest: &str) -> Option<LinkTarget> {
        let LinkPath::Content { path, anchor, .. } = link_path("", dest) else {
            return None;
        };
        if let Some(&index) = self.by_rel.get(&path) {
            return Some(LinkTarget::Page {
                index,
                url: self.href(&self.pages[index].url),
                anchor,
            });
        }
        self.assets
            .contains(&path)
            .then(|| LinkTarget::Asset(self.href(&encode_path(&path))))
    }

    /// The relative form of a link `dest` in page `from_rel` that only resolves when read from
    /// the content root (`files/x.jpg` in `news/a.md` → `../files/x.jpg`); `None` for links that
    /// resolve as written, or not at all.
    pub fn root_relative(&self, from_rel: &str, dest: &str) -> Option<String> {
        let LinkPath::Content {
            path,
            absolute: false,
            ..
        } = link_path(from_rel, dest)
        else {
            return None;
        };
        if self.by_rel.contains_key(&path) || self.assets.contains(&path) {
            return None;
        }
        let LinkPath::Content { path: root, .. } = link_path("", dest) else {
            return None;
        };
        (self.by_rel.contains_key(&root) || self.assets.contains(&root))
            .then(|| relative_to(from_rel, &root))
    }

    /// "；最接近的是 …" for a content path that does not exist: the page or attachment with the
    /// same file name, else the one a typo away.
    fn closest_hint(&self, from_rel: &str, missing: &str) -> String {
        let name = missing.rsplit('/').next().unwrap_or(missing);
        let pool: Vec<&str> = if missing.starts_with("files/") {
            self.assets.iter().map(String::as_str).collect()
        } else {
            self.by_rel.keys().map(String::as_str).collect()
        };
        let same_name = pool
            .iter()
            .filter(|p| p.rsplit('/').next() == Some(name))
            .min();
        // A typo in the file name (not in the folders, which every path shares).
        let found = same_name.copied().or_else(|| {
            let mut names: Vec<&str> = pool
                .iter()
                .map(|p| p.rsplit('/').next().unwrap_or(p))
                .collect();
            names.sort_unstable();
            names.dedup();
            let near = crate::yaml_fields::closest(name, &names)?;
            pool.iter()
                .filter(|p| p.rsplit('/').next() == Some(near))
                .min()
                .copied()
        });
        match found {
            Some(p) => t!("links.text-6", p, relative = relative_to(from_rel, p)),
            None => String::new(),
        }
    }
}

/// The path from the folder of `from_rel` to `to` (both under `content/`): `news/a.md`,
/// `files/x.jpg` → `../files/x.jpg`.
pub fn relative_to(from_rel: &str, to: &str) -> String {
    let from: Vec<&str> = from_rel.split('/').collect();
    let from = &from[..from.len().saturating_sub(1)];
    let to_segs: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_segs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_segs[common..].join("/"));
    out
}

/// Where a link destination points, before it is looked up in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkPath {
    /// `http(s)://…` or `//…`.
    External(String),
    /// `#…` on the same page (decoded).
    SelfAnchor(String),
    /// `mailto:`, `tel:` and other schemes.
    Other,
    /// Nothing but an anchor or a query.
    Empty,
    /// A relative path that climbs above `content/`.
    AboveRoot,
    /// A path under `content/`: `items/a/b.md`, `files/x.pdf`, or a site path such as `catalog`.
    Content {
        /// Normalised, decoded, without `/` at either end.
        path: String,
        /// The `#…` part, decoded, without `#`.
        anchor: Option<String>,
        /// Written from the content root (`/items/…`).
        absolute: bool,
        /// Written with a `/` at the end (`/catalog/`).
        trailing_slash: bool,
    },
}

/// Resolves `dest` as written in the page `from_rel` to a content path, without looking at the
/// site: the preview server uses it to know which pages link to a file that appeared or vanished.
pub fn link_path(from_rel: &str, dest: &str) -> LinkPath {
    let dest = dest.trim();
    if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//") {
        return LinkPath::External(dest.to_string());
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return LinkPath::SelfAnchor(percent_decode(anchor));
    }
    if has_scheme(dest) {
        return LinkPath::Other;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a))),
        None => (dest, None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or(path));
    if path.is_empty() {
        return LinkPath::Empty;
    }
    let absolute = path.starts_with('/');
    let joined = if absolute {
        crate::model::normalize_content_path(&path).to_string()
    } else {
        let dir = from_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        format!("{dir}/{path}")
    };
    match normalize(&joined) {
        Some(resolved) => LinkPath::Content {
            path: resolved,
            anchor,
            absolute,
            trailing_slash: path.ends_with('/'),
        },
        None => LinkPath::AboveRoot,
    }
}

impl Site {
    /// Renders the Markdown body of page `i`, its links resolved against this site (the one
    /// rendering `build` writes and `check` inspects).
    /// Raw HTML is audited and sanitized under the site's allow-list; the findings carry the
    /// page's file.
    pub fn render_body(&self, i: usize) -> crate::markdown::Rendered {
        let src = &self.pages[i].source;
        let policy = crate::sanitize::Policy::for_site(&self.config);
        let mut r =
            crate::markdown::render_with(&src.body, src.body_first_line, &src.rel, self, &policy);
        for d in &mut r.diagnostics {
            d.file = Some(src.file.clone());
        }
        r
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        }
        None => false,
    }
}

/// Resolves `.` and `..` segments; `None` if the path climbs above the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// Percent-encodes what a file name may hold but a URL path may not carry as it is: `#` and
/// `?` (which would start an anchor or a query), `%` (an escape), spaces, quotes, `<`, `>`,
/// control characters and the other ASCII characters URLs exclude. `/` stays a separator;
/// letters outside ASCII (Chinese file names) stay as they are, as HTML allows.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        let escape = c.is_ascii_control()
            || matches!(
                c,
                ' ' | '"' | '#' | '%' | '<' | '>' | '?' | '`' | '{' | '}' | '|' | '\\' | '^' | '\''
            );
        if escape {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%E5%85%BB`-style escapes (UTF-8); invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(
            normalize("items/a/../../pages/x.md").as_deref(),
            Some("pages/x.md")
        );
        assert_eq!(normalize("a/./b.md").as_deref(), Some("a/b.md"));
        assert_eq!(normalize("../x.md"), None);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E5%85%BB%E8%80%81"), "养老");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn encodes_what_a_url_path_cannot_carry() {
        assert_eq!(encode_path("files/a#b.pdf"), "files/a%23b.pdf");
        assert_eq!(encode_path("files/c?d.pdf"), "files/c%3Fd.pdf");
        assert_eq!(encode_path("files/50%.pdf"), "files/50%25.pdf");
        assert_eq!(encode_path("files/a b\"<>.pdf"), "files/a%20b%22%3C%3E.pdf");
        assert_eq!(
            encode_path("files/通知-1_a.b~.pdf"),
            "files/通知-1_a.b~.pdf"
        );
        for name in ["a#b", "c?d", "50%", "a b", "x%41y"] {
            assert_eq!(percent_decode(&encode_path(name)), name);
        }
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("mailto:a@b.cn"));
        assert!(has_scheme("tel:12345"));
        assert!(!has_scheme("dibao.md"));
    }
}
