package portal_test

// The portal in a real browser: headless Debian chromium driven by chromedp
// through the web/browsertest harness, against `tessera serve --demo`. Like
// every browser test they run only with TESSERA_BROWSER=1 (make
// browser-test); the harness fails a test on any request to another origin,
// uncaught exception or CSP violation. Screenshots of each step go to
// test-results/portal/.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tessera-fair/tessera/web/browsertest"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// shots numbers the screenshots of all the tests of this package in the
// order they are taken.
var shots struct {
	sync.Mutex
	n int
}

// shot saves a screenshot of the whole page as test-results/portal/NN-name.png.
func shot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	png, err := chromedp.Run(b.Context(), chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv(browsertest.EnvResults)
	if dir == "" {
		dir = filepath.Join("..", "..", "test-results")
	}
	dir = filepath.Join(dir, "portal")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shots.Lock()
	shots.n++
	file := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", shots.n, name))
	shots.Unlock()
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", file)
}

// await evaluates an expression whose value may be a promise.
func await[T any](t *testing.T, b *browsertest.Browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.Context(), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// settled is true once the search view has answered the current URL.
const settled = `(() => { const s = document.querySelector('.results-col'); const c = document.getElementById('result-count');
  return !!(s && s.getAttribute('aria-busy') === 'false' && c && /match|failed/.test(c.textContent)); })()`

var countRE = regexp.MustCompile(`^([\d,]+) datasets? match`)

// total reads the result count the search page announces.
func total(t *testing.T, b *browsertest.Browser) int {
	t.Helper()
	s := browsertest.Eval[string](b, `document.getElementById('result-count').textContent`)
	if strings.HasPrefix(s, "No datasets") {
		return 0
	}
	m := countRE.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("result count %q is not a count", s)
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n
}

// axe injects axe-core (testdata/axe, installed with npm ci when missing),
// logs every violation of the current page and fails the test on serious
// or critical ones.
func axe(t *testing.T, b *browsertest.Browser, page string) {
	t.Helper()
	dir := filepath.Join("testdata", "axe")
	file := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(file); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
		}
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_ = await[bool](t, b, string(src)+";true")
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	}
	vs := await[[]violation](t, b, `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)`)
	var serious []string
	for _, v := range vs {
		line := fmt.Sprintf("%s (%s): %s; %d nodes, first %v", v.ID, v.Impact, v.Help, len(v.Nodes), v.Nodes[0].Target)
		t.Logf("axe on the %s: %s", page, line)
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, line)
		}
	}
	t.Logf("axe on the %s: %d violations, %d serious or critical", page, len(vs), len(serious))
	if len(serious) > 0 {
		t.Errorf("axe on the %s: serious or critical violations:\n%s", page, strings.Join(serious, "\n"))
	}
}

// pickModality returns the id of the CT checkbox of a list (else the first)
// with its label and the count it shows.
func pickModality(t *testing.T, b *browsertest.Browser, inputs string) (id, label string, count int) {
	t.Helper()
	v := browsertest.Eval[map[string]any](b, `(() => {
	  const items = [...document.querySelectorAll(`+strconv.Quote(inputs)+`)];
	  const pick = items.find(i => /^(CT\b|Computed Tomography)/i.test(i.labels[0].textContent.trim())) || items[0];
	  if (!pick) return {};
	  const n = pick.labels[0].querySelector('.n');
	  return {id: pick.id, label: pick.labels[0].firstChild.textContent, count: n ? +n.textContent.replace(/,/g, '') : -1};
	})()`)
	id, _ = v["id"].(string)
	label, _ = v["label"].(string)
	c, _ := v["count"].(float64)
	if id == "" {
		t.Fatalf("no checkbox matches %s", inputs)
	}
	return id, label, int(c)
}

