// The search view at "/": free text with concept autocomplete, facet panels
// with live counts, ranked results with cursor paging and sorting.

import { gql, loadTypes, roleSelection, typeOf, datasetRoles, label, list, first } from './api.js';
import { attach, conceptSource, schemeNames } from './autocomplete.js';
import { debounce, errorBox, h, localName, marked, num, replace } from './dom.js';
import { labels, remember } from './labels.js';

const PAGE = 20;
const ACCESS = ['PUBLIC', 'REGISTERED', 'CONTROLLED'];

/** FACETS maps each facet of the API to its URL parameter and filter field. */
export const FACETS = [
  { key: 'cancerType', param: 'cancer', filter: 'cancerTypes', title: 'Cancer type', tree: true, scheme: 'CANCER_TYPE' },
  { key: 'modality', param: 'modality', filter: 'modalities', title: 'Imaging modality', scheme: 'MODALITY' },
  { key: 'bodyPart', param: 'bodyPart', filter: 'bodyParts', title: 'Body part', scheme: 'BODY_PART' },
  { key: 'sex', param: 'sex', filter: 'sexes', title: 'Sex', scheme: 'SEX' },
  { key: 'country', param: 'country', filter: 'countries', title: 'Country' },
  { key: 'provider', param: 'provider', filter: 'providers', title: 'Provider' },
  { key: 'accessLevel', param: 'access', filter: 'accessLevels', title: 'Access level' },
  { key: 'tier', param: 'tier', filter: 'tiers', title: 'Interoperability tier' },
];

const ORDERS = [['RELEVANCE', 'Relevance'], ['TITLE', 'Title'], ['SUBJECTS', 'Most subjects'], ['STUDIES', 'Most studies']];

const fv = 'value label count';
const tree = (depth) => (depth === 0 ? fv : `${fv} children { ${tree(depth - 1)} }`);

/** accessEnum maps an access-level facet value (enum name or IRI) to the AccessLevel enum. */
export function accessEnum(v) {
  const s = localName(v).toUpperCase();
  return ACCESS.includes(s) ? s : null;
}

/** readState parses the search state from a query string. */
export function readState(search) {
  const p = new URLSearchParams(search);
  const int = (k) => {
    const v = parseInt(p.get(k) || '', 10);
    return Number.isFinite(v) ? v : null;
  };
  const s = {
    q: p.get('q') || '',
    sort: ORDERS.some(([o]) => o === p.get('sort')) ? p.get('sort') : 'RELEVANCE',
    after: p.get('after') || null,
    minAge: int('minAge'),
    maxAge: int('maxAge'),
    sub: p.get('sub') !== '0',
    lang: p.get('lang'),
    sel: {},
  };
  for (const f of FACETS) s.sel[f.param] = p.getAll(f.param);
  return s;
}

/** writeState renders a search state as a URL path and query string. */
export function writeState(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of FACETS) for (const v of s.sel[f.param] || []) p.append(f.param, v);
  if (s.minAge !== null && s.minAge !== undefined) p.set('minAge', s.minAge);
  if (s.maxAge !== null && s.maxAge !== undefined) p.set('maxAge', s.maxAge);
  if (!s.sub) p.set('sub', '0');
  if (s.sort && s.sort !== 'RELEVANCE') p.set('sort', s.sort);
  if (s.after) p.set('after', s.after);
  if (s.lang) p.set('lang', s.lang);
  const qs = p.toString();
  return '/' + (qs ? `?${qs}` : '');
}

/** filtersOf turns a search state into the API's DatasetFilter. */
export function filtersOf(s) {
  const f = {};
  for (const d of FACETS) {
    let vals = s.sel[d.param] || [];
    if (d.key === 'accessLevel') vals = vals.map(accessEnum).filter(Boolean);
    if (vals.length) f[d.filter] = vals;
  }
  if (s.minAge !== null) f.minAge = s.minAge;
  if (s.maxAge !== null) f.maxAge = s.maxAge;
  if (!s.sub) f.includeDescendants = false;
  return f;
}

