// Package browsertest runs end-to-end tests of Tessera's web pages in a real
// headless Chromium (driven by chromedp) against a real `tessera serve` with
// the demo catalogue.
//
// Browser tests are slow and need Chromium, so they run only when
// TESSERA_BROWSER=1 (`make browser-test`, .ci/browser-test); otherwise
// Start skips the test. A test package uses the harness like this:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		b := browsertest.Start(t)       // a new tab; the server and browser are shared
//		b.Open("/sparql")               // navigate to a path of the server and wait for load
//		b.WaitVisible("#yasgui .CodeMirror")
//		b.Click("button.example")
//		n := b.WaitCount(".yasr table tbody tr", 5)
//		b.Screenshot("results")         // test-results/TestSomething/results.png
//	}
//
// Every tab records the requests the page makes: a request to another origin
// (a CDN, a font service, a validator) fails the test, because all assets
// must be embedded in the binary. Uncaught JavaScript exceptions and
// Content-Security-Policy violations fail it too (Browser.AllowErrors turns
// that off for a test that provokes them). A failed test gets a screenshot
// named "failure".
//
// Environment:
//
//	TESSERA_BROWSER=1   run browser tests
//	TESSERA_URL         use this running server instead of starting one
//	TESSERA_BIN         the tessera binary to start (default bin/tessera at
//	                    the repository root, built with `go build` when absent)
//	TESSERA_CHROMIUM    the browser (default /usr/bin/chromium, then chromium,
//	                    chromium-browser, google-chrome on PATH)
//	TESSERA_RESULTS     screenshot directory (default test-results at the
//	                    repository root)
//
// The server started for the tests has a random write token (WriteToken),
// a fresh data directory and a free port; its log is copied to
// <results>/server.log when the tests end.
package browsertest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Environment variables read by the harness.
const (
	EnvEnable   = "TESSERA_BROWSER"
	EnvURL      = "TESSERA_URL"
	EnvBinary   = "TESSERA_BIN"
	EnvChromium = "TESSERA_CHROMIUM"
	EnvResults  = "TESSERA_RESULTS"
)

// Timeouts of the harness.
const (
	// ServerStartTimeout bounds building the binary (when needed) and
	// loading the demo catalogue.
	ServerStartTimeout = 4 * time.Minute
	// TestTimeout bounds everything one test does in its tab.
	TestTimeout = 2 * time.Minute
	// WaitTimeout bounds one wait for an element or condition.
	WaitTimeout = 45 * time.Second
)

// env is the state shared by the tests of one test binary.
type env struct {
	once         sync.Once
	err          error
	mainRan      bool
	base         string
	token        string
	results      string
	server       *exec.Cmd
	serverWG     sync.WaitGroup
	serverExited chan error
	logPath      string
	tmp          string

	browserCtx    context.Context
	cancelAlloc   context.CancelFunc
	cancelBrowser context.CancelFunc
}

var shared env

// Main runs the tests of m, then stops the server and the browser the
// harness started. Call it from TestMain: os.Exit(browsertest.Main(m)).
func Main(m *testing.M) int {
	shared.mainRan = true
	code := m.Run()
	shared.stop()
	return code
}

// Enabled reports whether browser tests should run (TESSERA_BROWSER=1).
func Enabled() bool { return os.Getenv(EnvEnable) == "1" }

// BaseURL returns the server's base URL ("http://127.0.0.1:PORT") for tests
// that also talk to it directly; it starts the server if needed.
func BaseURL(t testing.TB) string {
	t.Helper()
	shared.setup(t)
	return shared.base
}

// WriteToken returns the operator token of the server the harness started
// ("" for a server given by TESSERA_URL).
func WriteToken(t testing.TB) string {
	t.Helper()
	shared.setup(t)
	return shared.token
}

// setup starts the server and the browser once; t fails if that failed.
func (e *env) setup(t testing.TB) {
	t.Helper()
	if !Enabled() {
		t.Skipf("browser test: set %s=1 to run it (make browser-test)", EnvEnable)
	}
	if !e.mainRan {
		t.Fatal("browsertest: call browsertest.Main from TestMain so the server and browser are stopped")
	}
	e.once.Do(func() { e.err = e.start() })
	if e.err != nil {
		t.Fatalf("browsertest: %v", e.err)
	}
}

func (e *env) start() error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	e.results = os.Getenv(EnvResults)
	if e.results == "" {
		e.results = filepath.Join(root, "test-results")
	}
	if e.tmp, err = os.MkdirTemp("", "tessera-browsertest-"); err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	if u := os.Getenv(EnvURL); u != "" {
		e.base = strings.TrimSuffix(u, "/")
	} else if err := e.startServer(root); err != nil {
		return err
	}
	return e.startBrowser()
}

// repoRoot finds the directory holding go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

var listening = regexp.MustCompile(`msg="tessera is listening" url=(http://\S+)`)

