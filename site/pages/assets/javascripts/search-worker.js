/*
 * The portal's search worker, used by material's search box in place of its lunr worker
 * (site/overrides/main.html points the theme's `search` setting here).
 *
 * Why not lunr: lunr builds its whole index in the browser before the first answer, which took
 * 9–11 s at 5,000 institutions, and its word-based matching needs Chinese text cut into words
 * (jieba at build time, a guess from the index in the browser), so a whole name such as
 * 嵩岳技师学院 could miss. Here every search entry is plain text and a query matches by
 * substring: nothing to build, every Chinese word found wherever it stands, and a query over
 * 5,000 institutions takes milliseconds.
 *
 * Protocol (material's SearchMessage): {type: 0 SETUP, data: {config, docs}} → {type: 1 READY};
 * {type: 2 QUERY, data: "text"} → {type: 3 RESULT, data: {items: [[article, ...sections], ...]}}.
 * Titles and texts go back as HTML (material inserts them as such), so they are escaped here.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var SNIPPET = 90;            /* characters of text shown around the first match */
var SEPARATORS = /[\s\u3000，、；;,]+/;

var entries = [];            /* {location, page, title, text, key} in index order */
var byLocation = new Map();

var ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'"};

function plainText(html) {
  return String(html || "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, function (e) { return ENTITIES[e]; })
    .replace(/&#(\d+);/g, function (_, n) { return String.fromCodePoint(+n); })
    .replace(/\u200b/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
  });
}

function setup(docs) {
  entries = [];
  byLocation = new Map();
  for (var i = 0; i < docs.length; i++) {
    var doc = docs[i];
    var entry = {
      location: doc.location,
      page: doc.location.split("#")[0],
      title: plainText(doc.title),
      text: plainText(doc.text)
    };
    entry.key = (entry.title + "\n" + entry.text).toLowerCase();
    entry.titleKey = entry.title.toLowerCase();
    entries.push(entry);
    byLocation.set(entry.location, entry);
  }
}

/* Search terms: the query split at spaces and list punctuation; every term must match. */
function terms(query) {
  return String(query || "").toLowerCase().split(SEPARATORS).filter(function (t) { return t.length > 0; });
}

function score(entry, words) {
  var total = 0;
  for (var i = 0; i < words.length; i++) {
    var word = words[i];
    if (entry.key.indexOf(word) === -1)
      return 0;
    var inTitle = entry.titleKey.indexOf(word);
    if (inTitle === 0 && entry.titleKey.length === word.length)
      total += 40;                               /* the title is the query: 车工 → 车工 */
    else if (inTitle !== -1)
      total += 20 + (inTitle === 0 ? 5 : 0) + 10 * word.length / entry.titleKey.length;
    else
      total += 1;
  }
  if (entry.location === entry.page)
    total += 0.5;                                /* a page before its own sections */
  return total;
}

/* The text around the first match, with every match marked. */
function highlight(text, words, clip) {
  var lower = text.toLowerCase();
  var start = 0, end = text.length;
  if (clip && text.length > SNIPPET) {
    var first = text.length;
    for (var i = 0; i < words.length; i++) {
      var at = lower.indexOf(words[i]);
      if (at !== -1 && at < first)
        first = at;
    }
    start = first === text.length ? 0 : Math.max(0, first - 20);
    end = Math.min(text.length, start + SNIPPET);
  }
  var marks = [];
  for (var w = 0; w < words.length; w++) {
    var from = start;
    for (;;) {
      var hit = lower.indexOf(words[w], from);
      if (hit === -1 || hit >= end)
        break;
      marks.push([hit, Math.min(end, hit + words[w].length)]);
      from = hit + words[w].length;
    }
  }
  marks.sort(function (a, b) { return a[0] - b[0]; });
  var html = start > 0 ? "…" : "";
  var position = start;
  for (var m = 0; m < marks.length; m++) {
    if (marks[m][0] < position)
      continue;                                  /* overlaps an earlier mark */
    html += escapeHtml(text.slice(position, marks[m][0])) +
      "<mark>" + escapeHtml(text.slice(marks[m][0], marks[m][1])) + "</mark>";
    position = marks[m][1];
  }
  html += escapeHtml(text.slice(position, end)) + (end < text.length ? "…" : "");
  return html;
}

function item(entry, words, value) {
  var matched = {};
  for (var i = 0; i < words.length; i++)
    matched[words[i]] = value > 0;
  return {
    location: entry.location,
    title: highlight(entry.title, words, false),
    text: highlight(entry.text, words, true),
    score: value,
    terms: matched
  };
}

function search(query) {
  var words = terms(query);
  if (!words.length)
    return {items: []};
  var groups = new Map();
  for (var i = 0; i < entries.length; i++) {
    var value = score(entries[i], words);
    if (value > 0) {
      var group = groups.get(entries[i].page);
      if (!group)
        groups.set(entries[i].page, group = {best: 0, items: []});
      group.items.push(item(entries[i], words, value));
      group.best = Math.max(group.best, value);
    }
  }
  var ordered = Array.from(groups.entries()).sort(function (a, b) { return b[1].best - a[1].best; });
  return {
    items: ordered.map(function (pair) {
      var page = pair[0], items = pair[1].items;
      items.sort(function (a, b) { return b.score - a.score; });
      /* material renders each group around its page entry, so the page is always there */
      if (!items.some(function (x) { return x.location === page; }) && byLocation.has(page)) {
        var article = item(byLocation.get(page), words, 0);
        article.terms = {};
        items.push(article);
      }
      return items;
    })
  };
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    setup(message.data.docs || []);
    postMessage({type: READY});
  } else if (message.type === QUERY) {
    postMessage({type: RESULT, data: search(message.data)});
  }
});
