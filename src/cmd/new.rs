//! `portal new`.

use std::path::PathBuf;
use std::process::ExitCode;

use portal::date::Date;
use portal::page::Kind;
use portal::scaffold::{NewOptions, create};

/// What to create.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(crate) enum What {
    /// 工作动态, in content/news/.
    News,
    /// 公开事项, in content/items/<domain>/ (needs --domain).
    Item,
    /// 政府信息公开工作年度报告, in content/reports/, with the three tables at zero.
    Report,
    /// A standalone page, in content/pages/.
    Page,
}

/// Flags of `portal new`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// What to create.
    #[arg(value_enum)]
    what: What,
    /// The title (标题), in quotes.
    title: String,
    /// Site root: the folder holding content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Domain slug (or name) from site.yaml: required for an item, optional for news.
    #[arg(long)]
    domain: Option<String>,
    /// 公开日期, YYYY-MM-DD [default: today, China time].
    #[arg(long, value_parser = parse_date)]
    date: Option<Date>,
    /// ASCII file name part (and URL segment) [default: the title's ASCII letters and digits,
    /// else a number]. An existing file of that name is an error.
    #[arg(long)]
    slug: Option<String>,
    /// 所属事项 of the catalog, e.g. social-assistance/dibao-guide (content/catalog/*.yaml);
    /// gives the domain when --domain is left out.
    #[arg(long)]
    matter: Option<String>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|_| format!("\"{s}\" is not a date of the form YYYY-MM-DD"))
}

/// Creates the file and prints its path; exit code 1 if nothing was created.
pub(crate) fn run(a: Args) -> ExitCode {
    let kind = match a.what {
        What::News => Kind::News,
        What::Item => Kind::Item,
        What::Report => Kind::Report,
        What::Page => Kind::Page,
    };
    let opts = NewOptions {
        root: a.root,
        kind,
        title: a.title,
        domain: a.domain,
        date: a.date,
        slug: a.slug,
        matter: a.matter,
    };
    match create(&opts) {
        Ok(created) => {
            let shown = created.path.strip_prefix(".").unwrap_or(&created.path);
            match &created.index_no {
                Some(n) => println!("{} (索引号 {n})", shown.display()),
                None => println!("{}", shown.display()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("portal new: {}", e.to_string().trim_end());
            ExitCode::from(1)
        }
    }
}
