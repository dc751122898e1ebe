// The dataset view at /portal/dataset?id=IRI: every metadata field the API
// has for the dataset (the field list comes from the schema, which is
// generated from the SHACL shapes), its access conditions, distributions,
// provider, and charts of its cohort from the cohort query.

import { gql, loadTypes, selection, field, typeOf, datasetRoles, label, list, first } from './api.js';
import { barChart } from './charts.js';
import { errorBox, h, humanise, isURL, localName, num, replace } from './dom.js';
import { labels, remember } from './labels.js';

const bucket = 'value label count { value display exact suppressed }';
const countSel = 'value display exact suppressed';

const accessText = {
  PUBLIC: 'Public: anyone may see the records of this dataset.',
  REGISTERED: 'Registered: signed-in users see the records; others see counts.',
  CONTROLLED: 'Controlled: only obfuscated counts leave the node; access to the data is granted by the provider.',
};

/** mount renders the dataset named by ?id= into main. */
export function mount(main, { lang }) {
  let ctrl = null;

  async function update() {
    const id = new URLSearchParams(location.search).get('id');
    if (ctrl) ctrl.abort();
    const mine = new AbortController();
    ctrl = mine;
    const back = h('p', { class: 'crumbs' }, h('a', { href: '/', 'data-link': true }, '← All datasets'));
    if (!id) {
      replace(main, back, h('h1', { tabindex: '-1' }, 'Dataset'), errorBox(new Error('no dataset named: the address needs ?id=IRI'), 'show a dataset'));
      return;
    }
    replace(main, back, h('h1', { tabindex: '-1' }, 'Dataset'), h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading…'));
    main.setAttribute('aria-busy', 'true');
    try {
      await loadTypes(['Dataset'], 3);
      if (!typeOf('Dataset')) throw new Error('the API has no Dataset type');
      const sel = selection('Dataset', 2);
      const vars = sel.includes('$lang') ? '$id: ID!, $lang: String' : '$id: ID!';
      const data = await gql(`query PortalDataset(${vars}) { dataset(id: $id) { ${sel} } }`, { id, lang: lang() }, { signal: ctrl.signal });
      const d = data.dataset;
      if (!d) {
        replace(main, back, h('h1', { tabindex: '-1' }, 'Dataset not found'),
          h('p', { role: 'alert' }, `No dataset ${id} is visible in this catalogue.`));
        return;
      }
      render(d, back);
      cohort(d);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(main, back, h('h1', { tabindex: '-1' }, 'Dataset'), errorBox(err, 'load the dataset'));
    } finally {
      // An aborted request ends after its successor started: only the current one clears the busy state.
      if (ctrl === mine) main.setAttribute('aria-busy', 'false');
    }
  }

  function role(d, r) {
    const f = field('Dataset', datasetRoles[r]);
    return f ? { name: f.name, value: d[f.name] } : { name: null, value: undefined };
  }

  function render(d, back) {
    const used = new Set(['id', 'types']);
    const take = (r) => {
      const x = role(d, r);
      if (x.name) used.add(x.name);
      return x.value;
    };
    const title = label(first(take('title'))) || localName(d.id);
    document.title = `${title} — Tessera`;
    const desc = list(take('description')).map(label).filter(Boolean);
    const pub = first(take('publisher'));
    const subjects = first(take('subjects'));
    const studies = first(take('studies'));
    const minAge = first(take('minAge'));
    const maxAge = first(take('maxAge'));
    const tier = take('tier');
    const rights = take('accessRights');
    const facts = [];
    if (subjects !== undefined) facts.push(['Subjects', num(subjects)]);
    if (studies !== undefined) facts.push(['Studies', num(studies)]);
    if (minAge !== undefined || maxAge !== undefined) facts.push(['Typical age', `${minAge ?? '?'}–${maxAge ?? '?'} years`]);
    if (list(tier).length) facts.push(['Interoperability tier', list(tier).map(label).join(', ')]);
    if (pub) facts.push(['Provider', label(pub)]);
    const accessEl = h('div', { id: 'access-level' });

    const concepts = [['Conditions', take('condition')], ['Image modalities', take('modality')], ['Body parts', take('bodyPart')], ['Keywords', take('keyword')]];
    const conceptEls = concepts.filter(([, v]) => list(v).length).map(([t, v]) => h('div', null, h('h3', null, t),
      h('ul', { class: 'tags' }, list(v).map((x) => {
        if (x && typeof x === 'object' && x.id) remember(x.id, label(x));
        return h('li', { title: x && x.id ? x.id : undefined }, label(x));
      }))));

    const dists = list(take('distribution'));
    const contact = list(take('contactPoint'));
    const dates = [['Issued', first(take('issued'))], ['Modified', first(take('modified'))]];
    for (const p of list(take('temporal'))) {
      if (p && (p.startDate || p.endDate)) dates.push(['Period covered', `${p.startDate || '…'} to ${p.endDate || '…'}`]);
    }
    dates.splice(0, dates.length, ...dates.filter(([, v]) => v));
    const rest = (typeOf('Dataset').fields || []).filter((f) => !used.has(f.name) && !f.name.startsWith('__') && hasValue(d[f.name]));

    replace(main, back,
      h('article', { class: 'dataset' },
        h('h1', { tabindex: '-1' }, title),
        h('p', { class: 'iri small muted' }, 'Identifier: ', h('code', null, d.id)),
        facts.length ? h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))) : null,
        desc.length ? h('section', { 'aria-labelledby': 'sec-desc' }, h('h2', { id: 'sec-desc' }, 'Description'), desc.map((t) => h('p', null, t))) : null,
        conceptEls.length ? h('section', { 'aria-labelledby': 'sec-concepts', class: 'concepts' }, h('h2', { id: 'sec-concepts' }, 'What it holds'), conceptEls) : null,
        h('section', { 'aria-labelledby': 'sec-access' }, h('h2', { id: 'sec-access' }, 'Access'),
          accessEl,
          list(rights).length ? h('p', null, h('strong', null, 'Access rights: '), list(rights).map(label).join(', ')) : null,
          accessConditions(d, used)),
        dists.length ? h('section', { 'aria-labelledby': 'sec-dist' }, h('h2', { id: 'sec-dist' }, 'Distributions'), distributionTable(dists)) : null,
        pub || contact.length ? h('section', { 'aria-labelledby': 'sec-provider' }, h('h2', { id: 'sec-provider' }, 'Provider and contact'),
          pub ? h('div', { class: 'card-plain' }, h('h3', null, label(pub)), objectList(pub)) : null,
          contact.map((c) => h('div', { class: 'card-plain' }, h('h3', null, 'Contact: ', label(c)), objectList(c)))) : null,
        dates.length ? h('section', { 'aria-labelledby': 'sec-dates' }, h('h2', { id: 'sec-dates' }, 'Dates'),
          h('dl', { class: 'meta-list' }, dates.map(([k, v]) => [h('dt', null, k), h('dd', null, String(v))]))) : null,
        h('section', { 'aria-labelledby': 'sec-cohort', id: 'cohort' }, h('h2', { id: 'sec-cohort' }, 'Cohort'),
          h('p', { class: 'muted', 'aria-live': 'polite', id: 'cohort-status' }, 'Loading the cohort counts…'),
          h('div', { class: 'charts', id: 'charts' })),
        rest.length ? h('section', { 'aria-labelledby': 'sec-more' }, h('h2', { id: 'sec-more' }, 'All other metadata'),
          h('dl', { class: 'meta-list' }, rest.map((f) => [h('dt', { title: f.description || undefined }, humanise(f.name)), h('dd', null, valueNode(d[f.name], f.name))]))) : null));
    main.querySelector('h1').focus({ preventScroll: true });
  }

  function accessConditions(d, used) {
    const f = (typeOf('Dataset').fields || []).find((g) => /accessCondition|access_condition|conditionsOfAccess/i.test(g.name));
    if (!f || !hasValue(d[f.name])) return null;
    used.add(f.name);
    return h('p', null, h('strong', null, 'Access conditions: '), list(d[f.name]).map(label).join(', '));
  }

  async function cohort(d) {
    const status = document.getElementById('cohort-status');
    const charts = document.getElementById('charts');
    const accessEl = document.getElementById('access-level');
    const pub = first(role(d, 'publisher').value);
    const filters = pub && pub.id ? { providers: [pub.id] } : null;
    const q = `query PortalDatasetCohort($filters: DatasetFilter) {
  cohort(criteria: {}, filters: $filters) {
    policy
    datasets { dataset { id } provider accessLevel subjects { ${countSel} } studies { ${countSel} }
      ageHistogram { ${bucket} } sex { ${bucket} } modality { ${bucket} } bodyPart { ${bucket} } }
  }
}`;
    try {
      const data = await gql(q, { filters }, { signal: ctrl.signal });
      const c = (data.cohort.datasets || []).find((x) => x.dataset && x.dataset.id === d.id);
      if (!c) {
        status.textContent = 'No record-level data (patients and studies) is described for this dataset.';
        return;
      }
      replace(accessEl, h('p', null, h('strong', null, 'Access level: '), h('span', { class: `level level-${c.accessLevel.toLowerCase()}` }, c.accessLevel.toLowerCase()), ' — ', accessText[c.accessLevel] || ''));
      status.textContent = `${c.subjects.display} subjects and ${c.studies.display} imaging studies described.` + (c.subjects.exact ? '' : ' Counts are obfuscated.');
      replace(charts,
        barChart('Age at diagnosis (subjects)', c.ageHistogram, { kind: 'columns' }),
        barChart('Sex (subjects)', c.sex),
        barChart('Imaging modality (studies)', c.modality),
        barChart('Body part (studies)', c.bodyPart));
      charts.after(h('p', { class: 'muted small policy' }, 'Obfuscation policy: ', data.cohort.policy));
    } catch (err) {
      if (err.name === 'AbortError') return;
      status.textContent = '';
      replace(charts, errorBox(err, 'load the cohort counts'));
    }
  }

  update();
  return { update, unmount() { if (ctrl) ctrl.abort(); } };
}

