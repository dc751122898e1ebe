// End-to-end test of `tessera serve` with a real non-Go SPARQL client
// (fetch-sparql-endpoint, parsing with n3). .ci/client-test starts the server
// on a fresh data directory with the demo catalogue and a write token, then
// runs:
//
//   TESSERA_URL=http://127.0.0.1:PORT TESSERA_WRITE_TOKEN=T node client.mjs
//
// The expected answers are not written here: they are computed by parsing the
// demo catalogue's own Turtle files (ontology/demo/data/fdp) with n3, so the
// test checks the server against an independent reading of the same data.
// Any mismatch prints what differed and exits non-zero.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SparqlEndpointFetcher } from 'fetch-sparql-endpoint';
import { Parser, StreamParser } from 'n3';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const base = process.env.TESSERA_URL;
const token = process.env.TESSERA_WRITE_TOKEN;
if (!base || !token) {
  console.error('set TESSERA_URL and TESSERA_WRITE_TOKEN');
  process.exit(2);
}
const endpoint = `${base}/sparql`;

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
// Graph and base IRIs as ontology/demo/demo.go loads the files.
const FDP_GRAPH = 'https://tessera.example/graph/provider/fdp-examples';
const FDP_DIR = join(root, 'ontology', 'demo', 'data', 'fdp');

