// The cohort builder at /portal/cohort: patient and study criteria, counts
// per dataset (obfuscated as the API reports them), and a report to
// download as JSON or CSV.

import { gql, label, loadTypes, roleSelection, datasetRoles } from './api.js';
import { attach, conceptSource } from './autocomplete.js';
import { errorBox, h, localName, replace } from './dom.js';
import { labels, remember } from './labels.js';

const countSel = 'value display exact suppressed';
const fv = 'value label count';

/** readCriteria parses the builder's state from a query string. */
export function readCriteria(search) {
  const p = new URLSearchParams(search);
  const int = (k) => {
    const v = parseInt(p.get(k) || '', 10);
    return Number.isFinite(v) ? v : null;
  };
  return {
    sexes: p.getAll('sex'),
    diagnoses: p.getAll('dx'),
    includeDescendants: p.get('sub') !== '0',
    minAgeAtDiagnosis: int('ageMin'),
    maxAgeAtDiagnosis: int('ageMax'),
    modalities: p.getAll('modality'),
    bodyParts: p.getAll('bodyPart'),
    manufacturers: p.getAll('manufacturer'),
    yearFrom: int('yearFrom'),
    yearTo: int('yearTo'),
  };
}

/** writeCriteria renders criteria as the builder's URL. */
export function writeCriteria(c, lang) {
  const p = new URLSearchParams();
  for (const v of c.sexes) p.append('sex', v);
  for (const v of c.diagnoses) p.append('dx', v);
  if (!c.includeDescendants) p.set('sub', '0');
  if (c.minAgeAtDiagnosis !== null) p.set('ageMin', c.minAgeAtDiagnosis);
  if (c.maxAgeAtDiagnosis !== null) p.set('ageMax', c.maxAgeAtDiagnosis);
  for (const v of c.modalities) p.append('modality', v);
  for (const v of c.bodyParts) p.append('bodyPart', v);
  for (const v of c.manufacturers) p.append('manufacturer', v);
  if (c.yearFrom !== null) p.set('yearFrom', c.yearFrom);
  if (c.yearTo !== null) p.set('yearTo', c.yearTo);
  if (lang) p.set('lang', lang);
  p.set('run', '1');
  return `/portal/cohort?${p}`;
}

/** apiCriteria drops empty fields, giving the API's CohortCriteria. */
export function apiCriteria(c) {
  const out = {};
  for (const [k, v] of Object.entries(c)) {
    if (v === null || (Array.isArray(v) && !v.length)) continue;
    if (k === 'includeDescendants' && v) continue;
    out[k] = v;
  }
  return out;
}

/** csvField quotes one CSV field (RFC 4180). */
export function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** reportJSON is the downloadable report: criteria, time, policy, totals and rows. */
export function reportJSON(criteria, result, generated, titleField = 'title') {
  return {
    report: 'Tessera cohort counts',
    generated,
    source: `${location.origin}/graphql`,
    criteria,
    policy: result.policy,
    totals: { subjects: result.subjects, studies: result.studies },
    datasets: result.datasets.map((c) => ({
      id: c.dataset.id,
      title: label(c.dataset[titleField]),
      provider: c.provider,
      providerName: labels.get(c.provider) || null,
      accessLevel: c.accessLevel,
      subjects: c.subjects,
      studies: c.studies,
    })),
  };
}

