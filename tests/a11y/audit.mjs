// WCAG 2.1 AA audit of built portal pages in headless Chromium (Debian's /usr/bin/chromium):
// axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa and the landmark best practices), plus checks axe
// does not make: a visible focus indicator with 3:1 contrast on every tabbable element, a
// labelled header search form, a lang attribute, and reflow at 320 CSS px (WCAG 1.4.10).
//
//   node tests/a11y/audit.mjs URL...
//
// Every URL is audited three times: in the normal look, in 长者模式 and in 高对比度 (the modes
// static/a11y.js keeps in localStorage; the audit checks that the mode really applied). Each
// time it also walks the page with the Tab key: the first stop is the skip link, focus moves
// forward in document order, and every stop is on screen. One page is loaded with JavaScript
// off: the 无障碍 toolbar must then be hidden.
//
// Prints every violation found and exits 1 if there is any, 2 on a usage or browser error.
// A URL whose path contains /search/ is audited after its results (or "no results") appear.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: node audit.mjs URL...');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// The WCAG 2.1 A/AA rules, plus landmark structure and headings (best practices, not tagged
// wcag2*, but asked of the theme).
const STRUCTURE_RULES = [
  'region',
  'landmark-one-main',
  'landmark-unique',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'landmark-no-duplicate-main',
  'landmark-banner-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-main-is-top-level',
  'page-has-heading-one',
  'skip-link',
  'empty-heading',
];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs in the page: axe with the rules of WCAG_TAGS (as `runOnly: tags` would pick them:
// experimental rules left out) and STRUCTURE_RULES, in one pass.
function runAxe([tags, extra]) {
  const ids = window.axe
    .getRules(tags)
    .filter((r) => !r.tags.includes('experimental'))
    .map((r) => r.ruleId);
  const values = [...new Set([...ids, ...extra])];
  return window.axe.run(document, { runOnly: { type: 'rule', values }, resultTypes: ['violations'] });
}

// Runs in the page: the header search form, lang, and a focus-indicator probe helper.
function pageChecks() {
  const problems = [];
  const lang = document.documentElement.getAttribute('lang') || '';
  if (!/^zh\b/i.test(lang)) problems.push(`html lang is "${lang}", expected zh-*`);
  const form = document.querySelector('header form[role="search"], header search form');
  if (!form) {
    problems.push('no search form (role=search) in the header');
  } else {
    for (const input of form.querySelectorAll('input:not([type=hidden])')) {
      const named = input.labels?.length || input.getAttribute('aria-label') || input.getAttribute('aria-labelledby');
      if (!named) problems.push(`header search input #${input.id} has no label`);
    }
  }
  if (!document.querySelector('main')) problems.push('no <main> landmark');
  if (!document.querySelector('header, [role=banner]')) problems.push('no banner landmark');
  if (!document.querySelector('footer, [role=contentinfo]')) problems.push('no contentinfo landmark');
  if (!document.querySelector('nav, [role=navigation]')) problems.push('no navigation landmark');
  return problems;
}

// Runs in the page after a Tab press (so Chromium treats focus as keyboard focus): focuses
// every tabbable element in turn and checks that its focus indicator is visible and has 3:1
// contrast against what surrounds it (WCAG 2.4.7 and 1.4.11).
function focusProbe() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x, y) => {
    const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  // The colour behind the outline: the first opaque background of an ancestor (the outline is
  // drawn outside the element's box).
  const behind = (start) => {
    for (let n = start; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const tabbable = [
    ...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])',
    ),
  ].filter((el) => !el.disabled && el.getClientRects().length > 0 && el.tabIndex >= 0);
  const problems = [];
  const seen = new Set();
  for (const el of tabbable) {
    el.focus();
    if (document.activeElement !== el) continue;
    const cs = getComputedStyle(el);
    const desc = el.outerHTML.slice(0, 160);
    const width = parseFloat(cs.outlineWidth) || 0;
    let problem = null;
    if (cs.outlineStyle === 'none' || width < 2) {
      problem = `no visible focus outline (outline: ${cs.outlineStyle} ${cs.outlineWidth})`;
    } else {
      const colour = parse(cs.outlineColor);
      const bg = behind(el.parentElement || el);
      const r = colour ? ratio(colour, bg) : 0;
      if (r < 3) problem = `focus outline ${cs.outlineColor} on rgb(${bg.r}, ${bg.g}, ${bg.b}) has contrast ${r.toFixed(2)} < 3`;
    }
    // One report per kind of problem and element shape (the nav repeats on every page).
    if (problem && !seen.has(problem + el.tagName + el.className)) {
      seen.add(problem + el.tagName + el.className);
      problems.push({ desc, problem });
    }
  }
  document.activeElement?.blur();
  return { count: tabbable.length, problems };
}

