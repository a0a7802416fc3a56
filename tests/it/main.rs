//! The end-to-end tests of portal, as one test binary (as mdBook and ripgrep do): each module
//! runs the built `portal` over small fixture sites (`tests/fixtures/<case>/`), the example
//! portal, or a real browser, and asserts what a user sees. One binary links the crate once.

mod common;

mod browser_search;
mod build;
mod catalog;
mod check;
mod deploy;
mod example_site;
mod fuzz;
mod incremental;
mod messages;
mod minify;
mod new;
mod report;
mod search_js;
mod search_relevance;
mod search_stream;
mod sec_misc;
mod security;
mod serve;
