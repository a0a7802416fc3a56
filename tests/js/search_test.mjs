// Tests of the query side of themes/default/static/search.js, without a browser.
//
//   node tests/js/search_test.mjs INDEX_DIR EXPECTED_JSON   (run by tests/search_js.rs)
//   node tests/js/search_test.mjs                           (the JS-only unit tests)
//   node tests/js/search_test.mjs --bench INDEX_DIR         (timings and bytes per query)
//
// EXPECTED_JSON holds what the Rust side (Index::search, tokenize) answers; every query must
// give the same hits, in the same order, with the same integer scores.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, '../../themes/default/static/search.js'), 'utf8');
// Run the script as a browser would (no `module`, no `document`): it sets globalThis.PortalSearch.
vm.runInThisContext(source, { filename: 'search.js' });
const S = globalThis.PortalSearch;
assert.ok(S, 'search.js did not expose PortalSearch');

/** A loader reading the index from disk; counts the bytes read. */
function diskLoader(dir, stats) {
  return async (rel, type) => {
    const buf = await fs.promises.readFile(path.join(dir, rel));
    stats.bytes += buf.length;
    stats.files.push(rel);
    if (type === 'json') return JSON.parse(buf.toString('utf8'));
    if (type === 'text') return buf.toString('utf8');
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  };
}

/** Runs a query and loads every page of it. */
async function fullSearch(engine, query, filters) {
  const res = await engine.search(query, filters);
  const size = (await engine.manifest()).page_size;
  const urls = [];
  for (let p = 0; p * size < res.hits.length; p++) {
    for (const h of await engine.page(res, p)) urls.push(h.doc.url);
  }
  return { res, urls };
}

let failures = 0;
let passed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
  } catch (e) {
    failures++;
    console.error(`FAIL ${name}\n${e && e.stack ? e.stack : e}`);
  }
}

function unitTests() {
  return [
    check('tokenize Chinese', () => {
      const t = S.tokenize('养老服务').map((x) => x.text);
      assert.deepEqual(t, ['养', '养老', '老', '老服', '服', '服务', '务']);
    }),
    check('tokenize Latin, digits, folding', () => {
      assert.deepEqual(S.tokenize('Hello World').map((x) => x.text), ['hello', 'world']);
      assert.deepEqual(S.tokenize('2021年').map((x) => [x.text, x.kind]), [['2021', 'number'], ['2021年', 'number'], ['年', 'unigram']]);
      assert.deepEqual(S.tokenize('PM2.5浓度').map((x) => x.text), ['pm2.5', '浓', '浓度', '度']);
      assert.deepEqual(S.tokenize('第5批').map((x) => x.text), ['第', '5', '5批', '批']);
      assert.deepEqual(S.tokenize('１２３４５').map((x) => x.text), ['12345']);
      assert.deepEqual(S.tokenize('ＡＢＣ').map((x) => x.text), ['abc']);
      assert.deepEqual(S.tokenize('低保、养老').filter((x) => x.kind === 'bigram').map((x) => x.text), ['低保', '养老']);
    }),
    check('query groups', () => {
      const g = S.parseQuery('养老服务 2021年');
      assert.equal(g.length, 2);
      assert.deepEqual(Array.from(g[0].alts[0].terms), ['养老', '老服', '服务']);
      assert.equal(g[0].need, 2);
      assert.deepEqual(Array.from(g[1].alts[0].terms), ['2021年']);
      const syn = S.parseQuery('低保申请', [['低保', '最低生活保障']]);
      assert.deepEqual(syn[0].alts.map((a) => a.phrase), ['低保申请', '最低生活保障申请']);
      assert.deepEqual(Array.from(S.queryTerms(S.parseQuery('哈哈哈 哈哈'))), ['哈哈']);
    }),
    check('phrase containment', () => {
      assert.equal(S.normalize('  Hello，　World！养老 服务 '), 'hello world 养老 服务');
      assert.ok(S.containsPhrase(S.normalize('拨打１２３４５热线'), '12345'));
      assert.ok(!S.containsPhrase(S.normalize('拨打123456热线'), '12345'));
      assert.ok(S.containsPhrase(S.normalize('社区养老服务中心'), '养老服务'));
      assert.ok(!S.containsPhrase('ahello world', 'hello'));
      assert.ok(S.containsPhrase('ahello hello', 'hello'));
    }),
    check('term hash', () => {
      // The same values as src/search/tests.rs (term_hash_is_fnv1a_then_fmix32).
      assert.equal(S.termHash(''), 0xab3e7c0b);
      assert.equal(S.termHash('养老'), 0x38972308);
      assert.equal(S.termHash('hello'), 0x888d766e);
      assert.equal(S.termHash('𠀀'), 0x868c4692);
      assert.equal(S.shardOf(0xffffffff, 0), 0);
      assert.equal(S.shardOf(0xffffffff, 10), 1023);
      assert.equal(S.shardOf(0x80000000, 1), 1);
    }),
    check('highlight', () => {
      const hl = (text, q) => S.highlight(text, S.parseQuery(q));
      assert.equal(hl('老年人2021年', '2021年'), '老年人<mark>2021年</mark>', 'no stray 年');
      assert.equal(hl('社区养老服务中心', '养老服务'), '社区<mark>养老服务</mark>中心');
      assert.equal(hl('养老和服务', '养老服务'), '<mark>养老</mark>和<mark>服务</mark>');
      assert.equal(hl('<b>低保</b> & "x"', '低保'), '&lt;b&gt;<mark>低保</mark>&lt;/b&gt; &amp; &quot;x&quot;');
      assert.equal(hl('电话：１２３４５。', '12345'), '电话：<mark>１２３４５</mark>。');
      assert.equal(hl('电话123456', '12345'), '电话123456');
      assert.equal(hl('HELLO world', 'hello'), '<mark>HELLO</mark> world');
      assert.equal(hl('𠀀𠀁字', '𠀁'), '𠀀<mark>𠀁</mark>字');
    }),
    check('excerpt', () => {
      const long = '前言。'.repeat(100) + '社区开展养老服务活动。' + '结尾。'.repeat(100);
      const ex = S.excerpt(long, S.parseQuery('养老服务'), 60);
      assert.ok(ex.startsWith('…') && ex.endsWith('…'), ex);
      assert.ok(ex.includes('<mark>养老服务</mark>'), ex);
      assert.ok(Array.from(ex.replace(/<\/?mark>/g, '')).length <= 62, ex);
      assert.equal(S.excerpt('没有命中', S.parseQuery('养老'), 60), null);
      const short = S.excerpt('养老服务', S.parseQuery('养老'), 60);
      assert.equal(short, '<mark>养老</mark>服务');
      // The passage with the whole phrase wins over one with more scattered bigrams.
      const mixed = '养老和服务，养老和服务，养老和服务。' + '中间。'.repeat(60) + '社区养老服务站。';
      assert.ok(S.excerpt(mixed, S.parseQuery('养老服务'), 40).includes('<mark>养老服务</mark>'));
      // Table cells stay apart.
      assert.equal(S.excerpt('反映渠道 说明', S.parseQuery('渠道'), 60), '反映<mark>渠道</mark> · 说明');
    }),
    check('URL state', () => {
      const st = { q: '养老 服务', kind: '', domain: '社会救助', year: '2021' };
      const qs = S.writeState(st);
      assert.ok(!qs.includes('kind='), qs);
      assert.deepEqual({ ...S.readState(qs) }, st);
      assert.equal(S.writeState({ q: '', kind: '', domain: '', year: '' }), '');
      assert.deepEqual({ ...S.readState('?q=%E4%BD%8E%E4%BF%9D&kind=news') }, { q: '低保', kind: 'news', domain: '', year: '' });
      assert.equal(S.readState('?q=a+b').q, 'a b');
    }),
  ];
}

