// Entry point: a small router over three views (search, dataset, cohort).
// The URL holds all view state, so links, reload and back/forward work.

import { errorBox, replace } from './dom.js';

const main = document.getElementById('main');
const langSelect = document.getElementById('lang');

const views = {
  search: () => import('./search.js'),
  dataset: () => import('./dataset.js'),
  cohort: () => import('./cohort.js'),
};

/** viewOf names the view of a path. */
function viewOf(path) {
  if (path === '/portal/dataset') return 'dataset';
  if (path === '/portal/cohort') return 'cohort';
  return 'search';
}

/** lang returns the data language: the URL's, else the stored choice, else the browser's. */
export function lang() {
  const p = new URLSearchParams(location.search).get('lang');
  if (p) return p;
  try {
    const s = localStorage.getItem('tessera.lang');
    if (s) return s;
  } catch { /* storage may be disabled */ }
  const nav = (navigator.language || 'en').slice(0, 2).toLowerCase();
  return [...langSelect.options].some((o) => o.value === nav) ? nav : 'en';
}

let current = null; // { name, view }
let generation = 0;

/** navigate moves to url (same origin); replace=true rewrites the current history entry. */
export function navigate(url, { replace: rep = false, state = null } = {}) {
  const u = new URL(url, location.href);
  if (u.origin !== location.origin) {
    location.href = u.href;
    return;
  }
  const moved = u.pathname !== location.pathname;
  if (rep) history.replaceState(state, '', u.pathname + u.search + u.hash);
  else history.pushState(state, '', u.pathname + u.search + u.hash);
  route();
  if (moved) window.scrollTo(0, 0);
}

async function route() {
  const gen = ++generation;
  const name = viewOf(location.pathname);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  langSelect.value = lang();
  try {
    if (current && current.name === name && current.view.update) {
      current.view.update();
      return;
    }
    if (current && current.view.unmount) current.view.unmount();
    const mod = await views[name]();
    if (gen !== generation) return;
    const first = current === null;
    const view = mod.mount(main, { navigate, lang });
    current = { name, view };
    // A new page: move focus to its heading, as a page load would for a screen reader.
    if (!first) {
      const h1 = main.querySelector('h1');
      if (h1) h1.focus({ preventScroll: true });
    }
  } catch (err) {
    replace(main, errorBox(err, 'load this page'));
  }
}

// Internal links are followed without reloading the page.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest('a[data-link]');
  if (!a || a.target) return;
  ev.preventDefault();
  navigate(a.href);
});

window.addEventListener('popstate', route);

langSelect.addEventListener('change', () => {
  try {
    localStorage.setItem('tessera.lang', langSelect.value);
  } catch { /* storage may be disabled */ }
  const u = new URL(location.href);
  u.searchParams.set('lang', langSelect.value);
  navigate(u.href, { replace: true, state: history.state });
});

route();