func (e *env) startServer(root string) error {
	ctx, cancel := context.WithTimeout(context.Background(), ServerStartTimeout)
	defer cancel()
	bin := os.Getenv(EnvBinary)
	if bin == "" {
		bin = filepath.Join(root, "bin", "tessera")
		if _, err := os.Stat(bin); err != nil {
			bin = filepath.Join(e.tmp, "tessera")
			build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/tessera")
			build.Dir = root
			if out, err := build.CombinedOutput(); err != nil {
				return fmt.Errorf("go build ./cmd/tessera: %w\n%s", err, out)
			}
		}
	}
	tok := make([]byte, 16)
	_, _ = rand.Read(tok)
	e.token = "browsertest-" + hex.EncodeToString(tok)
	e.logPath = filepath.Join(e.tmp, "server.log")
	logFile, err := os.Create(e.logPath)
	if err != nil {
		return fmt.Errorf("server log: %w", err)
	}
	cmd := exec.Command(bin, "serve", "--demo", "--data", filepath.Join(e.tmp, "data"), "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TESSERA_WRITE_TOKEN="+e.token)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = logFile, io.MultiWriter(logFile, pw)
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", bin, err)
	}
	e.server = cmd
	found := make(chan string, 1)
	e.serverWG.Add(1)
	go func() {
		defer e.serverWG.Done()
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.Close()
		logFile.Close()
		exited <- err
	}()
	e.serverExited = exited
	select {
	case u := <-found:
		e.base = u
	case err := <-exited:
		e.server = nil
		return fmt.Errorf("tessera serve exited before listening (%v); log:\n%s", err, readTail(e.logPath))
	case <-ctx.Done():
		return fmt.Errorf("tessera serve did not listen within %s; log:\n%s", ServerStartTimeout, readTail(e.logPath))
	}
	for ctx.Err() == nil {
		resp, err := http.Get(e.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s/healthz did not answer 200 within %s", e.base, ServerStartTimeout)
}

func readTail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// chromium finds the browser binary.
func chromium() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found: install it (apt-get install -y chromium) or set %s", EnvChromium)
}

func (e *env) startBrowser() error {
	path, err := chromium()
	if err != nil {
		return err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(filepath.Join(e.tmp, "chromium")),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	// The first Do starts the browser, bound to browserCtx (no timeout).
	if err := chromedp.Do(browserCtx); err != nil {
		cancelBrowser()
		cancelAlloc()
		return fmt.Errorf("start %s: %w", path, err)
	}
	e.browserCtx, e.cancelAlloc, e.cancelBrowser = browserCtx, cancelAlloc, cancelBrowser
	return nil
}

func (e *env) stop() {
	if e.cancelBrowser != nil {
		e.cancelBrowser()
		e.cancelAlloc()
	}
	if e.server != nil && e.server.Process != nil {
		_ = e.server.Process.Signal(os.Interrupt)
		select {
		case <-e.serverExited:
		case <-time.After(15 * time.Second):
			_ = e.server.Process.Kill()
			<-e.serverExited
		}
		e.serverWG.Wait()
	}
	if e.logPath != "" && e.results != "" {
		if b, err := os.ReadFile(e.logPath); err == nil && os.MkdirAll(e.results, 0o755) == nil {
			_ = os.WriteFile(filepath.Join(e.results, "server.log"), b, 0o644)
		}
	}
	if e.tmp != "" {
		// Chromium's helpers may still write for a moment after it stops.
		for range 50 {
			if os.RemoveAll(e.tmp) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// Browser is one tab of the shared browser, owned by one test.
type Browser struct {
	t       testing.TB
	ctx     context.Context
	base    string
	origin  string
	results string

	mu          sync.Mutex
	external    []string
	problems    []string
	allowErrors bool
}

// Start opens a new tab for t (starting the server and the browser the first
// time). The tab closes when t ends; a failed test gets a "failure"
// screenshot, and the test fails if the page loaded anything from another
// origin or threw (see AllowErrors).
func Start(t *testing.T) *Browser {
	t.Helper()
	shared.setup(t)
	u, err := url.Parse(shared.base)
	if err != nil {
		t.Fatalf("browsertest: base URL %q: %v", shared.base, err)
	}
	b := &Browser{t: t, base: shared.base, origin: u.Scheme + "://" + u.Host, results: shared.results}
	tctx, cancelTimeout := context.WithTimeout(shared.browserCtx, TestTimeout)
	ctx, cancelTab := chromedp.NewContext(tctx, chromedp.WithListener(b.listen))
	b.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		cancelTab()
		cancelTimeout()
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			b.save("failure")
		}
		cancelTab()
		cancelTimeout()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, u := range b.external {
			t.Errorf("the page loaded %s from another origin: every asset must be embedded in the binary", u)
		}
		if !b.allowErrors {
			for _, p := range b.problems {
				t.Errorf("browser: %s", p)
			}
		}
	})
	return b
}

// listen records cross-origin requests, exceptions and CSP violations. It
// runs on chromedp's reader goroutine and must return fast.
func (b *Browser) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") || strings.HasPrefix(u, "about:") {
			return
		}
		if !strings.HasPrefix(u, b.origin+"/") && u != b.origin {
			b.mu.Lock()
			b.external = append(b.external, u)
			b.mu.Unlock()
		}
	case *runtime.EventExceptionThrown:
		msg := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil && ev.ExceptionDetails.Exception.Description != "" {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
		b.mu.Lock()
		b.problems = append(b.problems, "uncaught exception: "+msg)
		b.mu.Unlock()
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError && strings.Contains(ev.Entry.Text, "Content Security Policy") {
			b.mu.Lock()
			b.problems = append(b.problems, "CSP violation: "+ev.Entry.Text)
			b.mu.Unlock()
		}
	}
}

