// The portal's only way to the data: the public GraphQL API at /graphql.

/** APIError is an error answered by the API (GraphQL errors or the JSON error format). */
export class APIError extends Error {
  constructor(message, details, status) {
    super(message);
    this.name = 'APIError';
    this.details = details || [];
    this.status = status || 0;
  }
}

const endpoint = '/graphql';

/**
 * gql runs one GraphQL request and returns its data. It throws an APIError
 * when the request is refused or answers no data; errors beside data (a
 * partial answer) are reported to onPartial when given.
 */
export async function gql(query, variables, { signal, onPartial } = {}) {
  let res;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables: variables || {} }),
      signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new APIError(`the server cannot be reached (${err.message})`);
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`the API answered ${res.status} ${res.statusText} without a JSON body`, [], res.status);
  }
  if (body && body.error) {
    const e = body.error;
    const det = e.details === undefined ? [] : [typeof e.details === 'string' ? e.details : JSON.stringify(e.details)];
    throw new APIError(e.message || e.code || `HTTP ${res.status}`, det, res.status);
  }
  const errors = (body && body.errors) || [];
  const msgs = errors.map((e) => e.message + (e.path ? ` (at ${e.path.join('.')})` : ''));
  if (!body || body.data === undefined || body.data === null) {
    throw new APIError(msgs[0] || `the API answered ${res.status} without data`, msgs.slice(1), res.status);
  }
  if (msgs.length && onPartial) onPartial(new APIError(msgs[0], msgs.slice(1), res.status));
  return body.data;
}

// ---- Schema introspection: the Dataset type is generated from the SHACL
// shapes, so the portal asks the API which fields it has instead of
// hard-coding names that change with the shapes.

const typeRef = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
const typeFields = `name kind fields { name description args { name type { kind } defaultValue } type { ${typeRef} } }`;

const types = new Map();

/** named unwraps NON_NULL and LIST to the named type of a field. */
export function named(t) {
  while (t && t.ofType) t = t.ofType;
  return t || {};
}

/** isList reports whether a field's type is a list. */
export function isList(t) {
  for (; t; t = t.ofType) if (t.kind === 'LIST') return true;
  return false;
}

/** loadTypes fetches (and caches) the named types and those they reach, to depth levels. */
export async function loadTypes(names, depth) {
  let todo = names.filter((n) => !types.has(n));
  for (let level = 0; level <= depth && todo.length; level++) {
    const q = todo.map((n, i) => `t${i}: __type(name: ${JSON.stringify(n)}) { ${typeFields} }`).join('\n');
    const data = await gql(`query PortalTypes {\n${q}\n}`);
    const next = [];
    todo.forEach((n, i) => {
      const t = data[`t${i}`];
      types.set(n, t || null);
      if (!t || !t.fields) return;
      for (const f of t.fields) {
        const nt = named(f.type);
        if ((nt.kind === 'OBJECT' || nt.kind === 'INTERFACE') && !types.has(nt.name) && !next.includes(nt.name)) next.push(nt.name);
      }
    });
    todo = next;
  }
}

/** typeOf returns an introspected type (after loadTypes) or null. */
export function typeOf(name) {
  return types.get(name) || null;
}

function callable(f) {
  // Fields whose arguments we cannot fill (required, not lang) are skipped.
  return f.args.every((a) => a.name === 'lang' || a.type.kind !== 'NON_NULL' || a.defaultValue !== null);
}

function langArg(f) {
  return f.args.some((a) => a.name === 'lang') ? '(lang: $lang)' : '';
}

/** isConceptType: a vocabulary term (it has a label), shown by its label, never expanded. */
function isConceptType(t) {
  return !!(t && t.fields && t.fields.some((g) => g.name === 'label') && !t.fields.some((g) => g.name === 'title' || g.name === 'name'));
}

/** connectionNode returns the node type of a Relay-style connection type, or null. */
function connectionNode(t) {
  const f = t && t.fields && t.fields.find((g) => g.name === 'nodes');
  return f ? named(f.type).name : null;
}

/** recordTypes hold record-level data (patients, studies): the portal shows them only as cohort counts. */
const recordTypes = /^(Patient|ImagingStudy|ImagingSeries|Series|Study)$/;

/** skipField: alternative-language lists and type lists repeat what other fields say. */
function skipField(f) {
  return f.name.startsWith('__') || f.name === 'types' || /Langs$/.test(f.name) || !callable(f);
}

function conceptSel(t) {
  const lbl = t.fields.find((g) => g.name === 'label');
  return `id label${langArg(lbl)}`;
}

/**
 * selection builds a GraphQL selection set for the fields of typeName:
 * scalars, concepts as id and label, other objects to depth levels, and
 * (at the top level only) connections' first page, never record-level
 * types and never a type already on the path.
 */
