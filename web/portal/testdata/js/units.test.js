// Unit tests of the portal's pure functions, run by `node --test` (see
// TestJavaScript in portal_test.go). No DOM: only code that needs none.
import test from 'node:test';
import assert from 'node:assert/strict';

globalThis.location = new URL('http://portal.test/');

const search = await import('../../assets/search.js');
const cohort = await import('../../assets/cohort.js');
const api = await import('../../assets/api.js');
const dom = await import('../../assets/dom.js');

test('search state round-trips through the URL', () => {
  const cases = [
    '/',
    '/?q=lung',
    '/?q=lung+cancer&cancer=https%3A%2F%2Fx%2Fa&cancer=https%3A%2F%2Fx%2Fb&modality=m1&access=CONTROLLED&minAge=40&maxAge=60&sub=0&sort=SUBJECTS&after=abc&lang=de',
  ];
  for (const url of cases) {
    const s = search.readState(url.slice(url.indexOf('?') + 1 || url.length));
    assert.equal(search.writeState(s), url, `writeState(readState(${url}))`);
  }
});

test('readState ignores unknown sorts and bad numbers', () => {
  const s = search.readState('sort=NOPE&minAge=x&maxAge=7');
  assert.equal(s.sort, 'RELEVANCE');
  assert.equal(s.minAge, null);
  assert.equal(s.maxAge, 7);
  assert.equal(s.sub, true);
});

test('filtersOf builds the DatasetFilter', () => {
  const s = search.readState('cancer=c1&modality=m1&modality=m2&access=https%3A%2F%2Ftessera.example%2Fns%23controlled&access=bogus&minAge=40&sub=0');
  assert.deepEqual(search.filtersOf(s), {
    cancerTypes: ['c1'], modalities: ['m1', 'm2'], accessLevels: ['CONTROLLED'], minAge: 40, includeDescendants: false,
  });
  assert.deepEqual(search.filtersOf(search.readState('')), {});
});

test('accessEnum maps values and IRIs', () => {
  for (const [in_, want] of [['PUBLIC', 'PUBLIC'], ['registered', 'REGISTERED'], ['https://tessera.example/ns#controlled', 'CONTROLLED'], ['open', null]]) {
    assert.equal(search.accessEnum(in_), want, `accessEnum(${in_})`);
  }
});

test('cohort criteria round-trip and drop empty fields', () => {
  const c = cohort.readCriteria('sex=s1&dx=d1&dx=d2&sub=0&ageMin=30&ageMax=70&modality=CT&bodyPart=b&manufacturer=Siemens&yearFrom=2015&yearTo=2020&run=1');
  assert.equal(cohort.writeCriteria(c, 'fr'), '/portal/cohort?sex=s1&dx=d1&dx=d2&sub=0&ageMin=30&ageMax=70&modality=CT&bodyPart=b&manufacturer=Siemens&yearFrom=2015&yearTo=2020&lang=fr&run=1');
  assert.deepEqual(cohort.apiCriteria(c), {
    sexes: ['s1'], diagnoses: ['d1', 'd2'], includeDescendants: false, minAgeAtDiagnosis: 30, maxAgeAtDiagnosis: 70,
    modalities: ['CT'], bodyParts: ['b'], manufacturers: ['Siemens'], yearFrom: 2015, yearTo: 2020,
  });
  assert.deepEqual(cohort.apiCriteria(cohort.readCriteria('')), {});
});