// AllowErrors stops exceptions and CSP violations from failing the test
// (cross-origin requests still do).
func (b *Browser) AllowErrors() {
	b.mu.Lock()
	b.allowErrors = true
	b.mu.Unlock()
}

// TakeExternal returns the cross-origin requests recorded so far and forgets
// them, for a test that expects some (they would fail it at the end).
func (b *Browser) TakeExternal() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.external
	b.external = nil
	return out
}

// TakeProblems returns the exceptions and CSP violations recorded so far
// and forgets them.
func (b *Browser) TakeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.problems
	b.problems = nil
	return out
}

// Context returns the tab's chromedp context, for actions the helpers do
// not cover: chromedp.Do(b.Context(), ...).
func (b *Browser) Context() context.Context { return b.ctx }

// URL returns the absolute URL of a server path.
func (b *Browser) URL(path string) string { return b.base + path }

// Do runs chromedp actions in the tab, failing the test on error.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// Open navigates to a path of the server (or an absolute URL of it) and
// waits for the page to load.
func (b *Browser) Open(path string) {
	b.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = b.base + path
	}
	b.Do(chromedp.Navigate(path))
}

// waitCtx bounds one wait.
func (b *Browser) waitCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, WaitTimeout)
}

// WaitVisible waits until the first element matching the CSS selector is
// visible.
func (b *Browser) WaitVisible(sel string) {
	b.t.Helper()
	ctx, cancel := b.waitCtx()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("browser: wait for %s to be visible: %v", sel, err)
	}
}

// Click clicks the first element matching the CSS selector, once visible.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	ctx, cancel := b.waitCtx()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		b.t.Fatalf("browser: click %s: %v", sel, err)
	}
}

// SendKeys types text into the first element matching the CSS selector.
func (b *Browser) SendKeys(sel, text string) {
	b.t.Helper()
	ctx, cancel := b.waitCtx()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible)); err != nil {
		b.t.Fatalf("browser: type into %s: %v", sel, err)
	}
}

// Text returns the visible text of the first element matching the CSS
// selector, once visible.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.waitCtx()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return s
}

// Count returns how many elements match the CSS selector now.
func (b *Browser) Count(sel string) int {
	b.t.Helper()
	return Eval[int](b, "document.querySelectorAll("+jsString(sel)+").length")
}

// WaitCount waits until at least min elements match the CSS selector and
// returns how many do.
func (b *Browser) WaitCount(sel string, min int) int {
	b.t.Helper()
	b.WaitTrue(fmt.Sprintf("document.querySelectorAll(%s).length >= %d", jsString(sel), min))
	return b.Count(sel)
}

// WaitTrue waits until the JavaScript expression is truthy.
func (b *Browser) WaitTrue(expr string) {
	b.t.Helper()
	ctx, cancel := b.waitCtx()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(WaitTimeout))); err != nil {
		b.t.Fatalf("browser: wait for %s: %v", expr, err)
	}
}

// Eval evaluates a JavaScript expression in the tab and decodes its value.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("browser: evaluate %s: %v", expr, err)
	}
	return v
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// Screenshot saves a PNG of the whole page as
// <results>/<test name>/<step>.png and returns its path.
func (b *Browser) Screenshot(step string) string {
	b.t.Helper()
	p, err := b.capture(step)
	if err != nil {
		b.t.Fatalf("browser: screenshot %s: %v", step, err)
	}
	b.t.Logf("screenshot %s", p)
	return p
}

// save takes a screenshot without failing the test (for failures).
func (b *Browser) save(step string) {
	if p, err := b.capture(step); err == nil {
		b.t.Logf("screenshot %s", p)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._/-]+`)

func (b *Browser) capture(step string) (string, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "", err
	}
	dir := filepath.Join(b.results, filepath.FromSlash(unsafeName.ReplaceAllString(b.t.Name(), "_")))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(dir, unsafeName.ReplaceAllString(strings.ReplaceAll(step, "/", "_"), "_")+".png")
	return p, os.WriteFile(p, png, 0o644)
}