function hasValue(v) {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.some(hasValue);
  return true;
}

function isConceptLike(o) {
  return Object.keys(o).every((k) => ['id', 'label', 'prefLabel', 'labels', 'name', 'types', 'notation', 'altLabel', 'title'].includes(k));
}

/** urlField: fields whose values are addresses, shown in full rather than by their last segment. */
const urlField = /url|page|homepage|email|licen[cs]e|website/i;

/** valueNode renders any field value: text, links, concept labels, connections or nested records. */
function valueNode(v, key = '') {
  if (v && typeof v === 'object' && !Array.isArray(v) && Array.isArray(v.nodes)) v = v.nodes;
  if (Array.isArray(v)) {
    const vs = v.filter(hasValue);
    if (!vs.length) return '';
    if (vs.every((x) => typeof x !== 'object' || isConceptLike(x))) {
      return vs.length > 1 ? h('ul', { class: 'tags' }, vs.map((x) => h('li', null, valueNode(x, key)))) : valueNode(vs[0], key);
    }
    return vs.map((x) => h('div', { class: 'card-plain' }, valueNode(x, key)));
  }
  if (v && typeof v === 'object') {
    if (isConceptLike(v)) {
      // A label that is only the IRI's last segment is no label: prefer one
      // seen elsewhere (facets), and show addresses in full.
      const own = label(v);
      const bare = !own || (v.id && own === localName(v.id));
      if (v.id && isURL(v.id) && urlField.test(key)) return link(v.id, bare ? v.id.replace(/^mailto:/, '') : own);
      const text = bare && v.id && labels.get(v.id) ? labels.get(v.id) : own;
      return h('span', { title: v.id || undefined }, text);
    }
    const keys = Object.keys(v).filter((k) => k !== 'types' && hasValue(v[k]));
    if (keys.length > 4) return h('details', { class: 'nested' }, h('summary', null, label(v) || localName(v.id)), objectList(v));
    return objectList(v);
  }
  if (isURL(v)) return link(v, v.replace(/^mailto:/, ''));
  return String(v);
}