export function selection(typeName, depth, seen = new Set()) {
  const t = types.get(typeName);
  if (!t || !t.fields) return '';
  const parts = [];
  const inner = new Set(seen).add(typeName);
  const top = seen.size === 0;
  for (const f of t.fields) {
    if (skipField(f)) continue;
    const nt = named(f.type);
    const ft = types.get(nt.name);
    if (nt.kind === 'SCALAR' || nt.kind === 'ENUM') {
      parts.push(f.name + langArg(f));
      continue;
    }
    if (nt.kind !== 'OBJECT' && nt.kind !== 'INTERFACE') continue;
    if (isConceptType(ft)) {
      parts.push(`${f.name}${langArg(f)} { ${conceptSel(ft)} }`);
      continue;
    }
    const node = connectionNode(ft);
    if (node) {
      if (!top || recordTypes.test(node) || inner.has(node) || depth <= 0) continue;
      const sub = selection(node, depth - 1, inner);
      const args = f.args.some((a) => a.name === 'first') ? '(first: 20)' : '';
      if (sub) parts.push(`${f.name}${args} { totalCount nodes { ${sub} } }`);
      continue;
    }
    if (recordTypes.test(nt.name) || inner.has(nt.name)) continue;
    if (depth > 0) {
      const sub = selection(nt.name, depth - 1, inner);
      if (sub) parts.push(`${f.name}${langArg(f)} { ${sub} }`);
    } else if (ft && ft.fields) {
      // At the last level keep an object's identity so it can still be shown.
      const ids = ft.fields.filter((g) => ['id', 'label', 'name', 'title'].includes(g.name) && named(g.type).kind === 'SCALAR');
      if (ids.length) parts.push(`${f.name}${langArg(f)} { ${ids.map((g) => g.name + langArg(g)).join(' ')} }`);
    }
  }
  return parts.join(' ');
}

/**
 * field finds the Dataset field playing a role: the first candidate name
 * that exists exactly, else one whose name contains a candidate.
 */
export function field(typeName, candidates) {
  const t = types.get(typeName);
  if (!t || !t.fields) return null;
  for (const c of candidates) {
    const f = t.fields.find((g) => g.name === c);
    if (f) return f;
  }
  for (const c of candidates) {
    const f = t.fields.find((g) => g.name.toLowerCase().includes(c.toLowerCase()));
    if (f) return f;
  }
  return null;
}

/** roleSelection selects the fields playing the given roles (name → candidates) of typeName. */
export function roleSelection(typeName, roles, depth = 1) {
  const out = ['id'];
  const names = {};
  for (const [role, cands] of Object.entries(roles)) {
    const f = field(typeName, cands);
    if (!f || out.some((p) => p === f.name || p.startsWith(f.name + '(') || p.startsWith(f.name + ' '))) {
      if (f) names[role] = f.name;
      continue;
    }
    names[role] = f.name;
    const nt = named(f.type);
    if (nt.kind === 'SCALAR' || nt.kind === 'ENUM') out.push(f.name + langArg(f));
    else if (isConceptType(types.get(nt.name))) out.push(`${f.name}${langArg(f)} { ${conceptSel(types.get(nt.name))} }`);
    else {
      const sub = selection(nt.name, depth - 1, new Set([typeName]));
      if (sub) out.push(`${f.name}${langArg(f)} { ${sub} }`);
    }
  }
  return { fields: out.join(' '), names };
}

/** The roles the portal shows of a dataset, with the field names they may have. */
export const datasetRoles = {
  title: ['title'],
  description: ['description'],
  keyword: ['keywords', 'keyword'],
  publisher: ['publisher'],
  subjects: ['numberOfUniqueIndividuals', 'uniqueIndividuals', 'individuals', 'subjects'],
  studies: ['numberOfRecords', 'records', 'studies'],
  condition: ['condition', 'hasCondition', 'conditions'],
  modality: ['imageModality', 'hasImageModality', 'modality', 'modalities'],
  bodyPart: ['bodyPart', 'imageBodyPart', 'hasImageBodyPart', 'bodyParts'],
  sex: ['birthSex', 'sex'],
  country: ['spatialCoverage', 'spatial'],
  tier: ['interoperabilityLevel', 'tier'],
  minAge: ['minimumTypicalAge', 'minTypicalAge', 'minAge'],
  maxAge: ['maximumTypicalAge', 'maxTypicalAge', 'maxAge'],
  accessRights: ['accessRights'],
  distribution: ['distributions', 'distribution'],
  contactPoint: ['contactPoint'],
  issued: ['issued'],
  temporal: ['temporalCoverage', 'temporal'],
  modified: ['modified'],
};

// ---- Values of generated fields, whatever their shape.

/** label renders one value of a generated field as text. */
export function label(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(label).filter(Boolean).join(', ');
  if (typeof v !== 'object') return String(v);
  for (const k of ['label', 'prefLabel', 'name', 'title', 'fn', 'value']) {
    if (v[k] !== undefined && v[k] !== null && label(v[k]) !== '') return label(v[k]);
  }
  if (v.id) {
    const m = String(v.id).match(/[#/]([^#/]+)\/?$/);
    return m ? decodeURIComponent(m[1]) : String(v.id);
  }
  return '';
}

/** list returns a field's values as an array (single values become one element, a connection its nodes). */
export function list(v) {
  if (v === null || v === undefined || v === '') return [];
  if (typeof v === 'object' && !Array.isArray(v) && Array.isArray(v.nodes)) return v.nodes;
  return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined) : [v];
}

/** first returns the first value of a field (lists give their first element). */
export function first(v) {
  return list(v)[0];
}