let failures = 0;
function check(name, ok, detail) {
  if (ok) {
    console.log(`ok   ${name}`);
  } else {
    failures++;
    console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`);
  }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// termKey renders an RDF/JS term so that two readings of one term compare equal.
function termKey(t) {
  switch (t.termType) {
    case 'NamedNode': return `<${t.value}>`;
    case 'BlankNode': return `_:${t.value}`;
    case 'Literal':
      if (t.language) return `${JSON.stringify(t.value)}@${t.language}`;
      return `${JSON.stringify(t.value)}^^<${t.datatype.value}>`;
    default: return `${t.termType}:${t.value}`;
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

// expectedFromDemoFiles reads the FDP demo files: the distinct triples and
// the datasets with their titles.
function expectedFromDemoFiles() {
  const triples = new Set();
  const quads = [];
  for (const name of readdirSync(FDP_DIR).filter((n) => n.endsWith('.ttl')).sort()) {
    const parser = new Parser({ baseIRI: `https://tessera.example/demo/fdp/${name}`, blankNodePrefix: `${name}_` });
    for (const q of parser.parse(readFileSync(join(FDP_DIR, name), 'utf8'))) {
      const key = `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)}`;
      if (!triples.has(key)) {
        triples.add(key);
        quads.push(q);
      }
    }
  }
  const datasets = new Set(quads
    .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Dataset`)
    .map((q) => q.subject.value));
  const titles = quads
    .filter((q) => q.predicate.value === `${DCT}title` && datasets.has(q.subject.value))
    .map((q) => `${termKey(q.subject)} ${termKey(q.object)}`)
    .sort();
  return { count: triples.size, datasets: [...datasets].sort(), titles };
}

async function main() {
  const want = expectedFromDemoFiles();
  if (want.datasets.length === 0) throw new Error(`no dcat:Dataset in ${FDP_DIR}: the demo files moved?`);
  console.log(`demo files: ${want.count} triples, ${want.datasets.length} datasets`);

  const viaPost = new SparqlEndpointFetcher();                 // form-encoded POST
  const viaGet = new SparqlEndpointFetcher({ method: 'GET' }); // ?query=
  const withToken = new SparqlEndpointFetcher({ defaultHeaders: new Headers({ Authorization: `Bearer ${token}` }) });

  // SELECT, JSON results: the datasets and titles of the FDP graph.
  const titlesQuery = `PREFIX dcat: <${DCAT}> PREFIX dct: <${DCT}>
    SELECT ?d ?t WHERE { GRAPH <${FDP_GRAPH}> { ?d a dcat:Dataset ; dct:title ?t } } ORDER BY ?d`;
  for (const [how, f] of [['GET', viaGet], ['POST', viaPost]]) {
    const rows = await collect(await f.fetchBindings(endpoint, titlesQuery));
    const got = rows.map((b) => `${termKey(b.d)} ${termKey(b.t)}`).sort();
    check(`SELECT (${how}) returns the ${want.titles.length} dataset titles of the demo files`, same(got, want.titles),
      `got ${JSON.stringify(got)}\n     want ${JSON.stringify(want.titles)}`);
    const order = rows.map((b) => b.d.value);
    check(`SELECT (${how}) honours ORDER BY`, same(order, [...order].sort()), JSON.stringify(order));
  }

  // SELECT with an aggregate: the size of the FDP graph.
  const countRows = await collect(await viaPost.fetchBindings(endpoint,
    `SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${FDP_GRAPH}> { ?s ?p ?o } }`));
  const n = countRows.length === 1 ? Number(countRows[0].n.value) : NaN;
  check('SELECT COUNT(*) of the FDP graph equals the triples in the demo files', n === want.count, `got ${n}, want ${want.count}`);

  // ASK, true and false.
  const asked = await viaGet.fetchAsk(endpoint,
    `ASK { GRAPH <${FDP_GRAPH}> { <${want.datasets[0]}> a <${DCAT}Dataset> } }`);
  check('ASK of a demo dataset is true', asked === true, `got ${asked}`);
  const askedNot = await viaPost.fetchAsk(endpoint, `ASK { <urn:tessera:ci:nothing> ?p ?o }`);
  check('ASK of an absent subject is false', askedNot === false, `got ${askedNot}`);

  // CONSTRUCT, parsed as Turtle by the client (n3 inside fetch-sparql-endpoint).
  const constructQuery = `PREFIX dcat: <${DCAT}> PREFIX dct: <${DCT}>
    CONSTRUCT { ?d dct:title ?t } WHERE { GRAPH <${FDP_GRAPH}> { ?d a dcat:Dataset ; dct:title ?t } }`;
  const triples = await collect(await viaPost.fetchTriples(endpoint, constructQuery));
  const gotTriples = triples.map((q) => `${termKey(q.subject)} ${termKey(q.object)}`).sort();
  check('CONSTRUCT as Turtle parses to the dataset titles', same(gotTriples, want.titles),
    `got ${JSON.stringify(gotTriples)}`);
  check('CONSTRUCT triples use dct:title', triples.every((q) => q.predicate.value === `${DCT}title`));

  // CONSTRUCT as N-Triples, fetched with plain fetch and parsed by n3.
  const ntResp = await fetch(`${endpoint}?query=${encodeURIComponent(constructQuery)}`, { headers: { Accept: 'application/n-triples' } });
  const ntType = (ntResp.headers.get('content-type') || '').split(';')[0].trim();
  check('CONSTRUCT negotiates application/n-triples', ntResp.status === 200 && ntType === 'application/n-triples',
    `status ${ntResp.status}, content type ${ntType}`);
  const ntQuads = await collect((await import('node:stream')).Readable.from([await ntResp.text()])
    .pipe(new StreamParser({ format: 'N-Triples' })));
  const gotNT = ntQuads.map((q) => `${termKey(q.subject)} ${termKey(q.object)}`).sort();
  check('CONSTRUCT as N-Triples parses to the dataset titles', same(gotNT, want.titles), `got ${JSON.stringify(gotNT)}`);

  // Updates: refused without the token, applied with it.
  const stamp = `run-${process.pid}-${Date.now()}`;
  const ciGraph = 'urn:tessera:ci:client';
  const insert = `INSERT DATA { GRAPH <${ciGraph}> { <urn:tessera:ci:s> <urn:tessera:ci:p> "${stamp}" } }`;
  const seeStamp = `SELECT ?o WHERE { GRAPH <${ciGraph}> { <urn:tessera:ci:s> <urn:tessera:ci:p> ?o } }`;
  let refused = '';
  try {
    await viaPost.fetchUpdate(endpoint, insert);
  } catch (err) {
    refused = String(err.message);
  }
  check('an update without the token is refused with 401', /HTTP status 401/.test(refused), refused || 'it was accepted');
  let rows = await collect(await viaPost.fetchBindings(endpoint, seeStamp));
  check('the refused update changed nothing', !rows.some((b) => b.o.value === stamp), JSON.stringify(rows));

  let badToken = '';
  try {
    await new SparqlEndpointFetcher({ defaultHeaders: new Headers({ Authorization: 'Bearer not-the-token' }) }).fetchUpdate(endpoint, insert);
  } catch (err) {
    badToken = String(err.message);
  }
  check('an update with a wrong token is refused with 401', /HTTP status 401/.test(badToken), badToken || 'it was accepted');

  await withToken.fetchUpdate(endpoint, insert);
  rows = await collect(await viaGet.fetchBindings(endpoint, seeStamp));
  check('INSERT DATA with the token is seen by the next SELECT', rows.some((b) => b.o.value === stamp), JSON.stringify(rows));

  await withToken.fetchUpdate(endpoint, `DROP GRAPH <${ciGraph}>`);
  rows = await collect(await viaGet.fetchBindings(endpoint, seeStamp));
  check('DROP GRAPH with the token removes it', rows.length === 0, JSON.stringify(rows));

  if (failures > 0) {
    console.error(`${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('client test passed');
}

main().catch((err) => {
  console.error(`client test error: ${err.stack || err}`);
  process.exit(1);
});