function formatAxe(url, v) {
  const lines = [`[${v.id}] ${v.help} (${v.impact}) on ${url}`, `    ${v.helpUrl}`];
  for (const n of v.nodes.slice(0, 10)) {
    lines.push(`    - ${n.target.join(' ')}: ${n.html.slice(0, 200)}`);
    if (n.failureSummary) lines.push(`      ${n.failureSummary.replace(/\n/g, '\n      ')}`);
  }
  if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more`);
  return lines.join('\n');
}

// The modes of static/a11y.js: what localStorage holds and the class it puts on <html>.
const MODES = [
  { name: 'normal', store: null, cls: null },
  { name: 'elder', store: { elder: true, contrast: false, scale: 0 }, cls: 'a11y-elder' },
  { name: 'contrast', store: { elder: false, contrast: true, scale: 0 }, cls: 'a11y-contrast' },
];

// Runs in the page: presses of Tab recorded by the caller; checks order and visibility.
function focusStop() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
  window.__stops = window.__stops || [];
  const prev = window.__stops[window.__stops.length - 1];
  const forward = !prev || prev === el || (prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  window.__stops.push(el);
  return { html: el.outerHTML.slice(0, 120), skip: el.classList.contains('skip-link'), onScreen, forward, first: window.__stops.length === 1 };
}

// Tab through the first stops of the page: skip link first, forward order, each on screen.
async function keyboardWalk(page, url, mode) {
  const found = [];
  await page.evaluate(() => {
    window.__stops = [];
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  let stops = 0;
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(focusStop);
    if (!s) break;
    stops++;
    if (s.first && !s.skip) found.push(`[keyboard] first Tab stop is not the skip link (${mode}) on ${url}\n    - ${s.html}`);
    if (!s.forward) {
      // Wrapping around to the start ends the walk.
      break;
    }
    if (!s.onScreen) found.push(`[keyboard] focused element is off screen (${mode}) on ${url}\n    - ${s.html}`);
  }
  if (stops < 3) found.push(`[keyboard] only ${stops} Tab stop(s) (${mode}) on ${url}`);
  return found;
}

async function audit(context, url) {
  const found = [];
  for (const mode of MODES) found.push(...(await auditMode(context, url, mode)));
  return found;
}

async function auditMode(context, url, mode) {
  const found = [];
  const page = await context.newPage();
  await page.addInitScript((store) => {
    try {
      if (store) localStorage.setItem('portal-a11y', JSON.stringify(store));
      else localStorage.removeItem('portal-a11y');
    } catch (e) {}
  }, mode.store);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const resp = await page.goto(url, { waitUntil: 'load' });
  if (!resp || (resp.status() >= 400 && !url.endsWith('404.html'))) {
    found.push(`[http] ${url} answered ${resp ? resp.status() : 'nothing'}`);
  }
  if (new URL(url).pathname.includes('/search/')) {
    await page.waitForFunction(
      () => document.querySelector('#search-results li') || (document.querySelector('#search-status')?.textContent || '').trim(),
      null,
      { timeout: 30000 },
    );
  }
  if (mode.cls && !url.endsWith('404.html')) {
    const on = await page.evaluate((c) => document.documentElement.classList.contains(c), mode.cls);
    if (!on) found.push(`[mode] ${mode.name} did not apply (no .${mode.cls} on <html>) on ${url}`);
  }
  if (mode.cls && url.endsWith('404.html')) {
    const on = await page.evaluate((c) => document.documentElement.classList.contains(c), mode.cls);
    if (!on) found.push(`[mode] ${mode.name} did not apply on ${url}`);
  }
  await page.addScriptTag({ content: axeSource });
  const res = await page.evaluate(runAxe, [WCAG_TAGS, STRUCTURE_RULES]);
  for (const v of res.violations) found.push(formatAxe(`${url} (${mode.name})`, v));
  found.push(...(await keyboardWalk(page, url, mode.name)));
  for (const p of await page.evaluate(pageChecks)) found.push(`[page] ${p} (${mode.name}) on ${url}`);
  for (const e of errors) found.push(`[script] ${e} on ${url}`);

  // Keyboard focus: one real Tab press, then every tabbable element in turn.
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(focusProbe);
  if (focus.count === 0) found.push(`[focus-visible] no tabbable element on ${url}`);
  for (const r of focus.problems) found.push(`[focus-visible] ${r.problem} (${mode.name}) on ${url}\n    - ${r.desc}`);

  // Reflow (WCAG 1.4.10): at 320 CSS px nothing but scroll containers may scroll sideways.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= w + 1) return null;
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      // Scroll containers may hold wider content: report tables and the phone nav row.
      if (r.right > w + 1 && !el.closest('.table-wrap') && !el.closest('.site-nav ul')) {
        culprits.push(el.outerHTML.slice(0, 120));
        if (culprits.length >= 5) break;
      }
    }
    return { scroll: document.documentElement.scrollWidth, w, culprits };
  });
  if (overflow) {
    found.push(
      `[reflow] page is ${overflow.scroll}px wide at a ${overflow.w}px viewport (${mode.name}) on ${url}\n` +
        overflow.culprits.map((c) => `    - ${c}`).join('\n'),
    );
  }
  await page.close();
  return found;
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let total = 0;
try {
  // A few pages at a time (each has its own focus), reported in the order given. Each worker
  // has its own context: the modes live in localStorage, which a shared context would share
  // between pages audited in different modes at the same moment.
  const results = new Array(urls.length);
  let next = 0;
  const worker = async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    while (next < urls.length) {
      const i = next++;
      results[i] = await audit(context, urls[i]);
    }
    await context.close();
  };
  await Promise.all(Array.from({ length: Math.min(3, urls.length) }, worker));
  // With JavaScript off the toolbar is hidden (its buttons would do nothing) and the page reads.
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const p = await noJs.newPage();
  await p.goto(urls[0], { waitUntil: 'load' });
  const bar = await p.evaluate(() => {
    const b = document.getElementById('a11y-bar');
    return { exists: !!b, shown: !!b && b.getClientRects().length > 0, main: (document.querySelector('main')?.innerText || '').length };
  });
  const js = [];
  if (!bar.exists) js.push(`[no-js] no #a11y-bar toolbar on ${urls[0]}`);
  if (bar.shown) js.push(`[no-js] the 无障碍 toolbar shows with JavaScript off on ${urls[0]}`);
  if (bar.main < 20) js.push(`[no-js] the page has no readable main content with JavaScript off on ${urls[0]}`);
  await noJs.close();
  urls.push(`${urls[0]} (JavaScript off)`);
  results.push(js);
  urls.forEach((url, i) => {
    total += results[i].length;
    console.log(`${results[i].length === 0 ? 'ok  ' : 'FAIL'} ${url}`);
    for (const f of results[i]) console.log(f);
  });
} catch (e) {
  console.error(`audit error: ${e && e.stack ? e.stack : e}`);
  await browser.close();
  process.exit(2);
}
await browser.close();
console.log(total === 0 ? 'no accessibility violations' : `${total} accessibility violation(s)`);
process.exit(total === 0 ? 0 : 1);