async function parityTests(indexDir, expectedPath) {
  const expected = JSON.parse(fs.readFileSync(expectedPath, 'utf8'));
  const engine = S.createEngine(diskLoader(indexDir, { bytes: 0, files: [] }));
  const m = await engine.manifest();
  await check('manifest', () => {
    assert.equal(m.doc_count, expected.doc_count);
    assert.ok(m.terms.shards > 1, 'several term shards expected');
  });
  for (const c of expected.cases) {
    const f = { kind: c.filters.kind || '', domain: c.filters.domain || '', year: c.filters.year || '' };
    await check(`query ${JSON.stringify(c.query)} ${JSON.stringify(f)}`, async () => {
      const { res, urls } = await fullSearch(engine, c.query, f);
      assert.equal(res.exact, c.exact, 'exact');
      assert.deepEqual(res.expanded, c.expanded, 'expanded');
      assert.deepEqual(res.hits.map((h) => [h.id, h.score, h.tier]), c.hits.map((h) => [h.id, h.score, h.tier]));
      assert.deepEqual(urls, c.hits.map((h) => h.url));
    });
    await check(`next ${JSON.stringify(c.query)} ${JSON.stringify(f)}`, async () => {
      // The search page's path: every hit shown once, and shown as exact only if it is exact.
      const res = await engine.search(c.query, f);
      const exact = new Set(c.hits.slice(0, c.exact).map((h) => h.id));
      const seen = new Set();
      for (let calls = 0; res.shown === undefined || res.shown < res.hits.length; calls++) {
        assert.ok(calls <= c.hits.length + 1, 'next() does not progress');
        for (const h of await engine.next(res)) {
          assert.ok(!seen.has(h.id), `shown twice: ${h.id}`);
          seen.add(h.id);
          assert.equal(h.exact, exact.has(h.id), `exact flag of ${h.doc.url}`);
        }
      }
      assert.equal(seen.size, c.hits.length);
    });
  }
  // The queries above loaded fold.txt through the engine when they needed it.
  S.setFoldTable(fs.readFileSync(path.join(indexDir, m.fold.file), 'utf8'));
  for (const t of expected.tokenize) {
    await check(`tokenize ${JSON.stringify(t.text)}`, () => {
      assert.deepEqual(S.tokenize(t.text).map((x) => [x.text, x.kind]), t.tokens);
    });
  }
}

async function bench(indexDir) {
  const queries = ['养老', '低保', '養老', '招聘会', '12345', '2021年', '养老服务补贴', '最低生活保障', '燃气安全整治', '残疾人服务', '便民服务站', '年'];
  console.log('query            hits  exact   first page ms   files   bytes');
  for (const q of queries) {
    const stats = { bytes: 0, files: [] };
    const engine = S.createEngine(diskLoader(indexDir, stats));
    const t0 = process.hrtime.bigint();
    const res = await engine.search(q, {});
    const items = res.hits.length ? await engine.next(res) : [];
    for (const h of items) S.excerpt(h.doc.text, res.groups);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`${q.padEnd(14)} ${String(res.hits.length).padStart(6)} ${String(res.exact).padStart(6)} ${ms.toFixed(1).padStart(15)} ${String(stats.files.length).padStart(7)} ${String(stats.bytes).padStart(7)}`);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--bench') {
  await bench(args[1]);
} else {
  await Promise.all(unitTests());
  if (args.length >= 2) await parityTests(args[0], args[1]);
  console.log(`${passed} passed, ${failures} failed`);
  if (failures) process.exit(1);
  console.log('ok');
}
