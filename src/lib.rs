//! portal: a static site generator for the government information disclosure portal
//! (政府信息公开专栏) of a 街道.
//!
//! Data flows one way — [`load`] → [`model`] → [`render`] → [`output`] — and the commands
//! ([`build`], [`check`], [`serve`] with its [`incremental`] rebuild, `new` in [`scaffold`])
//! orchestrate those stages through the one [`pipeline`] they share; a lower stage never calls up.

// A `Diagnostic` is the payload of the error path, which runs once per fault; boxing it would
// only add noise to every signature.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod catalog;
pub mod check;
pub mod date;
pub mod diagnostic;
pub mod escape;
pub mod front_matter;
pub(crate) mod fx;
pub mod generated;
pub(crate) mod html_scan;
pub mod incremental;
pub mod links;
pub mod load;
pub mod markdown;
pub mod messages;
pub mod model;
pub mod output;
pub mod outputs;
pub mod page;
pub mod pipeline;
pub mod printer;
pub mod render;
pub mod report;
pub mod safe_path;
pub mod sanitize;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site_config;
pub mod site_contact;
pub mod timings;
pub mod utf8;
pub mod yaml_depth;
pub mod yaml_fields;
pub mod yaml_flat;
pub mod yaml_message;
