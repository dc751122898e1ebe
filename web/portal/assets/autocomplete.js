// A combobox with a listbox popup (WAI-ARIA 1.2 combobox pattern): typing
// asks suggestions, arrows move, Enter picks, Escape closes.

import { debounce, h, replace, uid } from './dom.js';
import { gql } from './api.js';

const conceptQuery = `query PortalConcepts($text: String!, $scheme: ConceptScheme, $lang: String, $first: Int) {
  concepts(text: $text, scheme: $scheme, lang: $lang, first: $first) { id label lang matched kind score scheme }
}`;

/** schemeNames are readable names of the ConceptScheme enum. */
export const schemeNames = { CANCER_TYPE: 'cancer type', MODALITY: 'modality', BODY_PART: 'body part', SEX: 'sex' };

/** conceptSource returns a suggestion source over the concepts query. */
export function conceptSource({ scheme = null, lang, first = 8 }) {
  return async (text, signal) => {
    const data = await gql(conceptQuery, { text, scheme, lang: lang(), first }, { signal });
    return data.concepts || [];
  };
}

/**
 * attach turns input into a combobox. source(text, signal) returns
 * suggestions; onPick(item) is called with the chosen one. Each item shows
 * its label, what matched (a synonym or another language) and its scheme.
 */
export function attach(input, { source, onPick, minChars = 2, onError }) {
  const listId = uid('listbox');
  const status = h('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const list = h('ul', { id: listId, role: 'listbox', class: 'listbox', hidden: true, 'aria-label': 'Suggestions' });
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('autocomplete', 'off');
  const wrap = input.parentElement;
  wrap.classList.add('combo');
  wrap.append(list, status);

  let items = [];
  let active = -1;
  let ctrl = null;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(i) {
    const opts = list.querySelectorAll('[role=option]');
    opts.forEach((o, j) => o.setAttribute('aria-selected', j === i ? 'true' : 'false'));
    active = i;
    if (i >= 0 && opts[i]) {
      input.setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function pick(i) {
    const item = items[i];
    close();
    if (item) onPick(item);
  }

  function render() {
    replace(list, items.map((it, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', class: 'option',
      onmousedown: (ev) => { ev.preventDefault(); pick(i); },
    },
    h('span', { class: 'opt-label' }, it.label),
    it.matched && it.matched.toLowerCase() !== String(it.label).toLowerCase() ? h('span', { class: 'opt-matched' }, ` — ${it.matched}${it.lang ? ` (${it.lang})` : ''}`) : null,
    it.scheme ? [h('span', { class: 'visually-hidden' }, ', '), h('span', { class: 'opt-scheme' }, schemeNames[it.scheme] || it.scheme)] : null)));
    const open = items.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    status.textContent = open ? `${items.length} suggestion${items.length === 1 ? '' : 's'}, use the arrow keys to choose` : (input.value.trim().length >= minChars ? 'No suggestions' : '');
    setActive(-1);
  }

  const ask = debounce(async () => {
    const text = input.value.trim();
    if (ctrl) ctrl.abort();
    if (text.length < minChars) {
      items = [];
      render();
      return;
    }
    ctrl = new AbortController();
    try {
      items = await source(text, ctrl.signal);
      if (document.activeElement === input) render();
    } catch (err) {
      if (err.name === 'AbortError') return;
      items = [];
      render();
      if (onError) onError(err);
    }
  }, 150);

  input.addEventListener('input', ask);
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden;
    switch (ev.key) {
      case 'ArrowDown':
        ev.preventDefault();
        if (!open) { ask(); return; }
        setActive(Math.min(active + 1, items.length - 1));
        break;
      case 'ArrowUp':
        if (!open) return;
        ev.preventDefault();
        setActive(Math.max(active - 1, 0));
        break;
      case 'Home':
      case 'End':
        if (!open || active < 0) return;
        ev.preventDefault();
        setActive(ev.key === 'Home' ? 0 : items.length - 1);
        break;
      case 'Enter':
        if (open && active >= 0) {
          ev.preventDefault();
          pick(active);
        } else close();
        break;
      case 'Escape':
        if (open) {
          ev.preventDefault();
          close();
        }
        break;
      case 'Tab':
        close();
        break;
      default:
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return { close };
}
