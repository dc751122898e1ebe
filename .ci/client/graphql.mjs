// End-to-end test of `tessera serve`'s GraphQL endpoint with real GraphQL
// clients: graphql-request (as a portal would use it) and the reference
// graphql-js implementation (introspection, schema building, validation of
// the playground's examples). .ci/client-test starts the server with the demo
// catalogue and runs:
//
//   TESSERA_URL=http://127.0.0.1:PORT TESSERA_WRITE_TOKEN=T node graphql.mjs
//
// Expected answers come from the server's SPARQL endpoint (an independent
// path through the same data) or from the demo files, never from constants
// copied from a previous run. Any mismatch prints what differed and exits
// non-zero.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLClient, ClientError } from 'graphql-request';
import { buildClientSchema, getIntrospectionQuery, parse, printSchema, validate } from 'graphql';
import { SparqlEndpointFetcher } from 'fetch-sparql-endpoint';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const base = process.env.TESSERA_URL;
const token = process.env.TESSERA_WRITE_TOKEN;
if (!base || !token) {
  console.error('set TESSERA_URL and TESSERA_WRITE_TOKEN');
  process.exit(2);
}
const endpoint = `${base}/graphql`;
const EXAMPLES = join(root, 'web', 'playground', 'examples');
const HEALTH = 'https://w3id.org/healthdcat-ap#';
const HEALTH_LEGACY = 'http://healthdataportal.eu/ns/health#';
const DCAT = 'http://www.w3.org/ns/dcat#';