/** mount renders the search view into main and returns its controller. */
export function mount(main, { navigate, lang }) {
  let ctrl = null;
  const expanded = new Set();
  const autoOpened = new Set();
  const showAll = new Set();
  const closed = new Set();
  let lastFacets = null;
  let lastResults = null;

  const input = h('input', { id: 'q', name: 'q', type: 'search', placeholder: 'e.g. lung, Brustkrebs, MRI', 'aria-describedby': 'q-hint' });
  const form = h('form', { role: 'search', class: 'searchbar', onsubmit: (ev) => { ev.preventDefault(); go({ q: input.value.trim(), after: null }); } },
    h('label', { for: 'q' }, 'Search datasets'),
    h('div', { class: 'search-row' }, h('div', { class: 'combo-wrap' }, input), h('button', { type: 'submit' }, 'Search')),
    h('p', { id: 'q-hint', class: 'muted small' }, 'Words match titles, descriptions, keywords and concept names in every language. Pick a suggestion to filter by that concept.'));
  const facetsEl = h('div', { class: 'facets', id: 'facets' });
  const countEl = h('p', { id: 'result-count', class: 'count', 'aria-live': 'polite', 'aria-atomic': 'true' }, 'Searching…');
  const sortSel = h('select', { id: 'sort', name: 'sort', onchange: () => go({ sort: sortSel.value, after: null }) },
    ORDERS.map(([v, t]) => h('option', { value: v }, t)));
  const chipsEl = h('ul', { class: 'chips', 'aria-label': 'Active filters' });
  const resultsEl = h('ol', { class: 'results', id: 'results' });
  const pagerEl = h('nav', { class: 'pager', 'aria-label': 'Result pages' });
  const msgEl = h('div', { class: 'messages' });
  const resultsSec = h('section', { class: 'results-col', 'aria-labelledby': 'results-h' },
    h('h2', { id: 'results-h', class: 'visually-hidden' }, 'Results'),
    h('div', { class: 'resultbar' }, countEl, h('label', { class: 'sort' }, 'Sort by ', sortSel)),
    chipsEl, msgEl, resultsEl, pagerEl);
  const filtersBox = h('details', { class: 'filters', open: window.matchMedia('(min-width: 900px)').matches },
    h('summary', null, h('span', { class: 'filters-title' }, 'Filters'), h('span', { class: 'badge', id: 'filters-active' })),
    facetsEl);

  replace(main,
    h('h1', { tabindex: '-1' }, 'Find cancer-imaging datasets'),
    form,
    h('div', { class: 'layout' }, h('aside', { 'aria-label': 'Filters' }, filtersBox), resultsSec));

  attach(input, {
    source: conceptSource({ lang }),
    onPick: (item) => {
      remember(item.id, item.label);
      const f = FACETS.find((d) => d.scheme && d.scheme === item.scheme);
      if (f) {
        const s = readState(location.search);
        if (!s.sel[f.param].includes(item.id)) s.sel[f.param].push(item.id);
        input.value = '';
        s.q = '';
        s.after = null;
        navigate(writeState(s));
      } else {
        input.value = item.label;
        go({ q: item.label, after: null });
      }
    },
    onError: (err) => replace(msgEl, errorBox(err, 'load suggestions')),
  });

  function go(change, { rep = false } = {}) {
    const s = { ...readState(location.search), ...change };
    navigate(writeState(s), { replace: rep });
  }

  function toggle(param, value, on) {
    const s = readState(location.search);
    const vals = s.sel[param].filter((v) => v !== value);
    if (on) vals.push(value);
    s.sel[param] = vals;
    s.after = null;
    navigate(writeState(s));
  }

  async function update() {
    const s = readState(location.search);
    if (document.activeElement !== input) input.value = s.q;
    sortSel.value = s.sort;
    if (ctrl) ctrl.abort();
    const mine = new AbortController();
    ctrl = mine;
    resultsSec.setAttribute('aria-busy', 'true');
    replace(msgEl);
    renderChips(s);
    try {
      await loadTypes(['Dataset'], 2);
      const dsFields = typeOf('Dataset') ? roleSelection('Dataset', {
        title: datasetRoles.title, description: datasetRoles.description, publisher: datasetRoles.publisher,
        subjects: datasetRoles.subjects, studies: datasetRoles.studies, condition: datasetRoles.condition,
        modality: datasetRoles.modality, tier: datasetRoles.tier, keyword: datasetRoles.keyword,
      }) : { fields: 'id', names: {} };
      const query = `query PortalSearch($text: String, $filters: DatasetFilter, $order: SearchOrder, $first: Int, $after: String, $lang: String) {
  search(text: $text, filters: $filters, orderBy: $order, first: $first, after: $after, lang: $lang) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor score highlights node { ${dsFields.fields} } }
  }
  facets(text: $text, filters: $filters, lang: $lang) {
    totalCount
    cancerType { ${tree(5)} }
    modality { ${fv} } bodyPart { ${fv} } sex { ${fv} } country { ${fv} }
    provider { ${fv} } accessLevel { ${fv} } tier { ${fv} } ageRange { ${fv} }
  }
}`;
      const data = await gql(query, {
        text: s.q || null, filters: filtersOf(s), order: s.sort, first: PAGE, after: s.after, lang: lang(),
      }, { signal: ctrl.signal, onPartial: (err) => msgEl.append(errorBox(err, 'load part of the answer')) });
      lastFacets = data.facets;
      lastResults = data.search;
      rememberFacets(lastFacets);
      renderFacets(s);
      renderChips(s);
      renderResults(s, data.search, dsFields.names);
    } catch (err) {
      if (err.name === 'AbortError') return;
      countEl.textContent = 'Search failed.';
      replace(resultsEl);
      replace(pagerEl);
      replace(msgEl, errorBox(err, 'search the catalogue'));
    } finally {
      // An aborted request ends after its successor started: only the current one clears the busy state.
      if (ctrl === mine) resultsSec.setAttribute('aria-busy', 'false');
    }
  }

  function rememberFacets(facets) {
    const walk = (vals) => {
      for (const v of vals || []) {
        remember(v.value, v.label);
        walk(v.children);
      }
    };
    for (const f of FACETS) walk(facets[f.key]);
  }

  function renderChips(s) {
    const chips = [];
    for (const f of FACETS) {
      for (const v of s.sel[f.param]) {
        const name = labels.get(v) || localName(v);
        chips.push(h('li', { class: 'chip' }, `${f.title}: ${name}`,
          h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove filter ${f.title}: ${name}`, onclick: () => toggle(f.param, v, false) }, '×')));
      }
    }
    if (s.minAge !== null || s.maxAge !== null) {
      const t = `Age: ${s.minAge ?? 0}–${s.maxAge ?? '100+'}`;
      chips.push(h('li', { class: 'chip' }, t, h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove filter ${t}`, onclick: () => go({ minAge: null, maxAge: null, after: null }) }, '×')));
    }
    if (s.q) chips.push(h('li', { class: 'chip' }, `Text: “${s.q}”`, h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove the search text ${s.q}`, onclick: () => { input.value = ''; go({ q: '', after: null }); } }, '×')));
    if (chips.length > 1) {
      chips.push(h('li', null, h('button', { type: 'button', class: 'link', onclick: () => navigate(writeState({ ...readState(''), sort: s.sort, lang: s.lang })) }, 'Clear all')));
    }
    replace(chipsEl, chips);
    chipsEl.hidden = chips.length === 0;
    const n = FACETS.reduce((k, f) => k + s.sel[f.param].length, 0) + (s.minAge !== null || s.maxAge !== null ? 1 : 0);
    filtersBox.querySelector('#filters-active').textContent = n ? ` ${n} active` : '';
  }

  function renderFacets(s) {
    const focused = document.activeElement && facetsEl.contains(document.activeElement) ? document.activeElement.id : null;
    const panels = [];
    for (const f of FACETS) {
      const vals = (lastFacets && lastFacets[f.key]) || [];
      const sel = new Set(s.sel[f.param]);
      if (f.tree) {
        markExpanded(vals, sel);
        // A few roots (e.g. OncoTree's "Tissue") say little: open them once.
        if (vals.length <= 3) {
          for (const v of vals) {
            if ((v.children || []).length && !autoOpened.has(v.value)) {
              autoOpened.add(v.value);
              expanded.add(v.value);
            }
          }
        }
      }
      const items = f.tree ? treeItems(f, vals, sel, 0) : flatItems(f, vals, sel);
      const panel = h('details', { class: 'facet', open: !closed.has(f.key), ontoggle: (ev) => { if (ev.target.open) closed.delete(f.key); else closed.add(f.key); } },
        h('summary', null, f.title, sel.size ? h('span', { class: 'badge' }, ` ${sel.size} selected`) : null),
        h('fieldset', null, h('legend', { class: 'visually-hidden' }, f.title),
          vals.length ? items : h('p', { class: 'muted small' }, 'No values.'),
          f.tree ? h('div', { class: 'check small' }, h('input', { type: 'checkbox', id: 'sub', checked: s.sub, onchange: (ev) => go({ sub: ev.target.checked, after: null }) }),
            h('label', { for: 'sub' }, 'Include subtypes and equivalent codes')) : null));
      panels.push(panel);
    }
    panels.splice(4, 0, agePanel(s));
    replace(facetsEl, panels);
    if (focused) {
      const el = document.getElementById(focused);
      if (el) el.focus();
    }
  }

  function markExpanded(vals, sel) {
    // Open the branches that hold a selected value.
    let any = false;
    for (const v of vals) {
      const below = markExpanded(v.children || [], sel);
      if (below) expanded.add(v.value);
      if (below || sel.has(v.value)) any = true;
    }
    return any;
  }

  function checkId(f, value) {
    let x = 0;
    for (const c of f.param + value) x = (x * 31 + c.charCodeAt(0)) | 0;
    return `f-${f.param}-${(x >>> 0).toString(36)}`;
  }

  function valueItem(f, v, sel, extra) {
    const id = checkId(f, v.value);
    const value = f.key === 'accessLevel' ? (accessEnum(v.value) || v.value) : v.value;
    return h('li', null, h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, value, checked: sel.has(value), onchange: (ev) => toggle(f.param, value, ev.target.checked) }),
      h('label', { for: id }, v.label || localName(v.value), h('span', { class: 'n', 'aria-label': `${v.count} datasets` }, num(v.count)))), extra);
  }

  function flatItems(f, vals, sel) {
    const shown = showAll.has(f.key) ? vals : vals.slice(0, 8);
    // Selected values stay visible even when they fall out of the top ones.
    for (const v of vals) if (sel.has(v.value) && !shown.includes(v)) shown.push(v);
    const out = [h('ul', { class: 'facet-values' }, shown.map((v) => valueItem(f, v, sel)))];
    if (vals.length > 8) {
      const all = showAll.has(f.key);
      out.push(h('button', { type: 'button', class: 'link small', 'aria-expanded': String(all), onclick: () => { if (all) showAll.delete(f.key); else showAll.add(f.key); renderFacets(readState(location.search)); } },
        all ? 'Show fewer' : `Show all ${vals.length}`));
    }
    return out;
  }

  function treeItems(f, vals, sel, depth) {
    const shown = depth === 0 && !showAll.has(f.key) ? vals.slice(0, 10) : vals;
    for (const v of vals) if (depth === 0 && !shown.includes(v) && (sel.has(v.value) || expanded.has(v.value))) shown.push(v);
    const out = [h('ul', { class: depth ? 'facet-values sub' : 'facet-values tree' }, shown.map((v) => {
      const kids = v.children || [];
      if (!kids.length) return valueItem(f, v, sel);
      const open = expanded.has(v.value);
      const name = v.label || localName(v.value);
      const btn = h('button', {
        type: 'button', class: 'twisty', id: `${checkId(f, v.value)}-t`, 'aria-expanded': String(open), 'aria-label': `${open ? 'Hide' : 'Show'} the ${kids.length} subtypes of ${name}`,
        onclick: () => { if (open) expanded.delete(v.value); else expanded.add(v.value); renderFacets(readState(location.search)); },
      }, open ? '▾' : '▸');
      const li = valueItem(f, v, sel, open ? treeItems(f, kids, sel, depth + 1) : null);
      li.firstChild.prepend(btn);
      li.classList.add('branch');
      return li;
    }))];
    if (depth === 0 && vals.length > 10) {
      const all = showAll.has(f.key);
      out.push(h('button', { type: 'button', class: 'link small', 'aria-expanded': String(all), onclick: () => { if (all) showAll.delete(f.key); else showAll.add(f.key); renderFacets(readState(location.search)); } },
        all ? 'Show fewer' : `Show all ${vals.length}`));
    }
    return out;
  }

  function agePanel(s) {
    const lo = s.minAge ?? 0;
    const hi = s.maxAge ?? 100;
    const out = h('output', { id: 'age-out', for: 'age-min age-max', 'aria-live': 'polite' }, ageText(lo, hi));
    const apply = debounce(() => {
      let a = parseInt(min.value, 10);
      let b = parseInt(max.value, 10);
      if (a > b) [a, b] = [b, a];
      go({ minAge: a > 0 ? a : null, maxAge: b < 100 ? b : null, after: null });
    }, 250);
    const onInput = () => {
      out.textContent = ageText(Math.min(min.value, max.value), Math.max(min.value, max.value));
    };
    const min = h('input', { type: 'range', id: 'age-min', min: 0, max: 100, step: 1, value: lo, oninput: onInput, onchange: apply, 'aria-valuetext': `${lo} years` });
    const max = h('input', { type: 'range', id: 'age-max', min: 0, max: 100, step: 1, value: hi, oninput: onInput, onchange: apply, 'aria-valuetext': hi >= 100 ? '100 years or more' : `${hi} years` });
    const buckets = (lastFacets && lastFacets.ageRange) || [];
    const top = Math.max(1, ...buckets.map((b) => b.count));
    return h('details', { class: 'facet', open: !closed.has('age'), ontoggle: (ev) => { if (ev.target.open) closed.delete('age'); else closed.add('age'); } },
      h('summary', null, 'Age range', s.minAge !== null || s.maxAge !== null ? h('span', { class: 'badge' }, ' set') : null),
      h('fieldset', null, h('legend', { class: 'visually-hidden' }, 'Typical age of the subjects'),
        buckets.length ? h('ul', { class: 'age-hist', 'aria-label': 'Datasets per age bucket' }, buckets.map((b) => {
          const bar = h('span', { class: 'age-bar' });
          bar.style.height = `${Math.round((b.count / top) * 100)}%`;
          return h('li', { title: `${b.label || b.value}: ${b.count} datasets` }, bar, h('span', { class: 'visually-hidden' }, `${b.label || b.value}: ${b.count} datasets`));
        })) : null,
        h('div', { class: 'range2' },
          h('label', { for: 'age-min' }, 'Minimum age'), min,
          h('label', { for: 'age-max' }, 'Maximum age'), max),
        h('p', { class: 'small' }, out)));
  }

  function ageText(lo, hi) {
    return `${lo} to ${Number(hi) >= 100 ? '100+' : hi} years`;
  }

  function renderResults(s, res, names) {
    const total = res.totalCount;
    countEl.textContent = total === 0 ? 'No datasets match.' : `${num(total)} dataset${total === 1 ? '' : 's'} match${total === 1 ? 'es' : ''}.`;
    replace(resultsEl, res.edges.map((e) => card(e, names)));
    if (!res.edges.length) {
      resultsEl.append(h('li', { class: 'muted' }, 'Try fewer filters or other words.'));
    }
    const prevs = (history.state && history.state.prevs) || [];
    const btns = [];
    if (s.after) {
      btns.push(h('button', {
        type: 'button', onclick: () => {
          const st = readState(location.search);
          const back = prevs.length ? prevs[prevs.length - 1] : '';
          st.after = back || null;
          navigate(writeState(st), { state: { prevs: prevs.slice(0, -1) } });
        },
      }, prevs.length ? '← Previous page' : '← First page'));
    }
    const page = prevs.length + (s.after ? 2 : 1);
    if (s.after || res.pageInfo.hasNextPage) btns.push(h('span', { class: 'muted' }, ` Page ${s.after && !prevs.length ? '' : page} `));
    if (res.pageInfo.hasNextPage && res.pageInfo.endCursor) {
      btns.push(h('button', {
        type: 'button', onclick: () => {
          const st = readState(location.search);
          st.after = res.pageInfo.endCursor;
          navigate(writeState(st), { state: { prevs: [...prevs, s.after || ''] } });
          main.querySelector('h1').focus();
        },
      }, 'Next page →'));
    }
    replace(pagerEl, btns);
  }

  function card(edge, names) {
    const d = edge.node || {};
    const get = (role) => (names[role] ? d[names[role]] : undefined);
    const title = label(first(get('title'))) || localName(d.id);
    const url = `/portal/dataset?id=${encodeURIComponent(d.id)}`;
    const meta = [];
    const pub = label(first(get('publisher')));
    if (pub) meta.push(pub);
    const subj = first(get('subjects'));
    if (subj !== undefined) meta.push(`${num(subj)} subjects`);
    const stud = first(get('studies'));
    if (stud !== undefined) meta.push(`${num(stud)} studies`);
    const tier = label(first(get('tier')));
    if (tier) meta.push(tier);
    const desc = label(first(get('description')));
    const tags = [...list(get('condition')), ...list(get('modality'))].map(label).filter(Boolean);
    return h('li', { class: 'card' },
      h('h3', null, h('a', { href: url, 'data-link': true }, title)),
      meta.length ? h('p', { class: 'meta' }, meta.join(' · ')) : null,
      edge.highlights && edge.highlights.length
        ? h('p', { class: 'hl' }, edge.highlights.slice(0, 2).map((x, i) => [i ? ' … ' : '', marked(x)]))
        : (desc ? h('p', { class: 'desc' }, desc.length > 260 ? desc.slice(0, 259) + '…' : desc) : null),
      tags.length ? h('ul', { class: 'tags', 'aria-label': 'Conditions and modalities' }, [...new Set(tags)].slice(0, 8).map((t) => h('li', null, t))) : null);
  }

  update();
  return {
    update,
    unmount() { if (ctrl) ctrl.abort(); },
    get results() { return lastResults; },
  };
}

export { schemeNames };
