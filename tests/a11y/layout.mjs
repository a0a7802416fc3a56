// Layout checks of built portal pages in headless Chromium, and the screenshots a reviewer
// looks at:
//
//   node tests/a11y/layout.mjs OUT_DIR BASE_URL
//
// - phone (375×667), normal look (and 长者模式, except the header height; there the base text
//   must be ≥ 22 px): the header is at most a quarter of the first screen; no table
//   cell is so narrow that its text runs one character per line; short column headers (序号,
//   自然人, 总计 …) stay on one line; the page does not scroll sideways; report tables say that
//   they scroll, keep their first column in view (sticky) and show the numbers of their first
//   rows without scrolling; the report has its table of contents and 返回顶部.
// - print (A4, 96 dpi: 718 px between the margins): no table is wider than the page (so no
//   border is clipped), no table, wrapper or row with a tall row-spanning header forces a page
//   break or refuses to break (the blank page before table 2), and links in the article body
//   print their address; the report is also printed to OUT_DIR/report-print.pdf.
// - news and item pages: 上一篇/下一篇, 打印本页, date and source before the body.
// - the 无障碍 toolbar by keyboard alone: 字号＋ and 长者模式 work, are remembered on the next
//   page, and 恢复默认 clears them.
// - screenshots of home, catalog, a domain, an item, the report and search, at 1280 and 375 px,
//   normal and 长者模式, into OUT_DIR (first screen; the report also full length).
//
// Prints every problem and exits 1 if there is any, 2 on a usage or browser error.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [outDir, base] = process.argv.slice(2);
if (!outDir || !base) {
  console.error('usage: node layout.mjs OUT_DIR BASE_URL');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const SHOTS = [
  ['home', ''],
  ['catalog', 'catalog/'],
  ['domain', 'catalog/social-assistance/'],
  ['item', 'items/social-assistance/dibao/'],
  ['report', 'reports/2021/'],
  ['search', 'search/?q=%E5%85%BB%E8%80%81'],
];
const PHONE_PAGES = [
  '',
  'catalog/',
  'catalog/social-assistance/',
  'items/social-assistance/dibao/',
  'news/2021-09-09-red-elderly-care-station/',
  'reports/2021/',
  'guide/',
  'apply/',
  'sitemap/',
  'search/?q=%E5%85%BB%E8%80%81',
];
const ELDER = { elder: true, contrast: false, scale: 0 };

const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function open(viewport, url, store) {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  // `store` undefined: leave localStorage to the page (a fresh context starts empty).
  if (store !== undefined) {
    await page.addInitScript((s) => {
      try {
        if (s) localStorage.setItem('portal-a11y', JSON.stringify(s));
        else localStorage.removeItem('portal-a11y');
      } catch (e) {}
    }, store);
  }
  await page.goto(url, { waitUntil: 'load' });
  if (url.includes('/search/')) {
    await page.waitForFunction(
      () => document.querySelector('#search-results li') || (document.querySelector('#search-status')?.textContent || '').trim(),
      null,
      { timeout: 30000 },
    );
  }
  return { ctx, page };
}

// Runs in the page at phone width.
function phoneChecks() {
  const out = [];
  const header = document.querySelector('.site-header').getBoundingClientRect();
  if (header.height > window.innerHeight * 0.25) {
    out.push(`header is ${Math.round(header.height)}px high, more than a quarter of ${window.innerHeight}px`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px at ${window.innerWidth}px`);
  }
  const input = document.querySelector('.header-search input');
  if (input && input.placeholder) {
    const cs = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const need = ctx.measureText(input.placeholder).width;
    if (need > room) out.push(`the header search hint is cut (${Math.round(need)}px of text in ${Math.round(room)}px)`);
  }
  if (document.documentElement.classList.contains('a11y-elder')) {
    const base = parseFloat(getComputedStyle(document.documentElement).fontSize);
    if (base < 22) out.push(`长者模式 base text is ${base}px, less than 22px`);
  }
  const body = getComputedStyle(document.body);
  if (parseFloat(body.lineHeight) / parseFloat(body.fontSize) < 1.5) out.push('line height below 1.5');
  for (const cell of document.querySelectorAll('main th, main td')) {
    const text = cell.innerText.trim();
    if ([...text].length < 2 || cell.getClientRects().length === 0) continue;
    const cs = getComputedStyle(cell);
    const fs = parseFloat(cs.fontSize);
    const inner = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (inner < 1.9 * fs) {
      out.push(`cell "${text.slice(0, 20)}" is ${Math.round(inner)}px wide: one character per line`);
    }
    const short = [...text].length <= 4 && /^[\p{Script=Han}]+$/u.test(text);
    const lh = parseFloat(cs.lineHeight) || fs * 1.8;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    if (cell.tagName === 'TH' && short && lines > 1) out.push(`header "${text}" breaks mid-word`);
    void lh;
  }
  if (location.pathname.includes('/reports/2')) {
    const wraps = document.querySelectorAll('.report .table-wrap');
    if (wraps.length === 0) out.push('report has no tables');
    for (const w of wraps) {
      const hint = getComputedStyle(w, '::before').content;
      if (!hint || hint === 'none' || !hint.includes('滑动')) out.push('a report table has no "scrolls sideways" hint');
      const first = w.querySelector('tbody th');
      if (first && getComputedStyle(first).position !== 'sticky') out.push('the row headers (first column) of a report table are not sticky');
      const num = [...w.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td')).find(Boolean);
      if (num) {
        const r = num.getBoundingClientRect();
        if (r.right > window.innerWidth) out.push(`the first number of a report table is off screen (${Math.round(r.left)}px)`);
      }
    }
    if (!document.querySelector('.report .toc a')) out.push('report has no table of contents');
    if (!document.querySelector('a[href="#top"]')) out.push('report has no 返回顶部 link');
  }
  return out;
}

// Runs in the page, print media at A4 width.
function printChecks() {
  const out = [];
  const width = document.documentElement.clientWidth;
  for (const t of document.querySelectorAll('table')) {
    const r = t.getBoundingClientRect();
    if (r.right > width + 0.5) out.push(`a table is ${Math.round(r.right)}px wide on a ${width}px page: its right border is clipped`);
    for (const el of [t, t.parentElement]) {
      const cs = getComputedStyle(el);
      if (cs.breakBefore === 'page' || cs.pageBreakBefore === 'always') out.push('a table forces a page break before it');
      if (el === t && (cs.breakInside === 'avoid' || cs.pageBreakInside === 'avoid')) out.push('a table refuses to break across pages (leaves a blank page)');
      if (el !== t && el.classList.contains('table-wrap') && cs.breakInside === 'avoid') out.push('a table wrapper refuses to break across pages');
    }
  }
  // A row holding a header that spans many rows must be breakable: otherwise the whole group
  // moves to the next page and leaves a mostly blank page before it.
  for (const tr of document.querySelectorAll('tr')) {
    const tall = [...tr.cells].some((c) => c.rowSpan > 3);
    if (tall && getComputedStyle(tr).breakInside === 'avoid') {
      out.push(`a row with a ${Math.max(...[...tr.cells].map((c) => c.rowSpan))}-row header refuses to break (blank page before it)`);
      break;
    }
  }
  const links = [...document.querySelectorAll('.content a[href^="http"], .content a[href^="/"]')];
  for (const a of links.slice(0, 5)) {
    const after = getComputedStyle(a, '::after').content;
    if (!after || after === 'none' || !after.includes('attr') && !after.includes(a.getAttribute('href').slice(0, 8))) {
      out.push(`the address of link "${a.textContent.slice(0, 20)}" is not printed`);
    }
  }
  for (const sel of ['.site-header', '.site-footer', '.a11y-bar', '.article-tools']) {
    const el = document.querySelector(sel);
    if (el && el.getClientRects().length > 0) out.push(`${sel} is printed`);
  }
  return out;
}

// Runs in the page: the article conventions of news and item pages.
function articleChecks() {
  const out = [];
  const body = document.querySelector('article .content');
  const byline = document.querySelector('article .byline');
  if (!byline || !/发布日期/.test(byline.textContent) || !/来源/.test(byline.textContent)) out.push('no date and source line');
  else if (body && !(byline.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING)) out.push('date and source come after the body');
  const pn = document.querySelector('.prev-next');
  if (!pn || !/上一篇/.test(pn.textContent) || !/下一篇/.test(pn.textContent)) out.push('no 上一篇/下一篇');
  const pr = document.querySelector('[data-print]');
  if (!pr || pr.hidden || !/打印本页/.test(pr.textContent)) out.push('no 打印本页 button');
  return out;
}

try {
  for (const p of PHONE_PAGES) {
    const url = base + p;
    const { ctx, page } = await open({ width: 375, height: 667 }, url, null);
    for (const m of await page.evaluate(phoneChecks)) problems.push(`[phone] ${m} on ${url}`);
    await ctx.close();
  }
  // 长者模式 on a phone: ≥ 22 px text, the hint whole, nothing one character wide (the header
  // may take more room there).
  for (const p of ['', 'items/social-assistance/dibao/', 'catalog/']) {
    const url = base + p;
    const { ctx, page } = await open({ width: 375, height: 667 }, url, ELDER);
    for (const m of await page.evaluate(phoneChecks)) {
      if (!m.startsWith('header is')) problems.push(`[phone, 长者模式] ${m} on ${url}`);
    }
    await ctx.close();
  }
  {
    // The toolbar by keyboard alone: Tab to 字号＋ and 长者模式, press Enter/Space; the choice
    // holds on the next page and 恢复默认 clears it.
    const { ctx, page } = await open({ width: 1280, height: 900 }, base, undefined);
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const tabTo = async (label, key = 'Tab') => {
      for (let i = 0; i < 15; i++) {
        await page.keyboard.press(key);
        const t = await page.evaluate(() => document.activeElement?.textContent || '');
        if (t.includes(label)) return true;
      }
      return false;
    };
    const before = await size();
    if (!(await tabTo('字号＋'))) problems.push('[toolbar] 字号＋ is not reachable with Tab');
    await page.keyboard.press('Enter');
    const bigger = await size();
    if (!(bigger > before)) problems.push(`[toolbar] 字号＋ did not enlarge the text (${before}px → ${bigger}px)`);
    if (!(await tabTo('长者模式', 'Shift+Tab'))) problems.push('[toolbar] 长者模式 is not reachable with Shift+Tab');
    await page.keyboard.press('Space');
    const pressed = await page.evaluate(() => document.querySelector('[data-a11y=elder]').getAttribute('aria-pressed'));
    if (pressed !== 'true') problems.push('[toolbar] 长者模式 does not report aria-pressed=true');
    await page.goto(base + 'catalog/', { waitUntil: 'load' });
    const kept = await page.evaluate(() => document.documentElement.className);
    if (!/a11y-elder/.test(kept) || !/a11y-scale-1/.test(kept)) problems.push(`[toolbar] the choice is not remembered on the next page (class="${kept}")`);
    await page.click('[data-a11y=reset]');
    await page.goto(base, { waitUntil: 'load' });
    const cleared = await page.evaluate(() => document.documentElement.className);
    if (/a11y-/.test(cleared)) problems.push(`[toolbar] 恢复默认 did not clear the choice (class="${cleared}")`);
    await ctx.close();
  }
  for (const p of ['items/social-assistance/dibao/', 'news/2021-09-09-red-elderly-care-station/']) {
    const url = base + p;
    const { ctx, page } = await open({ width: 1280, height: 900 }, url, null);
    for (const m of await page.evaluate(articleChecks)) problems.push(`[article] ${m} on ${url}`);
    await ctx.close();
  }
  for (const p of ['reports/2021/', 'items/social-assistance/dibao/', 'guide/']) {
    const url = base + p;
    const { ctx, page } = await open({ width: 718, height: 1000 }, url, null);
    await page.emulateMedia({ media: 'print' });
    for (const m of await page.evaluate(printChecks)) problems.push(`[print] ${m} on ${url}`);
    if (p === 'reports/2021/') {
      await page.pdf({ path: path.join(outDir, 'report-print.pdf'), format: 'A4', printBackground: false });
    }
    await ctx.close();
  }
  for (const [name, p] of SHOTS) {
    for (const [w, h] of [[1280, 900], [375, 667]]) {
      for (const [mode, store] of [['normal', null], ['elder', ELDER]]) {
        const { ctx, page } = await open({ width: w, height: h }, base + p, store);
        await page.screenshot({ path: path.join(outDir, `${name}-${w}-${mode}.png`) });
        if (name === 'report') {
          // The second table (表二) on screen, as a reader scrolled to it sees it.
          await page.evaluate(() => document.querySelectorAll('.table-wrap')[1]?.scrollIntoView());
          await page.screenshot({ path: path.join(outDir, `${name}-${w}-${mode}-table.png`) });
          await page.evaluate(() => window.scrollTo(0, 0));
        }
        if (name === 'report' && mode === 'normal') {
          await page.screenshot({ path: path.join(outDir, `${name}-${w}-${mode}-full.png`), fullPage: true });
        }
        await ctx.close();
      }
    }
  }
} catch (e) {
  console.error(`layout error: ${e && e.stack ? e.stack : e}`);
  await browser.close();
  process.exit(2);
}
await browser.close();
for (const p of problems) console.log(p);
console.log(problems.length === 0 ? 'no layout problems' : `${problems.length} layout problem(s)`);
console.log(`screenshots in ${outDir}`);
process.exit(problems.length === 0 ? 0 : 1);