let failures = 0;
function check(name, ok, detail) {
  if (ok) {
    console.log(`ok   graphql: ${name}`);
  } else {
    failures++;
    console.log(`FAIL graphql: ${name}${detail ? `\n     ${detail}` : ''}`);
  }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const short = (v) => String(JSON.stringify(v)).slice(0, 600);

// expectError runs a request that must fail and returns the ClientError.
async function expectError(fn) {
  try {
    const res = await fn();
    return { unexpected: res };
  } catch (err) {
    if (err instanceof ClientError) return err;
    throw err;
  }
}

function collect(stream) {
  return new Promise((resolve, reject) => {
    const out = [];
    stream.on('data', (d) => out.push(d));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

function examples() {
  return readdirSync(EXAMPLES).filter((n) => n.endsWith('.graphql')).sort().map((n) => {
    const vars = join(EXAMPLES, n.replace(/\.graphql$/, '.json'));
    let variables;
    try {
      variables = JSON.parse(readFileSync(vars, 'utf8'));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
    return { name: n, query: readFileSync(join(EXAMPLES, n), 'utf8'), variables };
  });
}

async function main() {
  const client = new GraphQLClient(endpoint);
  const getClient = new GraphQLClient(endpoint, { method: 'GET' });
  const signedIn = new GraphQLClient(endpoint, { headers: { Authorization: `Bearer ${token}` } });
  const sparql = new SparqlEndpointFetcher();

  // 1. Introspection, as GraphiQL and code generators do it, read by graphql-js.
  const intro = await client.request(getIntrospectionQuery());
  const schema = buildClientSchema(intro);
  const query = schema.getQueryType();
  check('introspection builds a client schema with a Query root', query && query.name === 'Query');
  check('the schema has the generated Dataset type and datasets list', !!schema.getType('Dataset') && !!query.getFields().datasets);
  check('the schema prints as SDL', printSchema(schema).includes('type Dataset'));

  // 2. Every example the playground preloads validates against the served schema
  //    and runs without errors.
  const discovery = ['search', 'facets', 'cohort', 'concepts'].filter((f) => query.getFields()[f]);
  for (const ex of examples()) {
    const doc = parse(ex.query);
    const roots = doc.definitions[0].selectionSet.selections.map((s) => s.name.value);
    const missing = roots.filter((r) => !query.getFields()[r]);
    if (missing.length > 0 && missing.every((r) => ['search', 'facets', 'cohort', 'concepts'].includes(r))) {
      console.log(`skip graphql: example ${ex.name}: the server has no discovery field ${missing.join(', ')} yet`);
      continue;
    }
    const errors = validate(schema, doc);
    check(`example ${ex.name} validates against the served schema`, errors.length === 0, errors.map((e) => e.message).join('; '));
    if (errors.length > 0) continue;
    const res = await client.rawRequest(ex.query, ex.variables);
    check(`example ${ex.name} runs without errors`, !res.errors && res.data, short(res.errors));
  }

  // 3. A discovery query (when the discovery API is served): search without
  //    text lists every dataset, as many as SPARQL counts.
  const [countRow] = await collect(await sparql.fetchBindings(`${base}/sparql`,
    `SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <${DCAT}Dataset> }`));
  const datasetCount = Number(countRow.n.value);
  if (discovery.includes('search')) {
    const res = await client.request(`query All($first: Int) { search(first: $first) { totalCount edges { node { id } } } }`, { first: 5 });
    check('search() without text counts every dataset', res.search.totalCount === datasetCount,
      `search ${res.search.totalCount}, SPARQL ${datasetCount}`);
    check('search() pages by first', res.search.edges.length === Math.min(5, datasetCount), short(res.search.edges));
  } else {
    console.log('skip graphql: discovery search: the server has no search field yet');
  }

  // 4. A list query with where and orderBy, over GET, equals SPARQL.
  const min = 300;
  const listQuery = `query Big($min: Int!) {
    datasets(where: { numberOfUniqueIndividuals: { gte: $min } }, orderBy: [{ numberOfUniqueIndividuals: DESC }], first: 5) {
      totalCount nodes { id numberOfUniqueIndividuals }
    } }`;
  const list = await getClient.request(listQuery, { min });
  const rows = await collect(await sparql.fetchBindings(`${base}/sparql`,
    `SELECT ?d (SAMPLE(?v) AS ?n) WHERE { ?d a <${DCAT}Dataset> . { ?d <${HEALTH}numberOfUniqueIndividuals> ?v } UNION { ?d <${HEALTH_LEGACY}numberOfUniqueIndividuals> ?v } FILTER(?v >= ${min}) }
     GROUP BY ?d ORDER BY DESC(?n) STR(?d)`));
  check('where numberOfUniqueIndividuals >= 300: totalCount equals SPARQL', list.datasets.totalCount === rows.length,
    `GraphQL ${list.datasets.totalCount}, SPARQL ${rows.length}`);
  const wantTop = rows.slice(0, 5).map((b) => [b.d.value, Number(b.n.value)]);
  const gotTop = list.datasets.nodes.map((n) => [n.id, n.numberOfUniqueIndividuals]);
  check('orderBy numberOfUniqueIndividuals DESC (ties by id) equals SPARQL ORDER BY', same(gotTop, wantTop),
    `GraphQL ${short(gotTop)}\n     SPARQL  ${short(wantTop)}`);

  // 5. An execution error carries its path; a non-null field's error nulls
  //    its nullable parent (dataset), the other fields keep their data.
  const someDataset = list.datasets.nodes[0]?.id;
  const pathErr = await expectError(() => client.request(`query($id: ID!) {
    dataset(id: $id) { distributions(first: 1, after: "not-a-cursor") { totalCount } }
    organizations(first: 1) { totalCount } }`, { id: someDataset }));
  const resp = pathErr.response;
  const perr = resp?.errors?.[0];
  check('a bad cursor is a field error with its path', perr && same(perr.path, ['dataset', 'distributions']), short(resp ?? pathErr.unexpected));
  check('a field error is HTTP 200 with data: the nullable parent is null, the rest kept',
    resp?.status === 200 && resp.data?.dataset === null && resp.data?.organizations?.totalCount > 0, short(resp));

  // 6. Hostile queries are refused before execution: 400, no data, a clear message.
  const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: datasets(first: 1) { totalCount }`).join(' ')} }`;
  const deep = `{ datasets(first: 1) { nodes { ${'publisher { datasets(first: 1) { nodes { '.repeat(12)}id${' } } }'.repeat(12)} } } }`;
  const huge = `{ datasets(first: 1000000) { nodes { id } } }`;
  for (const [what, q, word] of [['1000 aliases', aliases, /alias/i], ['deep nesting', deep, /depth|deep/i], ['a huge first', huge, /first|complexity|limit/i]]) {
    const err = await expectError(() => client.request(q));
    const resp = err.response;
    check(`${what} is refused with 400 and no data`, resp?.status === 400 && resp.data === undefined && resp.errors?.length > 0,
      short(resp ?? err.unexpected));
    check(`${what}: the message says why`, word.test(resp?.errors?.[0]?.message ?? ''), resp?.errors?.[0]?.message);
  }

  // 7. A syntax error is refused with its location.
  const syn = await expectError(() => client.request('{ datasets(first: ) { totalCount } }'));
  check('a syntax error is 400 with a location', syn.response?.status === 400 && syn.response.errors?.[0]?.locations?.[0]?.line === 1,
    short(syn.response ?? syn.unexpected));

  // 8. Mutations over GET are 405 (GraphQL over HTTP §7.x).
  const mget = await fetch(`${endpoint}?query=${encodeURIComponent('mutation { x }')}`, { headers: { Accept: 'application/graphql-response+json' } });
  check('a mutation over GET is 405 with Allow: POST', mget.status === 405 && mget.headers.get('allow') === 'POST', `${mget.status} ${mget.headers.get('allow')}`);

  // 9. explain=true returns the generated algebra in extensions.
  const explained = await new GraphQLClient(`${endpoint}?explain=true`).rawRequest('{ datasets(first: 1) { nodes { id } } }');
  check('?explain=true returns extensions.explain', explained.extensions && explained.extensions.explain !== undefined, short(explained.extensions));

  // 10. The operator token signs in (Registered): it opens the records of
  //     registered graphs, so it sees more patients than an anonymous caller.
  const patientsQ = '{ patients(first: 1) { totalCount } }';
  const anon = (await client.request(patientsQ)).patients.totalCount;
  const reg = (await signedIn.request(patientsQ)).patients.totalCount;
  check('signed in (operator token) sees more patients than anonymous', reg > anon, `anonymous ${anon}, signed in ${reg}`);
  const wrong = await expectError(() => new GraphQLClient(endpoint, { headers: { Authorization: 'Bearer not-the-token' } }).request(patientsQ));
  check('a wrong bearer token is 401', wrong.response?.status === 401, short(wrong.response ?? wrong.unexpected));

  // 11. The playground: HTML with a CSP, every script and stylesheet served by
  //     the server itself.
  const page = await fetch(endpoint, { headers: { Accept: 'text/html' } });
  const html = await page.text();
  check('GET /graphql for a browser is the playground (text/html, CSP)',
    page.status === 200 && page.headers.get('content-type').startsWith('text/html') && /script-src 'self'/.test(page.headers.get('content-security-policy') || ''),
    `${page.status} ${page.headers.get('content-type')}`);
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  check('the playground loads at least 4 files, all from the server', refs.length >= 4 && refs.every((r) => r.startsWith('/')), short(refs));
  for (const ref of refs) {
    const r = await fetch(new URL(ref, base));
    const body = await r.arrayBuffer();
    check(`playground file ${ref.split('?')[0]} is served`, r.status === 200 && body.byteLength > 0, `${r.status}`);
  }

  if (failures > 0) {
    console.error(`${failures} GraphQL check(s) failed`);
    process.exit(1);
  }
  console.log('graphql client test passed');
}

main().catch((err) => {
  console.error(`graphql client test error: ${err.stack || err}`);
  process.exit(1);
});