// requireCatalogue fails the test, with the reason, when the server has no
// working GraphQL API, and waits (up to a minute) until the discovery index
// lists datasets: `tessera serve` answers before it has built the index.
func requireCatalogue(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got := await[string](t, b, `fetch('/graphql', {method: 'POST', headers: {'Content-Type': 'application/json'},
		  body: JSON.stringify({query: '{ facets { totalCount } }'})})
		  .then(r => r.ok ? r.json().then(j => 'datasets ' + (j.data ? j.data.facets.totalCount : JSON.stringify(j.errors))) : r.status + ' ' + r.statusText)`)
		switch {
		case !strings.HasPrefix(got, "datasets "):
			t.Fatalf("POST /graphql { facets { totalCount } } = %s: the server has no GraphQL API with the discovery queries", got)
		case got != "datasets 0":
			return
		case time.Now().After(deadline):
			t.Fatalf("the discovery index still lists no dataset after a minute (%s)", got)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestPortalSearch: first paint, accessibility, keyboard autocomplete, a
// free-text search, a facet filter whose count the results confirm, and
// back/forward through the URL state.
func TestPortalSearch(t *testing.T) {
	b := browsertest.Start(t)
	// A same-origin page without assets first, so the paint time measures
	// the portal and not the start of a renderer; and no cache, so it is a
	// first visit.
	b.Open("/healthz")
	requireCatalogue(t, b)
	if _, err := chromedp.Call(b.Context(), network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatalf("disable the cache: %v", err)
	}
	b.Open("/")
	b.WaitTrue(settled)
	fcp := browsertest.Eval[float64](b, `(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: -1}).startTime`)
	nav := browsertest.Eval[map[string]float64](b, `(() => { const n = performance.getEntriesByType('navigation')[0]; return {ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: performance.getEntriesByType('resource').reduce((s, r) => s + r.encodedBodySize, n.encodedBodySize)}; })()`)
	t.Logf("first visit: first contentful paint %.0f ms; first byte %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms, %.0f bytes over the wire", fcp, nav["ttfb"], nav["dcl"], nav["load"], nav["bytes"])
	if fcp <= 0 || fcp > 1000 {
		t.Errorf("first contentful paint = %.0f ms, want 0..1000", fcp)
	}
	if _, err := chromedp.Call(b.Context(), network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: false}); err != nil {
		t.Fatalf("enable the cache: %v", err)
	}
	all := total(t, b)
	if all == 0 {
		t.Fatal("the empty search lists no dataset")
	}
	if n := b.Count("#facets details.facet"); n != 9 {
		t.Errorf("%d facet panels, want 9 (8 facets and the age range)", n)
	}
	shot(t, b, "search-all")
	axe(t, b, "search page")

	// Sorting and paging: most subjects first, then the next page continues
	// where the first stopped, and Previous comes back.
	subjects := `[...document.querySelectorAll('#results .card .meta')].map(m => +((m.textContent.match(/([\d,]+) subjects/) || [0, '-1'])[1].replace(/,/g, '')))`
	b.Do(chromedp.SetValue(chromedp.CSS("#sort"), "SUBJECTS"), chromedp.Evaluate[chromedp.Void](`document.getElementById('sort').dispatchEvent(new Event('change'))`))
	b.WaitTrue(`location.search.includes('sort=SUBJECTS') && ` + settled)
	page1 := browsertest.Eval[[]int](b, subjects)
	titles1 := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#results .card h3')].map(h => h.textContent)`)
	if all > 20 {
		b.Click(".pager button:last-child")
		b.WaitTrue(`location.search.includes('after=') && ` + settled)
		page2 := browsertest.Eval[[]int](b, subjects)
		titles2 := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#results .card h3')].map(h => h.textContent)`)
		t.Logf("sorted by subjects: page 1 %v, page 2 %v", page1, page2)
		if len(page1) != 20 || len(page2) == 0 || page2[0] > page1[len(page1)-1] {
			t.Errorf("page 2 does not continue page 1: %v then %v", page1, page2)
		}
		for _, x := range titles2 {
			if contains(titles1, x) {
				t.Errorf("%q is on both pages", x)
			}
		}
		b.Click(".pager button:first-child")
		b.WaitTrue(`!location.search.includes('after=') && ` + settled)
		if got := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#results .card h3')].map(h => h.textContent)`); len(got) == 0 || got[0] != titles1[0] {
			t.Errorf("Previous page: first result %v, want %q", got, titles1[0])
		}
	}
	for i := 1; i < len(page1); i++ {
		if page1[i] > page1[i-1] {
			t.Errorf("sorted by subjects, result %d has %d subjects after %d", i+1, page1[i], page1[i-1])
		}
	}
	b.Open("/")
	b.WaitTrue(settled)

	// Autocomplete: typing offers concepts; the keyboard moves and closes.
	b.Click("#q")
	b.SendKeys("#q", "lung")
	b.WaitTrue(`(() => { const l = document.querySelector('.listbox'); return !!l && !l.hidden && l.querySelectorAll('[role=option]').length > 0; })()`)
	if got := browsertest.Eval[string](b, `document.getElementById('q').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("combobox aria-expanded = %q with suggestions open", got)
	}
	b.Do(chromedp.KeyEvent(kb.ArrowDown))
	active := browsertest.Eval[string](b, `(() => { const id = document.getElementById('q').getAttribute('aria-activedescendant'); const o = id && document.getElementById(id); return o && o.getAttribute('aria-selected') === 'true' ? o.textContent : ''; })()`)
	if active == "" {
		t.Fatal("ArrowDown did not make a suggestion active (aria-activedescendant)")
	}
	t.Logf("first suggestion for \"lung\": %s", active)
	shot(t, b, "autocomplete")
	b.Do(chromedp.KeyEvent(kb.Escape))
	if browsertest.Eval[bool](b, `!document.querySelector('.listbox').hidden`) {
		t.Error("Escape left the suggestions open")
	}

	// Free text.
	b.Click(`form[role=search] button[type=submit]`)
	b.WaitTrue(`location.search.includes('q=lung') && ` + settled)
	lung := total(t, b)
	t.Logf("datasets: %d in all, %d for \"lung\"", all, lung)
	if lung == 0 || lung >= all {
		t.Fatalf("search lung: %d datasets, want 1..%d", lung, all-1)
	}
	if n := b.Count("#results .card"); n == 0 || n > 20 {
		t.Errorf("search lung shows %d result cards, want 1..20", n)
	}
	shot(t, b, "search-lung")

	// A facet: the count next to a modality is the number of results after ticking it.
	id, label, want := pickModality(t, b, `#facets input[type=checkbox][id^="f-modality-"]`)
	b.Click("#" + id)
	b.WaitTrue(`location.search.includes('modality=') && ` + settled)
	got := total(t, b)
	t.Logf("\"lung\" and modality %s: the facet said %d, the results say %d", label, want, got)
	if got != want {
		t.Errorf("after ticking %s the result count is %d, the facet said %d", label, got, want)
	}
	if !browsertest.Eval[bool](b, `[...document.querySelectorAll('.chip')].some(c => c.textContent.startsWith('Imaging modality'))`) {
		t.Error("no chip shows the active modality filter")
	}
	shot(t, b, "facet-modality")

	// History: back removes the filter, forward restores it.
	b.Do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	b.WaitTrue(`!location.search.includes('modality=') && ` + settled)
	if n := total(t, b); n != lung {
		t.Errorf("back: %d datasets, want %d", n, lung)
	}
	b.Do(chromedp.Evaluate[chromedp.Void](`history.forward()`))
	b.WaitTrue(`location.search.includes('modality=') && ` + settled)
	if n := total(t, b); n != got {
		t.Errorf("forward: %d datasets, want %d", n, got)
	}

	// The cancer-type tree: open a branch with the keyboard, tick a subtype,
	// and the result count is the count the tree showed.
	b.Open("/")
	b.WaitTrue(settled)
	twisty := browsertest.Eval[string](b, `(document.querySelector('#facets .facet-values.tree .twisty[aria-expanded=false]') || {}).id || ''`)
	if twisty == "" {
		t.Fatal("the cancer-type facet has no closed branch")
	}
	b.Do(chromedp.Focus(chromedp.CSS("#"+twisty)), chromedp.KeyEvent(kb.Enter))
	b.WaitTrue(`document.getElementById(` + strconv.Quote(twisty) + `).getAttribute('aria-expanded') === 'true' && document.activeElement.id === ` + strconv.Quote(twisty))
	sub := browsertest.Eval[map[string]any](b, `(() => { const li = document.getElementById(`+strconv.Quote(twisty)+`).closest('li');
	  const c = li.querySelector('ul.sub input[type=checkbox]'); return {id: c.id, label: c.labels[0].firstChild.textContent, count: +c.labels[0].querySelector('.n').textContent.replace(/,/g, '')}; })()`)
	b.Click("#" + sub["id"].(string))
	b.WaitTrue(`location.search.includes('cancer=') && ` + settled)
	if n := total(t, b); n != int(sub["count"].(float64)) || n == 0 {
		t.Errorf("cancer type %v: %d results, the tree said %v", sub["label"], n, sub["count"])
	}
	t.Logf("cancer type %v (a subtype): %d datasets", sub["label"], total(t, b))
	shot(t, b, "facet-cancer-type")
	b.Do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	b.WaitTrue(`!location.search.includes('cancer=') && ` + settled)
	b.Do(chromedp.Evaluate[chromedp.Void](`history.forward()`))
	b.WaitTrue(`location.search.includes('cancer=') && ` + settled)
}

// TestPortalDataset opens a dataset from the results and checks its
// metadata, its cohort charts and its accessibility.
func TestPortalDataset(t *testing.T) {
	b := browsertest.Start(t)
	b.Open("/healthz")
	requireCatalogue(t, b)
	b.Open("/?q=lung")
	b.WaitTrue(settled)
	title := b.Text("#results .card h3 a")
	b.Click("#results .card h3 a")
	b.WaitTrue(`location.pathname === '/portal/dataset' && !!document.querySelector('article.dataset h1')`)
	if got := b.Text("article.dataset h1"); got != title {
		t.Errorf("dataset page title %q, the result said %q", got, title)
	}
	b.WaitTrue(`!!document.querySelector('#charts figure svg rect') || /No record-level/.test(document.getElementById('cohort-status').textContent)`)
	sections := browsertest.Eval[[]string](b, `[...document.querySelectorAll('article.dataset h2')].map(h => h.textContent)`)
	t.Logf("dataset %q: sections %v", title, sections)
	for _, s := range []string{"Description", "What it holds", "Access", "Distributions", "Provider and contact", "Cohort"} {
		if !contains(sections, s) {
			t.Errorf("dataset page has no %q section (sections %v)", s, sections)
		}
	}
	facts := browsertest.Eval[[]string](b, `[...document.querySelectorAll('.facts dt')].map(d => d.textContent)`)
	for _, f := range []string{"Subjects", "Provider"} {
		if !contains(facts, f) {
			t.Errorf("dataset facts %v lack %s", facts, f)
		}
	}
	charts := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#charts figure figcaption')].map(f => f.textContent)`)
	bars := b.Count("#charts figure svg rect")
	status := b.Text("#cohort-status")
	t.Logf("cohort: %s; charts %v with %d bars", status, charts, bars)
	if len(charts) != 4 || bars == 0 {
		t.Errorf("dataset page charts %v with %d bars, want age, sex, modality and body part", charts, bars)
	}
	if !browsertest.Eval[bool](b, `/Access level: (public|registered|controlled)/.test(document.getElementById('access-level').textContent)`) {
		t.Errorf("no access level shown: %q", b.Text("#access-level"))
	}
	shot(t, b, "dataset")
	axe(t, b, "dataset page")

	// Another data language: the title the API has in that language replaces the English one.
	other := await[map[string]string](t, b, `fetch('/graphql', {method: 'POST', headers: {'Content-Type': 'application/json'},
	  body: JSON.stringify({query: 'query($id: ID!) { dataset(id: $id) { titleLangs { lang value } } }', variables: {id: new URLSearchParams(location.search).get('id')}})})
	  .then(r => r.json()).then(r => { const opts = [...document.querySelectorAll('#lang option')].map(o => o.value);
	    const x = (r.data.dataset.titleLangs || []).find(l => l.lang && l.lang !== 'en' && opts.includes(l.lang)); return x ? {lang: x.lang, value: x.value} : {}; })`)
	if other["lang"] == "" {
		t.Logf("dataset %q has no title in another language of the selector", title)
		return
	}
	b.Do(chromedp.SetValue(chromedp.CSS("#lang"), other["lang"]), chromedp.Evaluate[chromedp.Void](`document.getElementById('lang').dispatchEvent(new Event('change'))`))
	b.WaitTrue(`document.querySelector('article.dataset h1') && document.querySelector('article.dataset h1').textContent === ` + strconv.Quote(other["value"]))
	if !strings.Contains(browsertest.Eval[string](b, "location.search"), "lang="+other["lang"]) {
		t.Errorf("the data language %s is not in the URL", other["lang"])
	}
	t.Logf("data language %s: title %q", other["lang"], other["value"])
	shot(t, b, "dataset-"+other["lang"])
	b.Do(chromedp.Evaluate[chromedp.Void](`localStorage.removeItem('tessera.lang')`)) // the choice outlives the tab
}

// TestPortalErrors: API errors and unknown datasets are shown, not thrown.
func TestPortalErrors(t *testing.T) {
	b := browsertest.Start(t)
	b.Open("/?after=not-a-cursor")
	b.WaitVisible(".error[role=alert]")
	if msg := b.Text(".error[role=alert]"); !strings.Contains(msg, "Could not search the catalogue") {
		t.Errorf("bad cursor: alert %q", msg)
	}
	shot(t, b, "error-bad-cursor")
	b.Open("/portal/dataset?id=" + url.QueryEscape("https://tessera.example/no/such/dataset"))
	b.WaitTrue(`/not found/i.test(document.querySelector('h1').textContent)`)
	b.Open("/portal/dataset")
	b.WaitVisible(".error[role=alert]")
}

// TestPortalCohort builds a cohort of CT studies, reads the counts per
// dataset and downloads the report as JSON and CSV.
func TestPortalCohort(t *testing.T) {
	b := browsertest.Start(t)
	b.Open("/healthz")
	requireCatalogue(t, b)
	b.Open("/portal/cohort")
	b.WaitCount("input[name=modality]", 1)
	id, label, _ := pickModality(t, b, "input[name=modality]")
	b.Click("#" + id)
	b.Click(".cohort-form button[type=submit]")
	b.WaitTrue(`!!document.querySelector('table.counts tbody tr') || !!document.querySelector('#cohort-results .error')`)
	rows := b.Count("table.counts tbody tr")
	totals := b.Text("#cohort-total")
	t.Logf("cohort of %s studies: %d datasets; %s", label, rows, totals)
	if rows == 0 {
		t.Fatalf("cohort of %s studies: no dataset (%s)", label, totals)
	}
	if !regexp.MustCompile(`subjects and .* imaging studies in \d+ datasets?`).MatchString(totals) || !strings.Contains(totals, "Obfuscation policy") {
		t.Errorf("cohort totals %q", totals)
	}
	if !strings.Contains(browsertest.Eval[string](b, "location.search"), "run=1") {
		t.Error("the cohort criteria are not in the URL")
	}
	shot(t, b, "cohort")

	// Narrow by a diagnosis chosen from the autocomplete with the keyboard.
	b.Click("#dx")
	b.SendKeys("#dx", "lung")
	b.WaitTrue(`(() => { const l = document.querySelector('#dx').parentElement.querySelector('.listbox'); return !!l && !l.hidden && l.querySelectorAll('[role=option]').length > 0; })()`)
	b.Do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	b.WaitCount(".cohort-form .chip", 1)
	dx := b.Text(".cohort-form .chip")
	b.Click(".cohort-form button[type=submit]")
	b.WaitTrue(`location.search.includes('dx=') && document.querySelector('#cohort-results').getAttribute('aria-busy') === 'false'`)
	narrowed := b.Count("table.counts tbody tr")
	t.Logf("cohort of %s studies and diagnosis %s: %d datasets; %s", label, strings.TrimSuffix(dx, "×"), narrowed, b.Text("#cohort-total"))
	if narrowed == 0 || narrowed >= rows {
		t.Errorf("adding diagnosis %s: %d datasets, want 1..%d", dx, narrowed, rows-1)
	}
	rows = narrowed
	shot(t, b, "cohort-diagnosis")

	// The reports: capture the blobs the buttons create and read them back.
	b.Do(chromedp.Evaluate[chromedp.Void](`window.__blobs = []; { const o = URL.createObjectURL; URL.createObjectURL = (x) => { window.__blobs.push(x); return o.call(URL, x); }; }`))
	b.Click("#dl-json")
	b.Click("#dl-csv")
	b.WaitTrue(`window.__blobs.length === 2`)
	var rep struct {
		Generated string         `json:"generated"`
		Criteria  map[string]any `json:"criteria"`
		Policy    string         `json:"policy"`
		Totals    map[string]struct {
			Display string `json:"display"`
		} `json:"totals"`
		Datasets []struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Subjects struct {
				Display string `json:"display"`
			} `json:"subjects"`
		} `json:"datasets"`
	}
	js := await[string](t, b, `window.__blobs[0].text()`)
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, js)
	}
	if ts, err := time.Parse(time.RFC3339, rep.Generated); err != nil || time.Since(ts) > time.Hour {
		t.Errorf("JSON report generated = %q (%v)", rep.Generated, err)
	}
	mods, _ := rep.Criteria["modalities"].([]any)
	dxs, _ := rep.Criteria["diagnoses"].([]any)
	if len(mods) != 1 || len(dxs) != 1 {
		t.Errorf("JSON report criteria = %v, want the modality and the diagnosis", rep.Criteria)
	}
	if rep.Policy == "" || len(rep.Datasets) != rows || rep.Totals["subjects"].Display == "" || rep.Datasets[0].Title == "" {
		t.Errorf("JSON report: policy %q, %d datasets (table %d), totals %v", rep.Policy, len(rep.Datasets), rows, rep.Totals)
	}
	if first := b.Text("table.counts tbody tr td.num"); first != rep.Datasets[0].Subjects.Display {
		t.Errorf("JSON report first subjects %q, the table shows %q", rep.Datasets[0].Subjects.Display, first)
	}
	csv := await[string](t, b, `window.__blobs[1].text()`)
	lines := strings.Split(strings.TrimSuffix(csv, "\r\n"), "\r\n")
	if len(lines) != 6+rows+1 || lines[0] != "# Tessera cohort counts" || lines[4] != "# policy: "+rep.Policy ||
		!strings.HasPrefix(lines[5], "dataset,title,") || !strings.HasPrefix(lines[len(lines)-1], "TOTAL,") {
		t.Errorf("CSV report (%d lines for %d rows):\n%s", len(lines), rows, csv)
	}
	if typ := browsertest.Eval[string](b, `window.__blobs[1].type`); !strings.HasPrefix(typ, "text/csv") {
		t.Errorf("CSV blob type %q", typ)
	}
}

// TestPortalPhone: at a phone's width the pages fit without sideways scrolling.
func TestPortalPhone(t *testing.T) {
	b := browsertest.Start(t)
	b.Do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, p := range []struct{ path, wait, name string }{
		{"/?q=lung", settled, "phone-search"},
		{"/portal/cohort", `document.querySelectorAll('input[name=modality]').length > 0`, "phone-cohort"},
	} {
		b.Open(p.path)
		b.WaitTrue(p.wait)
		if over := browsertest.Eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("%s on a 390 px phone: %d px too wide", p.path, over)
		}
		shot(t, b, p.name)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
