/*
 * portal site search: the browser side of the index written by src/search (docs/search.md).
 *
 * Plain ES2017, no dependencies, no build step, no external requests. Every file comes from
 * <base>search/, where <base> is <meta name="portal-base" content="…"> (so the site works under
 * any sub-path). The query logic (tokenizing, folding, synonyms, matching, integer scoring, ranking) is the
 * twin of src/search/{tokenize,rank}.rs: tests/search_js.rs checks that both give the same
 * hits, in the same order, with the same scores.
 *
 * In a browser the script wires up the search page (the element #search-app) and exposes its
 * functions as globalThis.PortalSearch; under CommonJS it exports them instead.
 */
(function (root) {
  'use strict';

  var FORMAT_VERSION = 3;
  var SEP = 0;
  var CJK = 1;
  var LETTER = 2;
  var DIGIT = 3;
  var ALNUM = 4;
  var NF = 5;
  var PARTIAL = 5;
  var UNITS = '年月日号元万亿岁期批届%';

  // ---------------------------------------------------------------------------------------
  // Tokenizing (mirror of src/search/tokenize.rs)

  /** The 繁→简 table (code point → code point), once fold.txt is loaded. */
  var t2s = new Map();

  /** Installs the folding table: the text of fold.txt (pairs of characters, one pair a line). */
  function setFoldTable(text) {
    text.split('\n').forEach(function (line) {
      var cs = Array.from(line);
      if (cs.length >= 2) t2s.set(cs[0].codePointAt(0), cs[1].codePointAt(0));
    });
  }

  /** Full-width ASCII → ASCII, ideographic space → space, traditional → simplified. */
  function fold(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0;
    if (cp === 0x3000) return 0x20;
    if (cp >= 0x4e00 && cp <= 0x9fff) {
      var s = t2s.get(cp);
      if (s !== undefined) return s;
    }
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

  function runClass(k) {
    return k === CJK ? CJK : k === LETTER || k === DIGIT ? ALNUM : SEP;
  }

  /** The lowercase of a folded letter or digit. */
  function lower(cp) {
    if (cp >= 0x41 && cp <= 0x5a) return String.fromCharCode(cp + 32);
    if (cp < 0x80) return String.fromCharCode(cp);
    return String.fromCodePoint(cp).toLowerCase();
  }

  /**
   * Maximal runs of CJK characters or of letters and digits (a '.' between two digits belongs
   * to the run): [{cls, chars: [original code point strings], start, end}] (UTF-16 offsets).
   */
  function runs(text) {
    var chars = Array.from(text);
    var out = [];
    var cur = null;
    var i = 0;
    var prevDigit = false;
    for (var j = 0; j < chars.length; j++) {
      var ch = chars[j];
      var f = fold(ch.codePointAt(0));
      var k = runClass(classOf(f));
      if (k === SEP && f === 0x2e && prevDigit && cur && cur.cls === ALNUM && j + 1 < chars.length &&
          classOf(fold(chars[j + 1].codePointAt(0))) === DIGIT) k = ALNUM;
      prevDigit = classOf(f) === DIGIT;
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

  /** The folded (and, for letters and digits, lowercased) text of a run; .numeric for numbers. */
  function runText(run) {
    var s = '';
    var numeric = true;
    for (var j = 0; j < run.chars.length; j++) {
      var cp = fold(run.chars[j].codePointAt(0));
      if (run.cls === ALNUM) {
        numeric = numeric && (cp === 0x2e || classOf(cp) === DIGIT);
        s += lower(cp);
      } else {
        s += String.fromCodePoint(cp);
      }
    }
    return { text: s, numeric: run.cls === ALNUM && numeric };
  }

  /** The folded unit character right after UTF-16 offset `end` of `text`, or ''. */
  function unitAfter(text, end) {
    var cp = text.codePointAt(end);
    if (cp === undefined) return '';
    var u = String.fromCodePoint(fold(cp));
    return UNITS.indexOf(u) >= 0 ? u : '';
  }

  /** Tokens in the order of src/search/tokenize.rs: [{text, kind}]. */
  function tokenize(text) {
    var out = [];
    runs(text).forEach(function (r) {
      if (r.cls === CJK) {
        var prev = null;
        for (var j = 0; j < r.chars.length; j++) {
          var c = String.fromCodePoint(fold(r.chars[j].codePointAt(0)));
          if (prev !== null) out.push({ text: prev + c, kind: 'bigram' });
          out.push({ text: c, kind: 'unigram' });
          prev = c;
        }
      } else {
        var t = runText(r);
        if (t.numeric) {
          out.push({ text: t.text, kind: 'number' });
          var u = unitAfter(text, r.end);
          if (u) out.push({ text: t.text + u, kind: 'number' });
        } else {
          out.push({ text: t.text, kind: 'word' });
        }
      }
    });
    return out;
  }

  function cjkTerms(chars) {
    if (chars.length === 1) return [chars[0]];
    var terms = [];
    for (var j = 1; j < chars.length; j++) {
      var t = chars[j - 1] + chars[j];
      if (terms.indexOf(t) < 0) terms.push(t);
    }
    return terms;
  }

  /**
   * Query groups: each CJK run, word, number or measure, with its alternatives
   * [{phrase, terms}] (its own text, then synonym expansions) and `need`, the number of its
   * own terms a partial match must hold (⌈2k/3⌉ of k bigrams).
   */
  function parseQuery(query, synonyms) {
    synonyms = synonyms || [];
    var groups = [];
    var skipAt = -1;
    runs(query).forEach(function (r) {
      var t = runText(r);
      if (r.cls === ALNUM) {
        var phrase = t.text;
        if (t.numeric) {
          var u = unitAfter(query, r.end);
          if (u) {
            phrase += u;
            var next = query.codePointAt(r.end + 1);
            if (next === undefined || classOf(fold(next)) !== CJK) skipAt = r.end;
          }
        }
        groups.push({ alts: [{ phrase: phrase, terms: [phrase] }], need: 1, cls: ALNUM });
        return;
      }
      if (r.start === skipAt) return;
      var chars = Array.from(t.text);
      var own = { phrase: t.text, terms: cjkTerms(chars) };
      var k = own.terms.length;
      var alts = [own];
      synonyms.forEach(function (g) {
        g.forEach(function (m) {
          if (Array.from(m).length < 2 || own.phrase.indexOf(m) < 0) return;
          g.forEach(function (o) {
            if (o === m || m.indexOf(o) >= 0) return;
            var p = own.phrase.split(m).join(o);
            if (alts.length <= 8 && !alts.some(function (a) { return a.phrase === p; })) {
              alts.push({ phrase: p, terms: cjkTerms(Array.from(p)) });
            }
          });
        });
      });
      groups.push({ alts: alts, need: k > 1 ? Math.ceil((2 * k) / 3) : 1, cls: CJK });
    });
    return groups;
  }

  /** Distinct terms of every alternative, in order of first appearance. */
  function queryTerms(groups) {
    var out = [];
    groups.forEach(function (g) {
      g.alts.forEach(function (a) {
        a.terms.forEach(function (t) {
          if (out.indexOf(t) < 0) out.push(t);
        });
      });
    });
    return out;
  }

  /** Folded, lowercased runs joined by one space where separators were (src/search normalize). */
  function normalize(text) {
    var out = '';
    var lastEnd = 0;
    runs(text).forEach(function (r) {
      if (out && r.start > lastEnd) out += ' ';
      lastEnd = r.end;
      for (var j = 0; j < r.chars.length; j++) out += lower(fold(r.chars[j].codePointAt(0)));
    });
    return out;
  }

  function wordLikeCp(cp) {
    var k = classOf(cp);
    return k === LETTER || k === DIGIT || cp === 0x2e;
  }

  /** Whether normalized `hay` contains normalized `needle`, not inside a longer word or number. */
  function containsPhrase(hay, needle) {
    if (!needle) return false;
    var first = needle.codePointAt(0);
    var last = Array.from(needle).pop().codePointAt(0);
    var step = first > 0xffff ? 2 : 1;
    var from = 0;
    for (;;) {
      var at = hay.indexOf(needle, from);
      if (at < 0) return false;
      var end = at + needle.length;
      var beforeOk = !wordLikeCp(first) || at === 0 || !wordLikeCp(hay.charCodeAt(at - 1));
      var afterOk = !wordLikeCp(last) || end >= hay.length || !wordLikeCp(hay.charCodeAt(end));
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

  /**
   * The postings of a term: {ids: Uint32Array, w: Uint16Array} with w = weight << 5 | bit of the
   * first field (the file stores varint(id delta << 3 | first field), u8 weight).
   */
  function decodePostings(shard, entry) {
    var ids = new Uint32Array(entry.df);
    var w = new Uint16Array(entry.df);
    var bytes = shard.bytes;
    var pos = entry.start;
    var prev = 0;
    for (var i = 0; i < entry.df; i++) {
      var r = varint(bytes, pos);
      var delta = Math.floor(r[0] / 8);
      prev = i === 0 ? delta : prev + delta;
      ids[i] = prev;
      w[i] = (bytes[r[1]] << NF) | (1 << (r[0] % 8));
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

  /**
   * Exact hits: documents of a kind the query names first, then tier, score descending, id;
   * partial hits have tier 5. `lifted` is a per-document 0/1 array or null.
   */
  function rankOrder(lifted) {
    return function (a, b) {
      return (lifted ? lifted[b.id] - lifted[a.id] : 0) || a.tier - b.tier || b.score - a.score || a.id - b.id;
    };
  }

  /** The first field (0 title … 4 keywords) of a posting payload. */
  function lowestField(p) {
    var m = p & 31;
    for (var f = 0; f < NF; f++) if (m & (1 << f)) return f;
    return NF;
  }

  /** Whether the fold bitmap of the manifest marks a character of `text`. */
  function hasFoldable(m, text) {
    if (!m.fold) return false;
    var bits = m._foldBits;
    if (!bits) {
      var bin = typeof atob === 'function' ? atob(m.fold.bits) : Buffer.from(m.fold.bits, 'base64').toString('binary');
      bits = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bits[i] = bin.charCodeAt(i);
      m._foldBits = bits;
    }
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      if (cp >= m.fold.first && cp <= m.fold.last) {
        var k = cp - m.fold.first;
        if (bits[k >> 3] & (1 << (k & 7))) return true;
      }
    }
    return false;
  }

  /**
   * `load(path, type)` returns a promise of the file `path` (relative to the index directory)
   * as an ArrayBuffer (type "bytes"), parsed JSON ("json") or text ("text").
   */
  /** Whether matching `alt` by its terms may differ from holding its phrase (verify.rs). */
  function needsCheck(alt) {
    return alt.terms.length !== 1 || alt.terms[0] !== alt.phrase;
  }

  /** The normalized texts of a document entry a candidate is checked against. */
  function docTexts(d) {
    return [d.title, d.summary, d.text, d.kindLabel].concat(d.domains, d.keywords || []).map(normalize);
  }

  /** Whether document `id` (texts `texts`) holds every group of the query. */
  function holdsQuery(groups, free, id, texts) {
    return groups.every(function (g, gi) {
      return free[gi][id] || g.alts.some(function (a) {
        return needsCheck(a) && texts.some(function (t) {
          return containsPhrase(t, a.phrase);
        });
      });
    });
  }

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
    /** Loads the folding table when `text` has a traditional character. */
    function foldFor(m, text) {
      if (!hasFoldable(m, text) || t2s.size) return Promise.resolve();
      return get(m.fold.file, 'bytes').then(function (buf) {
        if (!t2s.size) setFoldTable(decoder.decode(new Uint8Array(buf)));
      });
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
    /** The ids of a facet value: facets/<p><i>.bin, p = k (kinds), d (domains) or y (years). */
    function facetIds(facets, value, p) {
      var i = facets.findIndex(function (x) {
        return x.value === value;
      });
      return i >= 0 ? get('facets/' + p + i + '.bin', 'bytes').then(decodeIds) : Promise.resolve(new Uint32Array(0));
    }
    /** Allowed-document mask for the filters, or null without filters. */
    function mask(m, filters) {
      var lists = [];
      if (filters.kind) lists.push(facetIds(m.kinds, filters.kind, 'k'));
      if (filters.domain) lists.push(facetIds(m.domains, filters.domain, 'd'));
      if (filters.year) lists.push(facetIds(m.years, filters.year, 'y'));
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
    var kindIndex = null;
    /** Each document's {kind, year, domains} from facets/docs.bin (for per-filter counts). */
    function docFacets(m) {
      if (!kindIndex) {
        kindIndex = get(m.doc_facets, 'bytes').then(function (buf) {
          var bytes = new Uint8Array(buf);
          var r = varint(bytes, 0);
          var n = r[0];
          var pos = r[1];
          var out = { kind: new Uint16Array(n), year: new Uint16Array(n), domains: new Array(n) };
          for (var i = 0; i < n; i++) {
            r = varint(bytes, pos);
            out.kind[i] = r[0];
            r = varint(bytes, r[1]);
            out.year[i] = r[0];
            r = varint(bytes, r[1]);
            var nd = r[0];
            pos = r[1];
            var ds = [];
            for (var j = 0; j < nd; j++) {
              r = varint(bytes, pos);
              ds.push(r[0]);
              pos = r[1];
            }
            out.domains[i] = ds;
          }
          return out;
        });
        kindIndex.catch(function () {
          kindIndex = null;
        });
      }
      return kindIndex;
    }

    /**
     * Runs a query: {hits: [{id, score, tier}] (exact hits first), exact (their number),
     * expanded (synonym phrases used), groups, unfiltered (hits without the filters: [{id}]),
     * boost (per kind: named by the query)}.
     */
    async function search(query, filters) {
      filters = filters || {};
      var m = await manifest();
      await foldFor(m, query);
      var groups = parseQuery(query, m.synonyms || []);
      var terms = queryTerms(groups);
      var loaded = await Promise.all([mask(m, filters)].concat(terms.map(function (t) {
        return postings(m, t);
      })));
      var allowed = loaded[0];
      var lists = loaded.slice(1);
      var n = m.doc_count;
      var res = { hits: [], exact: 0, expanded: [], query: query, groups: groups, unfiltered: [] };
      if (!groups.length) {
        if (allowed) {
          for (var a = 0; a < n; a++) if (allowed[a]) res.hits.push({ id: a, score: 0, tier: 0 });
        }
        res.exact = res.hits.length;
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
        for (var i = 0; i < ids.length; i++) score[ids[i]] += p.idf * (w[i] >>> NF);
      });
      var tier = new Uint8Array(n);
      var part = new Uint8Array(n).fill(1);
      var cnt = new Uint16Array(n);
      var own = new Uint16Array(n);
      var low = new Uint8Array(n);
      var best = new Uint8Array(n);
      var free = groups.map(function () { return new Uint8Array(n); });
      var d;
      groups.forEach(function (g, gi) {
        best.fill(255);
        g.alts.forEach(function (alt, ai) {
          cnt.fill(0);
          low.fill(0);
          alt.terms.forEach(function (t) {
            var p = byTerm.get(t);
            if (!p) return;
            var ids = p.list.ids;
            var w = p.list.w;
            for (var i = 0; i < ids.length; i++) {
              var x = ids[i];
              cnt[x]++;
              var f = lowestField(w[i]);
              if (f > low[x]) low[x] = f;
            }
          });
          var k = alt.terms.length;
          var fr = needsCheck(alt) ? null : free[gi];
          for (var y = 0; y < n; y++) {
            if (cnt[y] !== k) continue;
            if (low[y] < best[y]) best[y] = low[y];
            if (fr) fr[y] = 1;
          }
          if (ai === 0) own.set(cnt);
          if (ai > 0) res.expanded.push(alt.phrase);
        });
        for (var z = 0; z < n; z++) {
          if (best[z] > tier[z]) tier[z] = best[z];
          if (!(best[z] !== 255 || own[z] >= g.need)) part[z] = 0;
        }
      });
      var boost = m.kinds.map(function (k) {
        var label = normalize(k.label || '');
        return !!label && groups.some(function (g) {
          return g.alts.some(function (a) {
            return a.phrase.indexOf(label) >= 0;
          });
        });
      });
      var exact = [];
      var partial = [];
      var anyPart = false;
      for (d = 0; d < n; d++) {
        if (!score[d]) continue;
        var isExact = tier[d] !== 255;
        if (isExact || part[d]) {
          anyPart = true;
          res.unfiltered.push(d);
        }
        if (allowed && !allowed[d]) continue;
        if (isExact) exact.push({ id: d, score: score[d], tier: tier[d] });
        else if (part[d]) partial.push({ id: d, score: score[d], tier: PARTIAL });
      }
      if (!exact.length && !partial.length) {
        for (d = 0; d < n; d++) {
          if (!score[d]) continue;
          if (!anyPart) res.unfiltered.push(d);
          if (!allowed || allowed[d]) partial.push({ id: d, score: score[d], tier: PARTIAL });
        }
      }
      var lifted = null;
      var named = m.kinds.filter(function (k, i) {
        return boost[i];
      });
      if (named.length) {
        lifted = new Uint8Array(n);
        var idLists = await Promise.all(named.map(function (k) {
          return facetIds(m.kinds, k.value, 'k');
        }));
        idLists.forEach(function (ids) {
          for (var i = 0; i < ids.length; i++) lifted[ids[i]] = 1;
        });
      }
      var order = rankOrder(lifted);
      exact.sort(order);
      partial.sort(order);
      res.boost = boost;
      res.order = order;
      res.free = free;
      res.cand = exact;
      res.rest = partial;
      res.checked = 0;
      res.good = [];
      res.bad = [];
      res.shown = 0;
      settle(res);
      return res;
    }

    /** Recomputes res.hits (checked exact hits, unchecked candidates, partial hits) and counts. */
    function settle(res) {
      var rest = res.rest.concat(res.bad);
      if (res.bad.length) rest.sort(res.order);
      var left = res.cand.slice(res.checked);
      res.hits = res.good.concat(left, rest);
      // Candidates left that need no check are exact already; the others are unchecked.
      res.unchecked = left.filter(function (h) { return needsDoc(res, h.id); }).length;
      res.exact = res.good.length + left.length - res.unchecked;
    }

    /** Whether candidate `id` must be checked against its document entry. */
    function needsDoc(res, id) {
      return res.free.some(function (f) { return !f[id]; });
    }

    /**
     * Checks exact candidates (verify.rs): in rounds of the next min(want − good, limit −
     * loaded) candidates, until `want` hold the query, all are checked or `limit` documents
     * were loaded. A candidate matched only through a phrase of two or more bigrams is checked
     * against its document entry; one that fails becomes a partial hit.
     */
    async function verify(res, want, limit) {
      if (!res.cand) return;
      var m = await manifest();
      var loaded = 0;
      while (res.good.length < want && res.checked < res.cand.length && loaded < limit) {
        var take = Math.min(want - res.good.length, limit - loaded);
        var batch = res.cand.slice(res.checked, res.checked + take);
        var needs = batch.map(function (h) {
          return needsDoc(res, h.id);
        });
        var docs = await Promise.all(batch.map(function (h, i) {
          return needs[i] ? doc(h.id) : null;
        }));
        var texts = docs.filter(Boolean).map(function (x) {
          return [x.title, x.summary, x.text, x.kindLabel].concat(x.domains, x.keywords).join('\n');
        }).join('');
        await foldFor(m, texts);
        batch.forEach(function (h, i) {
          var ok = true;
          if (needs[i]) {
            loaded++;
            ok = holdsQuery(res.groups, res.free, h.id, docTexts(docs[i]));
          }
          if (ok) res.good.push(h);
          else res.bad.push({ id: h.id, score: h.score, tier: PARTIAL });
        });
        res.checked += batch.length;
      }
      settle(res);
    }

    /** Per-filter counts of `res.unfiltered`: {kinds: [n per manifest kind], domains: [...], years: [...]}. */
    async function facetCounts(res) {
      var m = await manifest();
      var f = await docFacets(m);
      var out = { kinds: m.kinds.map(function () { return 0; }), domains: m.domains.map(function () { return 0; }),
        years: m.years.map(function () { return 0; }) };
      res.unfiltered.forEach(function (id) {
        out.kinds[f.kind[id]]++;
        if (f.year[id]) out.years[f.year[id] - 1]++;
        f.domains[id].forEach(function (x) {
          out.domains[x]++;
        });
      });
      return out;
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
        text: e[6],
        keywords: e[7] || []
      };
    }

    /** The entries of the hits `slice` (`exact[i]`: shown as exact), documents loaded. */
    async function items(slice, exact) {
      var m = await manifest();
      var docs = await Promise.all(slice.map(function (h) {
        return doc(h.id);
      }));
      var text = docs.map(function (x) { return x.title + x.text + x.summary; }).join('');
      await foldFor(m, text);
      return slice.map(function (h, i) {
        return { id: h.id, score: h.score, tier: h.tier, exact: exact[i], doc: docs[i] };
      });
    }

    /**
     * Page `p` (0-based) of `res` once every candidate it needs is checked (no limit):
     * [{id, score, tier, exact, doc}]. Paging through all pages gives the order of Index::search.
     */
    async function page(res, p) {
      var size = (await manifest()).page_size;
      await verify(res, (p + 1) * size, Infinity);
      var slice = res.hits.slice(p * size, p * size + size);
      return items(slice, slice.map(function (h, i) {
        return p * size + i < res.exact;
      }));
    }

    /**
     * The next results to show (the search page): checks candidates for one page, loading at
     * most two pages of documents (Ranked::next_page in Rust). Shows the checked exact hits not
     * yet shown; when they run out, fills the page with partial hits: while candidates remain
     * unchecked, those that failed the check (in the order checked), then the partial hits in
     * rank order (those shown already skipped). Nothing unchecked is ever shown.
     */
    async function next(res) {
      var size = (await manifest()).page_size;
      var slice;
      var exact;
      if (!res.cand) {
        var start = res.shown || 0;
        slice = res.hits.slice(start, start + size);
        res.shown = start + slice.length;
        return items(slice, slice.map(function () { return true; }));
      }
      res.shownGood = res.shownGood || 0;
      res.shownOther = res.shownOther || [];
      await verify(res, res.shownGood + size, 2 * size);
      var good = res.good.slice(res.shownGood, res.shownGood + size);
      res.shownGood += good.length;
      var other = [];
      if (good.length < size && res.shownGood === res.good.length) {
        var seen = new Set(res.shownOther);
        var pool = res.checked < res.cand.length ? res.bad : res.hits.slice(res.good.length);
        for (var i = 0; i < pool.length && good.length + other.length < size; i++) {
          if (!seen.has(pool[i].id)) other.push(pool[i]);
        }
        other.forEach(function (h) { res.shownOther.push(h.id); });
      }
      res.shown = res.shownGood + res.shownOther.length;
      slice = good.concat(other);
      exact = slice.map(function (h, j) { return j < good.length; });
      return items(slice, exact);
    }

    return { manifest: manifest, search: search, page: page, next: next, doc: doc, facetCounts: facetCounts };
  }

  // ---------------------------------------------------------------------------------------
  // Excerpts and highlighting

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /**
   * The strings to highlight: each alternative's whole phrase, and the bigrams of CJK phrases
   * (never a stray single character: a one-character query is its own phrase).
   */
  function highlightPieces(groups) {
    var pieces = [];
    groups.forEach(function (g) {
      g.alts.forEach(function (a) {
        if (pieces.indexOf(a.phrase) < 0) pieces.push(a.phrase);
        if (g.cls === CJK) {
          a.terms.forEach(function (t) {
            if (pieces.indexOf(t) < 0) pieces.push(t);
          });
        }
      });
    });
    return pieces;
  }

  /**
   * Marks the hits of `pieces` in `text`: returns {chars, hit: Uint8Array per character,
   * whole: Uint8Array (1 where a whole phrase starts), found}. Matching is on folded,
   * lowercased text; words and numbers must not sit inside a longer word or number.
   */
  function findHits(text, pieces, phrases) {
    var chars = Array.from(text);
    var norm = '';
    var at = [];
    chars.forEach(function (ch, i) {
      var cp = fold(ch.codePointAt(0));
      var k = classOf(cp);
      var s = k === LETTER ? lower(cp) : String.fromCodePoint(cp);
      for (var j = 0; j < s.length; j++) at.push(i);
      norm += s;
    });
    at.push(chars.length);
    var hit = new Uint8Array(chars.length);
    var whole = new Uint8Array(chars.length);
    var found = 0;
    pieces.forEach(function (p) {
      if (!p) return;
      var first = p.codePointAt(0);
      var last = Array.from(p).pop().codePointAt(0);
      var isPhrase = phrases && phrases.indexOf(p) >= 0;
      var any = false;
      var from = 0;
      for (;;) {
        var i = norm.indexOf(p, from);
        if (i < 0) break;
        var e = i + p.length;
        var ok = (!wordLikeCp(first) || i === 0 || !wordLikeCp(norm.charCodeAt(i - 1))) &&
          (!wordLikeCp(last) || e >= norm.length || !wordLikeCp(norm.charCodeAt(e)));
        if (ok) {
          any = true;
          for (var c = at[i]; c < at[e]; c++) hit[c] = 1;
          if (isPhrase) whole[at[i]] = 1;
        }
        from = i + 1;
      }
      if (any) found++;
    });
    return { chars: chars, hit: hit, whole: whole, found: found };
  }

  function isCjkChar(ch) {
    return ch !== undefined && classOf(fold(ch.codePointAt(0))) === CJK;
  }

  /** HTML of chars[start, end) with hits in <mark>; white space between CJK text (table cells) shows as ' · '. */
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
      if (/\s/.test(chars[i]) && isCjkChar(chars[i - 1])) {
        var j = i;
        while (j + 1 < end && /\s/.test(chars[j + 1])) j++;
        if (isCjkChar(chars[j + 1])) {
          html += ' · ';
          i = j;
          continue;
        }
      }
      html += escapeHtml(chars[i]);
    }
    return open ? html + '</mark>' : html;
  }

  function phrasesOf(groups) {
    var out = [];
    groups.forEach(function (g) {
      g.alts.forEach(function (a) {
        out.push(a.phrase);
      });
    });
    return out;
  }

  /** `text` as HTML with every hit in <mark>. */
  function highlight(text, groups) {
    var h = findHits(text, highlightPieces(groups), null);
    return markRange(h.chars, h.hit, 0, h.chars.length);
  }

  /**
   * An excerpt of about `width` characters around the best passage (one holding a whole
   * query phrase first, then the most marked characters), as HTML with <mark>; null when the
   * text has no hit.
   */
  function excerpt(text, groups, width) {
    width = width || 120;
    var h = findHits(text, highlightPieces(groups), phrasesOf(groups));
    var chars = h.chars;
    var n = chars.length;
    var best = -1;
    var bestCount = -1;
    for (var i = 0; i < n; i++) {
      if (!h.hit[i] || (i > 0 && h.hit[i - 1])) continue;
      var start = Math.max(0, i - 20);
      var count = 0;
      for (var j = start; j < Math.min(n, start + width); j++) count += h.hit[j] + 1000 * h.whole[j];
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
    var partialHeading = doc.getElementById('search-partial-heading');
    var partialList = doc.getElementById('search-partial');
    var m0 = null;
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
      li.className = h.exact ? 'search-result' : 'search-result search-result-partial';
      var title = doc.createElement('h2');
      title.className = 'search-result-title';
      var a = doc.createElement('a');
      a.href = base + d.url;
      a.innerHTML = highlight(d.title, groups);
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
      var items = await engine.next(res);
      if (my !== seq) return;
      var first = null;
      items.forEach(function (h) {
        var li = renderHit(h, res.groups);
        if (!first) first = li.querySelector('a');
        if (h.exact) {
          list.appendChild(li);
        } else {
          if (partialHeading) partialHeading.hidden = false;
          (partialList || list).appendChild(li);
        }
      });
      shownPages++;
      more.hidden = res.shown >= res.hits.length;
      if (res.q) setStatus(describe(res, res.st));
      if (focusFirst && first) first.focus();
    }

    /** Shows "label（n）" in each filter option for the current query (keeps the chosen value). */
    function showCounts(m, counts) {
      [['kind', m.kinds, counts && counts.kinds], ['domain', m.domains, counts && counts.domains],
        ['year', m.years, counts && counts.years]].forEach(function (t) {
        var sel = selects[t[0]];
        if (!sel) return;
        Array.prototype.forEach.call(sel.options, function (o) {
          if (!o.value) return;
          if (!o.hasAttribute('data-label')) o.setAttribute('data-label', o.textContent);
          var i = t[1].findIndex(function (f) {
            return f.value === o.value;
          });
          var label = o.getAttribute('data-label');
          o.textContent = t[2] && i >= 0 ? label + '（' + t[2][i] + '）' : label;
        });
      });
    }

    /** 类别“工作动态”、年份“2021年”: the filters set, for messages. */
    function filterNames(st) {
      var names = [];
      [['kind', '类别'], ['domain', '领域'], ['year', '年份']].forEach(function (p) {
        var sel = selects[p[0]];
        if (!st[p[0]] || !sel) return;
        var o = sel.options[sel.selectedIndex];
        var label = o ? o.getAttribute('data-label') || o.textContent : st[p[0]];
        names.push(p[1] + '“' + label + '”');
      });
      return names.join('、');
    }

    function clearResults() {
      list.textContent = '';
      if (partialList) partialList.textContent = '';
      if (partialHeading) partialHeading.hidden = true;
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
        clearResults();
        more.hidden = true;
        engine.manifest().then(function (m) {
          if (my === seq) showCounts(m, null);
        }, function () {});
        setStatus('请输入要查找的关键词，例如：低保、养老服务、2021年。也可以只选择类别、领域或年份，浏览其中的全部信息。');
        return;
      }
      output.setAttribute('aria-busy', 'true');
      try {
        var res = await engine.search(st.q, st);
        if (my !== seq) return;
        current = res;
        shownPages = 0;
        clearResults();
        res.q = st.q;
        res.st = st;
        var n = res.hits.length;
        setStatus(describe(res, st));
        if (!res.exact && !res.unchecked && partialHeading) partialHeading.hidden = !n;
        more.hidden = true;
        if (n) await showPage(res, my, false);
        if (st.q) {
          engine.facetCounts(res).then(function (counts) {
            if (my === seq) showCounts(m0, counts);
          }, function () {});
        } else {
          showCounts(m0, null);
        }
      } catch (e) {
        if (my === seq) {
          setStatus('搜索索引加载失败，请稍后重试。');
          more.hidden = true;
        }
      } finally {
        if (my === seq) output.removeAttribute('aria-busy');
      }
    }

    /**
     * The status line: the exact hits counted apart from the partial ones; while some
     * candidates are not yet checked (their words all occur but maybe not together), says so.
     */
    function describe(res, st) {
      var filtered = st.kind || st.domain || st.year;
      var n = res.hits.length;
      var unchecked = res.unchecked || 0;
      var partial = n - res.exact - unchecked;
      var text;
      if (unchecked) {
        text = (res.exact ? '找到 ' + res.exact + ' 条结果' : '已核对的 ' + res.checked + ' 条都不完整包含“' + st.q + '”') +
          '；另有 ' + unchecked + ' 条包含全部关键词，尚未核对是否连在一起（点“更多结果”继续核对）' +
          (partial ? '；另有 ' + partial + ' 条只包含部分关键词' : '') + '。';
      } else if (!n && filtered && res.unfiltered.length) {
        text = '在' + filterNames(st) + '中没有找到' + (st.q ? '与“' + st.q + '”相关的' : '') + '结果；不限筛选条件时有 ' +
          res.unfiltered.length + ' 条，可以改选“全部”。';
      } else if (!n) {
        text = st.q ? '没有找到与“' + st.q + '”相关的结果。请检查错别字，或换一个说法、减少关键词。' : '没有符合筛选条件的结果。';
      } else if (!st.q) {
        text = filterNames(st) + '共有 ' + n + ' 条信息，按日期从新到旧排列。';
      } else if (!res.exact) {
        text = '没有完整包含“' + st.q + '”的结果；找到 ' + partial + ' 条只包含部分关键词的结果。';
      } else {
        text = '找到 ' + res.exact + ' 条结果' + (partial ? '；另有 ' + partial + ' 条只包含部分关键词' : '') + '。';
      }
      if (res.expanded.length) text += '已包含：' + res.expanded.join('、') + '。';
      return text;
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
      m0 = m;
      fillSelects(m, initial);
      run();
    }, function () {
      setStatus('搜索索引加载失败，请稍后重试。');
    });
  }

  var api = {
    fold: fold,
    setFoldTable: setFoldTable,
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
