//! `portal new`.

use portal::t;
use std::path::PathBuf;
use std::process::ExitCode;

use portal::date::Date;
use portal::page::Kind;
use portal::scaffold::{NewOptions, create};

/// What to create.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(crate) enum What {
    /// 工作动态，放在 content/news/。
    News,
    /// 公开事项，放在 content/items/<领域>/（需要 --domain）。
    Item,
    /// 政府信息公开工作年度报告，放在 content/reports/<年度>.md，三张表全为 0。
    Report,
    /// 单页（如信息公开指南），放在 content/pages/。
    Page,
}

/// Flags of `portal new`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 新建什么：news（工作动态）、item（公开事项）、report（年度报告）、page（单页）。
    #[arg(value_enum)]
    what: What,
    /// 标题，放在引号里。
    title: String,
    /// 站点根目录：包含 content/ 的文件夹。
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 领域代码（或名称），来自 site.yaml：公开事项必填，工作动态可选。
    #[arg(long)]
    domain: Option<String>,
    /// 公开日期 YYYY-MM-DD [默认：今天，北京时间]。
    #[arg(long, value_parser = parse_date)]
    date: Option<Date>,
    /// 文件名（也是网址的一段），只用英文字母、数字和 - [默认：标题中的英文字母和数字，
    /// 没有时用编号；年度报告用年度]。同名文件已存在时报错，不会覆盖。
    #[arg(long)]
    slug: Option<String>,
    /// 所属事项 of the catalog, e.g. social-assistance/dibao-guide (content/catalog/*.yaml);
    /// gives the domain when --domain is left out.
    #[arg(long)]
    matter: Option<String>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|_| t!("cmd.new.text-1", s))
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
                Some(n) => println!("{}", t!("cmd.new.line", shown = shown.display(), n)),
                None => println!("{}", shown.display()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let error = e.to_string();
            eprintln!("{}", t!("cmd.new.failed", error = error.trim_end()));
            ExitCode::from(1)
        }
    }
}