test('csvField quotes what needs quoting', () => {
  for (const [in_, want] of [['a', 'a'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['two\nlines', '"two\nlines"'], [null, ''], [10, '10'], [false, 'false']]) {
    assert.equal(cohort.csvField(in_), want, `csvField(${JSON.stringify(in_)})`);
  }
});

test('the report carries criteria, time, policy, rows and totals', () => {
  const count = (v, d) => ({ value: v, display: d, exact: v !== null, suppressed: v === null });
  const result = {
    policy: 'counts below 10 are shown as <10',
    subjects: count(120, '120'),
    studies: count(300, '300'),
    datasets: [
      { dataset: { id: 'https://x/d1', title: ['Lung, "CT"'] }, provider: 'https://x/p1', accessLevel: 'PUBLIC', subjects: count(120, '120'), studies: count(300, '300') },
      { dataset: { id: 'https://x/d2', title: ['Small'] }, provider: null, accessLevel: 'CONTROLLED', subjects: count(null, '<10'), studies: count(null, '<10') },
    ],
  };
  const rep = cohort.reportJSON({ modalities: ['CT'] }, result, '2026-01-02T03:04:05.000Z');
  assert.equal(rep.generated, '2026-01-02T03:04:05.000Z');
  assert.equal(rep.source, 'http://portal.test/graphql');
  assert.deepEqual(rep.criteria, { modalities: ['CT'] });
  assert.equal(rep.datasets[0].title, 'Lung, "CT"');
  assert.equal(rep.datasets[1].subjects.display, '<10');
  const csv = cohort.reportCSV(rep).split('\r\n');
  assert.deepEqual(csv.slice(0, 6), [
    '# Tessera cohort counts',
    '# generated: 2026-01-02T03:04:05.000Z',
    '# source: http://portal.test/graphql',
    '# criteria: {"modalities":["CT"]}',
    '# policy: counts below 10 are shown as <10',
    'dataset,title,provider,provider_name,access_level,subjects,subjects_exact,studies,studies_exact',
  ]);
  assert.equal(csv[6], 'https://x/d1,"Lung, ""CT""",https://x/p1,,PUBLIC,120,true,300,true');
  assert.equal(csv[7], 'https://x/d2,Small,,,CONTROLLED,<10,false,<10,false');
  assert.equal(csv[8], 'TOTAL,,,,,120,true,300,true');
  assert.equal(csv[9], '');
});

test('label, list and first read generated field values', () => {
  assert.equal(api.label({ id: 'https://x/C1', label: 'Lung' }), 'Lung');
  assert.equal(api.label({ id: 'https://x/vocab#C2', label: null }), 'C2');
  assert.equal(api.label(['a', { name: ['Org'] }]), 'a, Org');
  assert.equal(api.label(null), '');
  assert.deepEqual(api.list({ totalCount: 2, nodes: [1, 2] }), [1, 2]);
  assert.deepEqual(api.list('x'), ['x']);
  assert.deepEqual(api.list(undefined), []);
  assert.equal(api.first(['t1', 't2']), 't1');
});

test('dom helpers', () => {
  assert.equal(dom.humanise('imageBodyPart'), 'Image body part');
  assert.equal(dom.humanise('accessURL'), 'Access url');
  assert.equal(dom.localName('https://x/a/b#Name'), 'Name');
  assert.equal(dom.localName('https://x/a/b/'), 'b');
  assert.equal(dom.isURL('mailto:a@b'), true);
  assert.equal(dom.isURL('javascript:alert(1)'), false);
});

test('selection follows the schema: concepts by label, connections at the top, no records', async () => {
  const T = (kind, name, ofType) => ({ kind, name: name || null, ofType: ofType || null });
  const list = (t) => T('NON_NULL', null, T('LIST', null, T('NON_NULL', null, t)));
  const f = (name, type, args = []) => ({ name, description: null, args, type });
  const lang = [{ name: 'lang', type: { kind: 'SCALAR' }, defaultValue: null }];
  const page = [{ name: 'first', type: { kind: 'SCALAR' }, defaultValue: null }];
  const types = {
    Dataset: [f('id', T('SCALAR', 'ID')), f('types', list(T('SCALAR', 'ID'))), f('title', list(T('SCALAR', 'String')), lang),
      f('titleLangs', list(T('OBJECT', 'LangString'))), f('condition', T('OBJECT', 'Concept')),
      f('publisher', T('OBJECT', 'Organization')), f('distributions', T('NON_NULL', null, T('OBJECT', 'DistributionConnection')), page),
      f('patients', T('NON_NULL', null, T('OBJECT', 'PatientConnection')), page),
      f('needsArg', T('SCALAR', 'Int'), [{ name: 'x', type: { kind: 'NON_NULL' }, defaultValue: null }])],
    Concept: [f('id', T('SCALAR', 'ID')), f('label', T('SCALAR', 'String'), lang), f('broader', list(T('OBJECT', 'Concept')))],
    Organization: [f('id', T('SCALAR', 'ID')), f('name', list(T('SCALAR', 'String')), lang), f('country', list(T('OBJECT', 'Concept'))),
      f('datasets', T('OBJECT', 'DatasetConnection'), page)],
    DistributionConnection: [f('totalCount', T('SCALAR', 'Int')), f('nodes', list(T('OBJECT', 'Distribution')))],
    Distribution: [f('id', T('SCALAR', 'ID')), f('format', T('OBJECT', 'Concept')), f('byteSize', T('SCALAR', 'Int'))],
    PatientConnection: [f('totalCount', T('SCALAR', 'Int')), f('nodes', list(T('OBJECT', 'Patient')))],
    Patient: [f('id', T('SCALAR', 'ID'))],
    DatasetConnection: [f('nodes', list(T('OBJECT', 'Dataset')))],
    LangString: [f('value', T('SCALAR', 'String'))],
  };
  let requests = 0;
  globalThis.fetch = async (url, init) => {
    requests++;
    const q = JSON.parse(init.body).query;
    const data = {};
    for (const m of q.matchAll(/(t\d+): __type\(name: "(\w+)"\)/g)) data[m[1]] = types[m[2]] ? { name: m[2], kind: 'OBJECT', fields: types[m[2]] } : null;
    return { status: 200, statusText: 'OK', json: async () => ({ data }) };
  };
  await api.loadTypes(['Dataset'], 3);
  assert.ok(requests >= 2 && requests <= 4, `loadTypes made ${requests} requests`);
  assert.equal(api.selection('Dataset', 2),
    'id title(lang: $lang) condition { id label(lang: $lang) } publisher { id name(lang: $lang) country { id label(lang: $lang) } } ' +
    'distributions(first: 20) { totalCount nodes { id format { id label(lang: $lang) } byteSize } }');
  const r = api.roleSelection('Dataset', { title: ['title'], publisher: ['publisher'], nope: ['missing'] });
  assert.equal(r.fields, 'id title(lang: $lang) publisher { id name(lang: $lang) country { id label(lang: $lang) } }');
  assert.deepEqual(r.names, { title: 'title', publisher: 'publisher' });
});

test('gql reports API errors in both formats', async () => {
  const answer = (status, body) => { globalThis.fetch = async () => ({ status, statusText: 'x', json: async () => body }); };
  answer(400, { errors: [{ message: 'Syntax Error: bad', locations: [{ line: 1, column: 2 }] }] });
  await assert.rejects(api.gql('{'), { name: 'APIError', message: 'Syntax Error: bad' });
  answer(503, { error: { code: 'no_schema', message: 'GraphQL is not configured' } });
  await assert.rejects(api.gql('{ a }'), { message: 'GraphQL is not configured', status: 503 });
  answer(200, { data: { a: 1 }, errors: [{ message: 'partly', path: ['a', 'b'] }] });
  let partial = null;
  assert.deepEqual(await api.gql('{ a }', {}, { onPartial: (e) => { partial = e; } }), { a: 1 });
  assert.equal(partial.message, 'partly (at a.b)');
  globalThis.fetch = async () => { throw new TypeError('Failed to fetch'); };
  await assert.rejects(api.gql('{ a }'), /cannot be reached/);
});

test('unescapeHTML decodes what the API escapes, once', () => {
  for (const [in_, want] of [['a &amp; b', 'a & b'], ['&lt;em&gt;', '<em>'], ['&amp;lt;', '&lt;'], ['&quot;x&#39;', '"x\''], ['&nbsp;', '&nbsp;']]) {
    assert.equal(dom.unescapeHTML(in_), want, `unescapeHTML(${in_})`);
  }
});
