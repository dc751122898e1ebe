// DOM helpers: build elements node by node, so data never becomes markup.

let seq = 0;

/** uid returns a document-unique id with the given prefix. */
export function uid(prefix) {
  seq += 1;
  return `${prefix}-${seq}`;
}

/**
 * h creates an element. attrs: plain attributes, plus `class`, `on<event>`
 * handlers (functions), `dataset` (object), boolean attributes by true/false
 * and properties by a leading dot (".value").
 */
export function h(tag, attrs, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k.startsWith('.')) el[k.slice(1)] = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** append adds children (nodes, strings, numbers, nested arrays; null skipped). */
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** replace empties el and appends children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** debounce delays fn until ms have passed without another call. */
export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

/** errorBox renders an API or network error for people, as an alert. */
export function errorBox(err, what) {
  const details = [];
  if (err && Array.isArray(err.details)) {
    for (const d of err.details) details.push(h('li', null, d));
  }
  return h('div', { class: 'error', role: 'alert' },
    h('p', null, h('strong', null, what ? `Could not ${what}: ` : 'Error: '), err && err.message ? err.message : String(err)),
    details.length ? h('ul', null, details) : null);
}

/** humanise turns a field name ("imageBodyPart") into a label ("Image body part"). */
export function humanise(name) {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** localName returns the last segment of an IRI, for display when it has no label. */
export function localName(iri) {
  const s = String(iri || '');
  const m = s.match(/[#/]([^#/]+)\/?$/);
  return m ? decodeURIComponent(m[1]) : s;
}

/** isURL reports whether s is an absolute http(s) or mailto URL worth linking. */
export function isURL(s) {
  return typeof s === 'string' && /^(https?:|mailto:)/i.test(s);
}

/** num formats an integer with thousands separators. */
export function num(n) {
  return typeof n === 'number' ? n.toLocaleString('en') : String(n ?? '');
}

const entities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#34;': '"', '&apos;': "'" };

/** unescapeHTML decodes the entities an HTML-escaped snippet may hold (as text, never as markup). */
export function unescapeHTML(s) {
  return s.replace(/&(amp|lt|gt|quot|apos|#39|#34);/g, (m) => entities[m]);
}

/**
 * marked renders a search highlight (HTML-escaped text with matches in
 * <em>, <mark>, <b> or <strong>): matches become <mark> elements, any other
 * tag is dropped, and entities are decoded into text.
 */
export function marked(s) {
  const out = [];
  const re = /<(mark|em|b|strong)>(.*?)<\/\1>/gs;
  const text = (x) => unescapeHTML(x.replace(/<[^>]*>/g, ''));
  let last = 0;
  let m;
  while ((m = re.exec(s)) !== null) {
    out.push(text(s.slice(last, m.index)));
    out.push(h('mark', null, text(m[2])));
    last = re.lastIndex;
  }
  out.push(text(s.slice(last)));
  return out;
}