function link(href, text) {
  return h('a', { href, rel: 'noopener nofollow' }, text);
}

/** objectList renders a nested record as a definition list. */
function objectList(o) {
  const keys = Object.keys(o).filter((k) => k !== 'types' && hasValue(o[k]));
  return h('dl', { class: 'meta-list' }, keys.map((k) => [h('dt', null, k === 'id' ? 'Identifier' : humanise(k)), h('dd', null, k === 'id' ? h('code', null, o.id) : valueNode(o[k], k))]));
}

/** distributionTable shows the distributions with their access URL, format and media type first. */
function distributionTable(dists) {
  const pick = (o, re) => Object.keys(o).filter((k) => re.test(k));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'dist' },
    h('thead', null, h('tr', null, ['Distribution', 'Access', 'Format', 'Media type', 'Details'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, dists.map((x) => {
      if (!x || typeof x !== 'object') return h('tr', null, h('td', { colspan: 5 }, String(x)));
      const shown = new Set(['id', 'types']);
      const col = (re) => {
        const ks = pick(x, re);
        ks.forEach((k) => shown.add(k));
        return ks.filter((k) => hasValue(x[k])).map((k) => valueNode(x[k], k));
      };
      const title = col(/^(title|name)$/);
      const access = col(/access(URL|Url|Service)|download(URL|Url)/);
      const format = col(/^format$/);
      const media = col(/mediaType|compressFormat|packageFormat/);
      const restKeys = Object.keys(x).filter((k) => !shown.has(k) && hasValue(x[k]));
      return h('tr', null,
        h('td', null, title.length ? title : localName(x.id)),
        h('td', null, access),
        h('td', null, format),
        h('td', null, media),
        h('td', null, restKeys.length ? h('dl', { class: 'meta-list compact' }, restKeys.map((k) => [h('dt', null, humanise(k)), h('dd', null, valueNode(x[k], k))])) : ''));
    }))));
}

