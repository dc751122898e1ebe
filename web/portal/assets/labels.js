// A session-wide cache of concept labels by IRI, so filters chosen on one
// page (or from a suggestion) keep their names on the next.

const KEY = 'tessera.labels';

/** labels maps concept IRIs to display labels. */
export const labels = new Map();

try {
  for (const [k, v] of JSON.parse(sessionStorage.getItem(KEY) || '[]')) labels.set(k, v);
} catch { /* storage may be disabled or hold garbage */ }

let pending = false;

/** remember records the label of an IRI (and saves the cache soon after). */
export function remember(iri, label) {
  if (!iri || !label || labels.get(iri) === label) return;
  labels.set(iri, label);
  if (pending) return;
  pending = true;
  setTimeout(() => {
    pending = false;
    try {
      sessionStorage.setItem(KEY, JSON.stringify([...labels].slice(-2000)));
    } catch { /* quota or disabled: the cache stays in memory */ }
  }, 500);
}