/** reportCSV renders the report as CSV, its context in leading # lines. */
export function reportCSV(rep) {
  const lines = [
    '# Tessera cohort counts',
    `# generated: ${rep.generated}`,
    `# source: ${rep.source}`,
    `# criteria: ${JSON.stringify(rep.criteria)}`,
    `# policy: ${rep.policy.replace(/[\r\n]+/g, ' ')}`,
    ['dataset', 'title', 'provider', 'provider_name', 'access_level', 'subjects', 'subjects_exact', 'studies', 'studies_exact'].join(','),
  ];
  for (const d of rep.datasets) {
    lines.push([d.id, d.title, d.provider, d.providerName, d.accessLevel, d.subjects.display, d.subjects.exact, d.studies.display, d.studies.exact].map(csvField).join(','));
  }
  lines.push(['TOTAL', '', '', '', '', rep.totals.subjects.display, rep.totals.subjects.exact, rep.totals.studies.display, rep.totals.studies.exact].map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** mount renders the cohort builder into main. */
export function mount(main, { navigate, lang }) {
  let ctrl = null;
  let options = null; // facets: sex, modality, bodyPart, provider
  let last = null; // { criteria, result }

  const dxInput = h('input', { id: 'dx', type: 'text', placeholder: 'e.g. breast, lung, glioma' });
  const dxWrap = h('div', { class: 'combo-wrap' }, dxInput);
  const dxChips = h('ul', { class: 'chips', 'aria-label': 'Chosen diagnoses' });
  const form = h('form', { class: 'cohort-form', onsubmit: (ev) => { ev.preventDefault(); navigate(writeCriteria(collect(), new URLSearchParams(location.search).get('lang'))); } });
  const status = h('div', { id: 'cohort-total', class: 'totals', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const out = h('div', { id: 'cohort-results' });
  const msg = h('div', { class: 'messages' });
  let dx = [];

  replace(main,
    h('h1', { tabindex: '-1' }, 'Cohort builder'),
    h('p', { class: 'muted' }, 'Count the subjects and imaging studies that match, in every dataset you may see. Counts from controlled sources are obfuscated before they leave their node.'),
    msg, form, status, out);

  attach(dxInput, {
    source: conceptSource({ scheme: 'CANCER_TYPE', lang }),
    onPick: (item) => {
      remember(item.id, item.label);
      if (!dx.includes(item.id)) dx.push(item.id);
      dxInput.value = '';
      renderDx();
    },
    onError: (err) => replace(msg, errorBox(err, 'load suggestions')),
  });

  function renderDx() {
    replace(dxChips, dx.map((v) => {
      const name = labels.get(v) || localName(v);
      return h('li', { class: 'chip' }, name, h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove diagnosis ${name}`, onclick: () => { dx = dx.filter((x) => x !== v); renderDx(); dxInput.focus(); } }, '×'));
    }));
    dxChips.hidden = dx.length === 0;
  }

  function checks(name, vals, chosen) {
    if (!vals || !vals.length) return h('p', { class: 'muted small' }, 'No values in the catalogue.');
    return h('ul', { class: 'facet-values scroll' }, vals.map((v, i) => {
      const id = `${name}-${i}`;
      remember(v.value, v.label);
      return h('li', null, h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name, value: v.value, checked: chosen.includes(v.value) }), h('label', { for: id }, v.label || localName(v.value))));
    }));
  }

  function numInput(id, text, value, attrs) {
    return h('div', { class: 'field' }, h('label', { for: id }, text), h('input', { id, type: 'number', inputmode: 'numeric', value: value ?? '', ...attrs }));
  }

  function renderForm(c) {
    dx = [...c.diagnoses];
    replace(form,
      h('fieldset', null, h('legend', null, 'Patients'),
        h('fieldset', { class: 'inner' }, h('legend', null, 'Sex'), checks('sex', options && options.sex, c.sexes)),
        h('div', { class: 'row' },
          numInput('ageMin', 'Age at diagnosis from', c.minAgeAtDiagnosis, { min: 0, max: 120 }),
          numInput('ageMax', [h('span', { class: 'visually-hidden' }, 'Age at diagnosis '), 'to'], c.maxAgeAtDiagnosis, { min: 0, max: 120 })),
        h('div', { class: 'field' }, h('label', { for: 'dx' }, 'Diagnosis (cancer type)'), dxWrap, dxChips),
        h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'dx-sub', checked: c.includeDescendants }), h('label', { for: 'dx-sub' }, 'Include subtypes and equivalent codes'))),
      h('fieldset', null, h('legend', null, 'Imaging studies'),
        h('fieldset', { class: 'inner' }, h('legend', null, 'Modality'), checks('modality', options && options.modality, c.modalities)),
        h('fieldset', { class: 'inner' }, h('legend', null, 'Body part'), checks('bodyPart', options && options.bodyPart, c.bodyParts)),
        h('div', { class: 'field' }, h('label', { for: 'manufacturer' }, 'Manufacturer (comma-separated)'), h('input', { id: 'manufacturer', type: 'text', value: c.manufacturers.join(', ') })),
        h('div', { class: 'row' },
          numInput('yearFrom', 'Study year from', c.yearFrom, { min: 1900, max: 2100 }),
          numInput('yearTo', [h('span', { class: 'visually-hidden' }, 'Study year '), 'to'], c.yearTo, { min: 1900, max: 2100 }))),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Count'),
        h('button', { type: 'button', onclick: () => navigate('/portal/cohort') }, 'Reset')));
    renderDx();
  }

  function collect() {
    const val = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
    const int = (id) => {
      const v = parseInt(form.querySelector(`#${id}`).value, 10);
      return Number.isFinite(v) ? v : null;
    };
    return {
      sexes: val('sex'),
      diagnoses: [...dx],
      includeDescendants: form.querySelector('#dx-sub').checked,
      minAgeAtDiagnosis: int('ageMin'),
      maxAgeAtDiagnosis: int('ageMax'),
      modalities: val('modality'),
      bodyParts: val('bodyPart'),
      manufacturers: form.querySelector('#manufacturer').value.split(',').map((s) => s.trim()).filter(Boolean),
      yearFrom: int('yearFrom'),
      yearTo: int('yearTo'),
    };
  }

  async function update() {
    const c = readCriteria(location.search);
    if (ctrl) ctrl.abort();
    ctrl = new AbortController();
    const signal = ctrl.signal;
    replace(msg);
    try {
      if (!options) {
        const data = await gql(`query PortalCohortOptions($lang: String) { facets(lang: $lang) { sex { ${fv} } modality { ${fv} } bodyPart { ${fv} } provider { ${fv} } } }`, { lang: lang() }, { signal });
        options = data.facets;
        for (const p of options.provider) remember(p.value, p.label);
      }
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(msg, errorBox(err, 'load the criteria values'));
    }
    renderForm(c);
    if (!new URLSearchParams(location.search).has('run')) {
      replace(status, h('p', { class: 'muted' }, 'Choose criteria and press Count.'));
      replace(out);
      return;
    }
    await run(c, signal);
  }

  async function run(c, signal) {
    const criteria = apiCriteria(c);
    out.setAttribute('aria-busy', 'true');
    replace(status, h('p', { class: 'muted' }, 'Counting…'));
    try {
      await loadTypes(['Dataset'], 1);
      const ds = roleSelection('Dataset', { title: datasetRoles.title }, 1);
      const vars = ds.fields.includes('$lang') ? '$criteria: CohortCriteria!, $lang: String' : '$criteria: CohortCriteria!';
      const q = `query PortalCohort(${vars}) {
    cohort(criteria: $criteria) {
      policy
      subjects { ${countSel} } studies { ${countSel} }
      datasets { dataset { ${ds.fields} } provider accessLevel subjects { ${countSel} } studies { ${countSel} } }
    }
  }`;
      const data = await gql(q, { criteria, lang: lang() }, { signal });
      const r = data.cohort;
      last = { criteria, result: r, titleField: ds.names.title };
      renderResult(r);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(status);
      replace(out, errorBox(err, 'count the cohort'));
    } finally {
      // An aborted request ends after its successor started: only the current one clears the busy state.
      if (ctrl.signal === signal) out.setAttribute('aria-busy', 'false');
    }
  }

  function renderResult(r) {
    replace(status,
      h('p', { class: 'big' }, h('strong', null, r.subjects.display), ' subjects and ', h('strong', null, r.studies.display), ' imaging studies in ',
        h('strong', null, String(r.datasets.length)), ` dataset${r.datasets.length === 1 ? '' : 's'}.`),
      h('p', { class: 'muted small policy' }, 'Obfuscation policy: ', r.policy));
    const name = (iri) => labels.get(iri) || localName(iri);
    replace(out,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'dl-json', onclick: () => save('json') }, 'Download report (JSON)'),
        h('button', { type: 'button', id: 'dl-csv', onclick: () => save('csv') }, 'Download report (CSV)')),
      r.datasets.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'counts' },
        h('caption', null, 'Matching subjects and studies per dataset'),
        h('thead', null, h('tr', null, ['Dataset', 'Provider', 'Access', 'Subjects', 'Studies'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, r.datasets.map((c) => h('tr', null,
          h('th', { scope: 'row' }, h('a', { href: `/portal/dataset?id=${encodeURIComponent(c.dataset.id)}`, 'data-link': true }, label(c.dataset[last.titleField]) || localName(c.dataset.id))),
          h('td', null, c.provider ? name(c.provider) : ''),
          h('td', null, h('span', { class: `level level-${c.accessLevel.toLowerCase()}` }, c.accessLevel.toLowerCase())),
          h('td', { class: 'num' }, c.subjects.display),
          h('td', { class: 'num' }, c.studies.display)))),
        h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: 3 }, 'Total'), h('td', { class: 'num' }, r.subjects.display), h('td', { class: 'num' }, r.studies.display))))) : h('p', null, 'No dataset has matching subjects.'));
  }

  function save(kind) {
    if (!last) return;
    const stamp = new Date().toISOString();
    const rep = reportJSON(last.criteria, last.result, stamp, last.titleField);
    const file = `tessera-cohort-${stamp.replace(/[:.]/g, '-')}`;
    if (kind === 'json') download(`${file}.json`, 'application/json', JSON.stringify(rep, null, 2));
    else download(`${file}.csv`, 'text/csv;charset=utf-8', reportCSV(rep));
  }

  update();
  return { update, unmount() { if (ctrl) ctrl.abort(); } };
}
