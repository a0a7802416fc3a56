/*
 * portal site search: the browser side of the index written by src/search (docs/search.md).
 *
 * Plain ES2017, no dependencies, no build step, no external requests. Every file comes from
 * <base>search/, where <base> is <meta name="portal-base" content="…"> (so the site works under
 * any sub-path). The query logic (tokenizing, matching, integer scoring, phrase bonus) is the
 * twin of src/search/{tokenize,rank}.rs: tests/search_js.rs checks that both give the same
 * hits, in the same order, with the same scores.
 *
 * In a browser the script wires up the search page (the element #search-app) and exposes its
 * functions as globalThis.PortalSearch; under CommonJS it exports them instead.
 */
(function (root) {
  'use strict';

  var FORMAT_VERSION = 1;
  var SEP = 0;
  var CJK = 1;
  var LETTER = 2;
  var DIGIT = 3;

  // ---------------------------------------------------------------------------------------
  // Tokenizing (mirror of src/search/tokenize.rs)

  /** Full-width ASCII → ASCII, ideographic space → space. */
  function fold(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0;
    if (cp === 0x3000) return 0x20;
    return cp;
  }

  /** The class of a folded code point. */
  function classOf(u) {
    if (u >= 0x30 && u <= 0x39) return DIGIT;
    if ((u >= 0x41 && u <= 0x5a) || (u >= 0x61 && u <= 0x7a)) return LETTER;
    if (u <= 0x7f) return SEP;
    if ((u >= 0x3400 && u <= 0x4dbf) || (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xf900 && u <= 0xfaff) ||
        (u >= 0x20000 && u <= 0x3ffff) || u === 0x3005 || u === 0x3007 ||
        (u >= 0x3041 && u <= 0x3096) || (u >= 0x309d && u <= 0x309f) || (u >= 0x30a1 && u <= 0x30fa) ||
        (u >= 0x30fc && u <= 0x30ff) || (u >= 0x31f0 && u <= 0x31ff) || (u >= 0xac00 && u <= 0xd7a3) ||
        (u >= 0xff66 && u <= 0xff9f)) return CJK;
    if ((u >= 0xc0 && u <= 0xd6) || (u >= 0xd8 && u <= 0xf6) || (u >= 0xf8 && u <= 0x24f) ||
        (u >= 0x300 && u <= 0x36f) || (u >= 0x370 && u <= 0x37d) || (u >= 0x37f && u <= 0x386) ||
        (u >= 0x388 && u <= 0x3ff) || (u >= 0x400 && u <= 0x4ff) || (u >= 0x1e00 && u <= 0x1eff)) return LETTER;
    return SEP;
  }

  /** The lowercase of a folded letter. */
  function lower(cp) {
    if (cp >= 0x41 && cp <= 0x5a) return String.fromCharCode(cp + 32);
    if (cp < 0x80) return String.fromCharCode(cp);
    return String.fromCodePoint(cp).toLowerCase();
  }

  /**
   * Maximal runs of non-separator characters of one class:
   * [{cls, chars: [original code point strings], start, end}] (UTF-16 offsets).
   */
  function runs(text) {
    var out = [];
    var cur = null;
    var i = 0;
    for (var ch of text) {
      var k = classOf(fold(ch.codePointAt(0)));
      if (cur && cur.cls === k) {
        cur.chars.push(ch);
        cur.end = i + ch.length;
      } else {
        cur = k === SEP ? null : { cls: k, chars: [ch], start: i, end: i + ch.length };
        if (cur) out.push(cur);
      }
      i += ch.length;
    }
    return out;
  }

  function runText(run) {
    var s = '';
    for (var j = 0; j < run.chars.length; j++) {
      var cp = fold(run.chars[j].codePointAt(0));
      s += run.cls === LETTER ? lower(cp) : String.fromCodePoint(cp);
    }
    return s;
  }

  /** Tokens in the order of src/search/tokenize.rs: [{text, kind}]. */
  function tokenize(text) {
    var out = [];
    runs(text).forEach(function (r) {
      if (r.cls === CJK) {
        for (var j = 0; j < r.chars.length; j++) {
          if (j > 0) out.push({ text: r.chars[j - 1] + r.chars[j], kind: 'bigram' });
          out.push({ text: r.chars[j], kind: 'unigram' });
        }
      } else {
        out.push({ text: runText(r), kind: r.cls === LETTER ? 'word' : 'number' });
      }
    });
    return out;
  }

  /**
   * Query groups: each CJK run, word and number. A CJK run of one character looks up its
   * unigram; a longer one its distinct bigrams, of which a document needs ⌈2k/3⌉.
   */
  function parseQuery(query) {
    return runs(query).map(function (r) {
      var terms = [];
      if (r.cls === CJK && r.chars.length > 1) {
        for (var j = 1; j < r.chars.length; j++) {
          var t = r.chars[j - 1] + r.chars[j];
          if (terms.indexOf(t) < 0) terms.push(t);
        }
      } else {
        terms.push(runText(r));
      }
      var k = terms.length;
      var need = r.cls === CJK && k > 1 ? Math.ceil((2 * k) / 3) : 1;
      return { terms: terms, need: need, cls: r.cls, text: runText(r) };
    });
  }

  /** Distinct terms in order of first appearance (the order scores are summed in). */
  function queryTerms(groups) {
    var out = [];
    groups.forEach(function (g) {
      g.terms.forEach(function (t) {
        if (out.indexOf(t) < 0) out.push(t);
      });
    });
    return out;
  }

  /** Folded, letters lowercased, separator runs → one space, trimmed. */
  function normalize(text) {
    var out = '';
    var pending = false;
    for (var ch of text) {
      var cp = fold(ch.codePointAt(0));
      var k = classOf(cp);
      if (k === SEP) {
        pending = out.length > 0;
      } else {
        if (pending) {
          out += ' ';
          pending = false;
        }
        out += k === LETTER ? lower(cp) : String.fromCodePoint(cp);
      }
    }
    return out;
  }

  function wordLike(k) {
    return k === LETTER || k === DIGIT;
  }

  /** Whether normalized `hay` contains normalized `needle`, not inside a longer word or number. */
  function containsPhrase(hay, needle) {
    if (!needle) return false;
    var first = needle.codePointAt(0);
    var lastCh = Array.from(needle).pop();
    var kf = classOf(first);
    var kl = classOf(lastCh.codePointAt(0));
    var step = first > 0xffff ? 2 : 1;
    var from = 0;
    for (;;) {
      var at = hay.indexOf(needle, from);
      if (at < 0) return false;
      var end = at + needle.length;
      var beforeOk = !wordLike(kf) || at === 0 || classOf(hay.charCodeAt(at - 1)) !== kf;
      var afterOk = !wordLike(kl) || end >= hay.length || classOf(hay.charCodeAt(end)) !== kl;
      if (beforeOk && afterOk) return true;
      from = at + step;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Index files (formats in docs/search.md)

  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  /** FNV-1a over the UTF-8 bytes, then the murmur3 finalizer (src/search/mod.rs term_hash). */
  function termHash(term) {
    var bytes = encoder.encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  function shardOf(hash, bits) {
    return bits === 0 ? 0 : hash >>> (32 - bits);
  }

  /** Reads an unsigned LEB128 varint: [value, next position]. */
  function varint(bytes, pos) {
    var v = 0;
    var mul = 1;
    for (;;) {
      var b = bytes[pos++];
      if (b === undefined) throw new Error('truncated index file');
      v += (b & 0x7f) * mul;
      if (b < 0x80) return [v, pos];
      mul *= 128;
    }
  }

  /** A term shard: Map term → {df, idf, start, end} (byte range of the postings). */
  function parseTermShard(buffer) {
    var bytes = new Uint8Array(buffer);
    var map = new Map();
    var r = varint(bytes, 0);
    var count = r[0];
    var pos = r[1];
    for (var i = 0; i < count; i++) {
      r = varint(bytes, pos);
      var term = decoder.decode(bytes.subarray(r[1], r[1] + r[0]));
      pos = r[1] + r[0];
      r = varint(bytes, pos);
      var df = r[0];
      r = varint(bytes, r[1]);
      var idf = r[0];
      r = varint(bytes, r[1]);
      map.set(term, { df: df, idf: idf, start: r[1], end: r[1] + r[0] });
      pos = r[1] + r[0];
    }
    return { bytes: bytes, terms: map };
  }

  /** The postings of a term: {ids: Uint32Array, w: Uint8Array}. */
  function decodePostings(shard, entry) {
    var ids = new Uint32Array(entry.df);
    var w = new Uint8Array(entry.df);
    var bytes = shard.bytes;
    var pos = entry.start;
    var prev = 0;
    for (var i = 0; i < entry.df; i++) {
      var r = varint(bytes, pos);
      prev = i === 0 ? r[0] : prev + r[0];
      ids[i] = prev;
      w[i] = bytes[r[1]];
      pos = r[1] + 1;
    }
    return { ids: ids, w: w };
  }

  /** A facet file: ascending document ids. */
  function decodeIds(buffer) {
    var bytes = new Uint8Array(buffer);
    var r = varint(bytes, 0);
    var ids = new Uint32Array(r[0]);
    var pos = r[1];
    var prev = 0;
    for (var i = 0; i < ids.length; i++) {
      r = varint(bytes, pos);
      prev = i === 0 ? r[0] : prev + r[0];
      ids[i] = prev;
      pos = r[1];
    }
    return ids;
  }

  // ---------------------------------------------------------------------------------------
  // The engine: loads what a query needs, ranks exactly as src/search/rank.rs

  function byScore(a, b) {
    return b.score - a.score || a.id - b.id;
  }

  /**
   * `load(path, type)` returns a promise of the file `path` (relative to the index directory)
   * as an ArrayBuffer (type "bytes") or parsed JSON (type "json").
   */
  function createEngine(load) {
    var cache = new Map();
    function get(path, type) {
      if (!cache.has(path)) {
        var p = Promise.resolve(load(path, type));
        p.catch(function () {
          cache.delete(path);
        });
        cache.set(path, p);
      }
      return cache.get(path);
    }
    var manifestP = null;
    function manifest() {
      if (!manifestP) {
        manifestP = get('manifest.json', 'json').then(function (m) {
          if (!m || m.version !== FORMAT_VERSION) throw new Error('unsupported search index version');
          return m;
        });
        manifestP.catch(function () {
          manifestP = null;
        });
      }
      return manifestP;
    }
    var shards = new Map();
    function shard(m, n) {
      if (!shards.has(n)) {
        var p = get(m.terms.path + n + '.bin', 'bytes').then(parseTermShard);
        p.catch(function () {
          shards.delete(n);
        });
        shards.set(n, p);
      }
      return shards.get(n);
    }
    function postings(m, term) {
      return shard(m, shardOf(termHash(term), m.terms.bits)).then(function (s) {
        var e = s.terms.get(term);
        return e ? { idf: e.idf, list: decodePostings(s, e) } : null;
      });
    }
    function facetIds(facets, value) {
      var f = facets.find(function (x) {
        return x.value === value;
      });
      return f ? get(f.file, 'bytes').then(decodeIds) : Promise.resolve(new Uint32Array(0));
    }
    /** Allowed-document mask for the filters, or null without filters. */
    function mask(m, filters) {
      var lists = [];
      if (filters.kind) lists.push(facetIds(m.kinds, filters.kind));
      if (filters.domain) lists.push(facetIds(m.domains, filters.domain));
      if (filters.year) lists.push(facetIds(m.years, filters.year));
      if (!lists.length) return Promise.resolve(null);
      return Promise.all(lists).then(function (all) {
        var count = new Uint8Array(m.doc_count);
        all.forEach(function (ids) {
          for (var i = 0; i < ids.length; i++) count[ids[i]]++;
        });
        var out = new Uint8Array(m.doc_count);
        for (var d = 0; d < out.length; d++) out[d] = count[d] === all.length ? 1 : 0;
        return out;
      });
    }

    /**
     * Runs a query: {hits: [{id, score}] ranked by BM25F (the phrase bonus is applied page by
     * page in `page`), exact, query, groups}.
     */
    async function search(query, filters) {
      filters = filters || {};
      var m = await manifest();
      var groups = parseQuery(query);
      var terms = queryTerms(groups);
      var loaded = await Promise.all([mask(m, filters)].concat(terms.map(function (t) {
        return postings(m, t);
      })));
      var allowed = loaded[0];
      var lists = loaded.slice(1);
      var n = m.doc_count;
      var res = { hits: [], exact: true, query: query, groups: groups, phrase: normalize(query), ranked: 0 };
      if (!groups.length) {
        if (allowed) {
          for (var a = 0; a < n; a++) if (allowed[a]) res.hits.push({ id: a, score: 0 });
        }
        res.ranked = res.hits.length;
        return res;
      }
      var byTerm = new Map();
      terms.forEach(function (t, i) {
        byTerm.set(t, lists[i]);
      });
      var score = new Float64Array(n);
      lists.forEach(function (p) {
        if (!p) return;
        var ids = p.list.ids;
        var w = p.list.w;
        for (var i = 0; i < ids.length; i++) score[ids[i]] += p.idf * w[i];
      });
      var strict = new Uint8Array(n).fill(1);
      var count = new Uint16Array(n);
      groups.forEach(function (g) {
        count.fill(0);
        g.terms.forEach(function (t) {
          var p = byTerm.get(t);
          if (!p) return;
          var ids = p.list.ids;
          for (var i = 0; i < ids.length; i++) count[ids[i]]++;
        });
        for (var d = 0; d < n; d++) if (count[d] < g.need) strict[d] = 0;
      });
      var d;
      for (d = 0; d < n; d++) {
        if (strict[d] && score[d] > 0 && (!allowed || allowed[d])) res.hits.push({ id: d, score: score[d] });
      }
      res.exact = res.hits.length > 0;
      if (!res.exact) {
        for (d = 0; d < n; d++) {
          if (score[d] > 0 && (!allowed || allowed[d])) res.hits.push({ id: d, score: score[d] });
        }
      }
      res.hits.sort(byScore);
      return res;
    }

    /** The document entry of an id: {id, url, title, date, kind, kindLabel, domains, summary, text}. */
    async function doc(id) {
      var m = await manifest();
      var per = m.docs.per_shard;
      var arr = await get(m.docs.path + Math.floor(id / per) + '.json', 'json');
      var e = arr[id % per];
      var kind = m.kinds[e[3]] || { value: '', label: '' };
      return {
        id: id,
        url: e[0],
        title: e[1],
        date: e[2],
        kind: kind.value,
        kindLabel: kind.label,
        domains: e[4].map(function (i) {
          return m.domains[i] ? m.domains[i].label : '';
        }),
        summary: e[5],
        text: e[6]
      };
    }

    /**
     * Page `p` (0-based) of `res`: loads its documents, applies the phrase bonus
     * (score × (4 + 2·title + text)), sorts the page again, and returns
     * [{id, score, doc}]. Pages must be requested in order.
     */
    async function page(res, p) {
      var size = (await manifest()).page_size;
      var slice = res.hits.slice(p * size, p * size + size);
      var docs = await Promise.all(slice.map(function (h) {
        return doc(h.id);
      }));
      var out = slice.map(function (h, i) {
        var d = docs[i];
        var factor = 4 + (containsPhrase(normalize(d.title), res.phrase) ? 2 : 0) +
          (containsPhrase(normalize(d.text), res.phrase) ? 1 : 0);
        return { id: h.id, score: h.score * factor, doc: d };
      });
      out.sort(byScore);
      out.forEach(function (h, i) {
        res.hits[p * size + i] = { id: h.id, score: h.score };
      });
      res.ranked = Math.max(res.ranked, p * size + out.length);
      return out;
    }

    return { manifest: manifest, search: search, page: page, doc: doc };
  }

  // ---------------------------------------------------------------------------------------
  // Excerpts and highlighting

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /** The strings to highlight: whole runs, words and numbers, plus the bigrams of CJK runs. */
  function highlightPieces(groups) {
    var pieces = [];
    groups.forEach(function (g) {
      if (pieces.indexOf(g.text) < 0) pieces.push(g.text);
      if (g.cls === CJK) {
        g.terms.forEach(function (t) {
          if (pieces.indexOf(t) < 0) pieces.push(t);
        });
      }
    });
    return pieces;
  }

  /**
   * Marks the hits of `pieces` in `text`: returns {chars, hit: Uint8Array per character,
   * found: number of distinct pieces found}. Matching is on folded, lowercased text; words
   * and numbers must not sit inside a longer word or number.
   */
  function findHits(text, pieces) {
    var chars = Array.from(text);
    var norm = '';
    var at = [];
    var cls = [];
    chars.forEach(function (ch, i) {
      var cp = fold(ch.codePointAt(0));
      var k = classOf(cp);
      var s = k === LETTER ? lower(cp) : String.fromCodePoint(cp);
      for (var j = 0; j < s.length; j++) {
        at.push(i);
        cls.push(k);
      }
      norm += s;
    });
    at.push(chars.length);
    var hit = new Uint8Array(chars.length);
    var found = 0;
    pieces.forEach(function (p) {
      if (!p) return;
      var kf = classOf(p.codePointAt(0));
      var kl = classOf(Array.from(p).pop().codePointAt(0));
      var any = false;
      var from = 0;
      for (;;) {
        var i = norm.indexOf(p, from);
        if (i < 0) break;
        var e = i + p.length;
        var ok = (!wordLike(kf) || i === 0 || cls[i - 1] !== kf) && (!wordLike(kl) || e >= norm.length || cls[e] !== kl);
        if (ok) {
          any = true;
          for (var c = at[i]; c < at[e]; c++) hit[c] = 1;
        }
        from = i + 1;
      }
      if (any) found++;
    });
    return { chars: chars, hit: hit, found: found };
  }

  function markRange(chars, hit, start, end) {
    var html = '';
    var open = false;
    for (var i = start; i < end; i++) {
      if (hit[i] && !open) {
        html += '<mark>';
        open = true;
      } else if (!hit[i] && open) {
        html += '</mark>';
        open = false;
      }
      html += escapeHtml(chars[i]);
    }
    return open ? html + '</mark>' : html;
  }

  /** `text` as HTML with every hit in <mark>. */
  function highlight(text, groups) {
    var h = findHits(text, highlightPieces(groups));
    return markRange(h.chars, h.hit, 0, h.chars.length);
  }

  /**
   * An excerpt of about `width` characters around the densest hits, as HTML with <mark>;
   * null when the text has no hit.
   */
  function excerpt(text, groups, width) {
    width = width || 120;
    var h = findHits(text, highlightPieces(groups));
    var chars = h.chars;
    var n = chars.length;
    var best = -1;
    var bestCount = -1;
    for (var i = 0; i < n; i++) {
      if (!h.hit[i] || (i > 0 && h.hit[i - 1])) continue;
      var start = Math.max(0, i - 20);
      var count = 0;
      for (var j = start; j < Math.min(n, start + width); j++) count += h.hit[j];
      if (count > bestCount) {
        best = start;
        bestCount = count;
      }
    }
    if (best < 0) return null;
    var end = Math.min(n, best + width);
    if (end === n) best = Math.max(0, n - width);
    return (best > 0 ? '…' : '') + markRange(chars, h.hit, best, end) + (end < n ? '…' : '');
  }

  /** The start of a text as an excerpt (no hits). */
  function lead(text, width) {
    var chars = Array.from(text);
    return escapeHtml(chars.slice(0, width).join('')) + (chars.length > width ? '…' : '');
  }

  // ---------------------------------------------------------------------------------------
  // Page state in the URL

  /** {q, kind, domain, year} from a location.search string. */
  function readState(search) {
    var p = new URLSearchParams(search);
    return { q: p.get('q') || '', kind: p.get('kind') || '', domain: p.get('domain') || '', year: p.get('year') || '' };
  }

  /** The query string of a state (empty fields left out), e.g. "?q=%E5%85%BB%E8%80%81&year=2021". */
  function writeState(state) {
    var p = new URLSearchParams();
    ['q', 'kind', 'domain', 'year'].forEach(function (k) {
      if (state[k]) p.set(k, state[k]);
    });
    var s = p.toString();
    return s ? '?' + s : '';
  }

  // ---------------------------------------------------------------------------------------
  // The search page

  function initPage(doc, win) {
    var app = doc.getElementById('search-app');
    if (!app) return;
    var form = doc.getElementById('search-form');
    var input = doc.getElementById('search-q');
    var selects = {
      kind: doc.getElementById('search-kind'),
      domain: doc.getElementById('search-domain'),
      year: doc.getElementById('search-year')
    };
    var output = doc.getElementById('search-output');
    var status = doc.getElementById('search-status');
    var list = doc.getElementById('search-results');
    var more = doc.getElementById('search-more');
    var metaBase = doc.querySelector('meta[name="portal-base"]');
    var base = metaBase ? metaBase.getAttribute('content') : '/';
    if (base.charAt(base.length - 1) !== '/') base += '/';
    var indexUrl = base + 'search/';

    var engine = createEngine(function (path, type) {
      return win.fetch(indexUrl + path, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error(r.status + ' ' + path);
        return type === 'json' ? r.json() : r.arrayBuffer();
      });
    });

    var seq = 0;
    var current = null;
    var shownPages = 0;
    var timer = null;

    function state() {
      return {
        q: input.value.trim(),
        kind: selects.kind ? selects.kind.value : '',
        domain: selects.domain ? selects.domain.value : '',
        year: selects.year ? selects.year.value : ''
      };
    }

    function setStatus(text) {
      status.textContent = text;
    }

    /** Adds the manifest's facets to selects the template left empty; keeps the chosen value. */
    function fillSelects(m, want) {
      [['kind', m.kinds], ['domain', m.domains], ['year', m.years]].forEach(function (pair) {
        var sel = selects[pair[0]];
        if (!sel) return;
        if (sel.options.length <= 1) {
          pair[1].forEach(function (f) {
            var o = doc.createElement('option');
            o.value = f.value;
            o.textContent = f.label;
            sel.appendChild(o);
          });
        }
        if (want[pair[0]]) sel.value = want[pair[0]];
      });
    }

    function renderHit(h, groups) {
      var d = h.doc;
      var li = doc.createElement('li');
      li.className = 'search-result';
      var title = doc.createElement('h2');
      title.className = 'search-result-title';
      var a = doc.createElement('a');
      a.href = base + d.url;
      a.textContent = d.title;
      title.appendChild(a);
      li.appendChild(title);
      var meta = doc.createElement('p');
      meta.className = 'search-result-meta';
      var parts = [];
      if (d.kindLabel) parts.push('<span class="search-result-kind">' + escapeHtml(d.kindLabel) + '</span>');
      if (d.date) parts.push('<time datetime="' + escapeHtml(d.date) + '">' + escapeHtml(d.date) + '</time>');
      if (d.domains.length) parts.push('<span class="search-result-domains">' + escapeHtml(d.domains.join('、')) + '</span>');
      meta.innerHTML = parts.join(' · ');
      li.appendChild(meta);
      var html = excerpt(d.text, groups) || (d.summary && excerpt(d.summary, groups)) ||
        (d.summary ? lead(d.summary, 120) : lead(d.text, 120));
      if (html) {
        var p = doc.createElement('p');
        p.className = 'search-result-excerpt';
        p.innerHTML = html;
        li.appendChild(p);
      }
      return li;
    }

    async function showPage(res, my, focusFirst) {
      var size = (await engine.manifest()).page_size;
      var items = await engine.page(res, shownPages);
      if (my !== seq) return;
      var first = null;
      items.forEach(function (h) {
        var li = renderHit(h, res.groups);
        if (!first) first = li.querySelector('a');
        list.appendChild(li);
      });
      shownPages++;
      more.hidden = shownPages * size >= res.hits.length;
      if (focusFirst && first) first.focus();
    }

    async function run() {
      var st = state();
      var my = ++seq;
      var url = win.location.pathname + writeState(st) + win.location.hash;
      if (url !== win.location.pathname + win.location.search + win.location.hash) {
        win.history.replaceState(null, '', url);
      }
      var filtered = st.kind || st.domain || st.year;
      if (!st.q && !filtered) {
        current = null;
        list.textContent = '';
        more.hidden = true;
        setStatus('请输入关键词。');
        return;
      }
      output.setAttribute('aria-busy', 'true');
      try {
        var res = await engine.search(st.q, st);
        if (my !== seq) return;
        current = res;
        shownPages = 0;
        list.textContent = '';
        var n = res.hits.length;
        if (!n) {
          setStatus(st.q ? '没有找到与“' + st.q + '”相关的结果。' : '没有符合筛选条件的结果。');
          more.hidden = true;
        } else if (!res.exact) {
          setStatus('没有同时包含全部关键词的结果；找到 ' + n + ' 条包含部分关键词的结果。');
        } else {
          setStatus('找到 ' + n + ' 条结果');
        }
        if (n) await showPage(res, my, false);
      } catch (e) {
        if (my === seq) {
          setStatus('搜索索引加载失败，请稍后重试。');
          more.hidden = true;
        }
      } finally {
        if (my === seq) output.removeAttribute('aria-busy');
      }
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      run();
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    Object.keys(selects).forEach(function (k) {
      if (selects[k]) selects[k].addEventListener('change', run);
    });
    more.addEventListener('click', function () {
      if (!current || more.disabled) return;
      more.disabled = true;
      showPage(current, seq, true).catch(function () {
        setStatus('搜索索引加载失败，请稍后重试。');
      }).then(function () {
        more.disabled = false;
      });
    });

    var initial = readState(win.location.search);
    input.value = initial.q;
    engine.manifest().then(function (m) {
      fillSelects(m, initial);
      if (initial.q || initial.kind || initial.domain || initial.year) run();
    }, function () {
      setStatus('搜索索引加载失败，请稍后重试。');
    });
  }

  var api = {
    fold: fold,
    classOf: classOf,
    tokenize: tokenize,
    parseQuery: parseQuery,
    queryTerms: queryTerms,
    normalize: normalize,
    containsPhrase: containsPhrase,
    termHash: termHash,
    shardOf: shardOf,
    parseTermShard: parseTermShard,
    decodePostings: decodePostings,
    decodeIds: decodeIds,
    createEngine: createEngine,
    escapeHtml: escapeHtml,
    highlight: highlight,
    excerpt: excerpt,
    readState: readState,
    writeState: writeState,
    initPage: initPage
  };

  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  } else {
    root.PortalSearch = api;
  }
  if (typeof document !== 'undefined' && typeof window !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () {
        initPage(document, window);
      });
    } else {
      initPage(document, window);
    }
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
