package fdp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tessera-fair/tessera/graph"
	acl "github.com/tessera-fair/tessera/graph/access"
	"github.com/tessera-fair/tessera/ontology/shapes"
)

// Defaults of Options.
const (
	// DefaultBase is the IRI prefix of the resources Tessera mints, as the
	// demo catalogue uses it.
	DefaultBase = "https://tessera.example/"
	// DefaultSystemGraph is the graph holding each graph's access level and
	// load record (the demo's system graph).
	DefaultSystemGraph = "https://tessera.example/graph/system/providers"
	// DefaultMetadataLicense is the licence of the FDP's own metadata when
	// none is configured: CC0, the FDP reference implementation's default.
	DefaultMetadataLicense = "http://purl.org/NET/rdflicense/cc-zero1.0"
)

// Options configure the FAIR Data Point, Linked Data and VoID surfaces.
// The zero value serves the demo catalogue's IRIs.
type Options struct {
	// Base is the IRI prefix of the resources this server mints and serves:
	// an IRI Base+"x/y" is served at the path "/x/y" (plus Base's own path).
	// Default DefaultBase. In production it is the server's public URL, so
	// that every IRI dereferences where it points.
	Base string
	// Title and Description describe the FAIR Data Point itself.
	Title, Description string
	// Publisher is the IRI of the organisation running the FDP, and
	// PublisherName its name; defaults Base+"fdp#publisher" and "Tessera".
	Publisher, PublisherName string
	// Language is the preferred language of single-valued texts (the
	// FDP shapes allow one dct:title): a BCP 47 tag, default "en".
	Language string
	// MetadataLicense is the licence of the FDP's and catalogues' metadata
	// where the data gives none; default DefaultMetadataLicense.
	MetadataLicense string
	// Version is Tessera's software version, shown as fdp:fdpSoftwareVersion.
	Version string
	// SystemGraph names the graph holding graph metadata (access levels,
	// load times); default DefaultSystemGraph (access.DefaultSystemGraph).
	SystemGraph string
	// Policy returns the current access policy (an access.Cache's
	// Current); nil reads the policy from the store on each request.
	// Catalogue metadata is shown whatever a graph's level (DESIGN.md §1);
	// records only to callers the policy lets see them.
	Policy func() *acl.Policy
	// MaxDescription caps the triples read for one resource (default
	// 10,000); a larger description is cut and marked truncated.
	MaxDescription int
	// DefaultPageSize and MaxPageSize bound the FDP child pages (defaults
	// 10 and 100).
	DefaultPageSize, MaxPageSize int
	// VoIDTTL is how long a computed VoID description is reused (default
	// one minute): it counts types per graph, a scan.
	VoIDTTL time.Duration
	// Now is the clock (default time.Now); tests fix it.
	Now func() time.Time
	// Logger receives errors; nil discards them.
	Logger *slog.Logger
}

// Service serves the FAIR Data Point, Linked Data and VoID views of a store.
type Service struct {
	store  graph.Store
	opts   Options
	log    *slog.Logger
	start  time.Time
	root   graph.Term // the FDP's IRI, Base+"fdp"
	prefix string     // the path of Base, ending in "/"
	rules  rules
	shapes []graph.Quad

	voidMu   sync.Mutex
	voidAt   time.Time
	voidDocs []graph.Quad
}

// New returns the service over store. It fails only when the bundled FDP
// shapes cannot be read or Base is not an absolute http(s) IRI.
func New(store graph.Store, opts Options) (*Service, error) {
	if opts.Base == "" {
		opts.Base = DefaultBase
	}
	if !strings.HasSuffix(opts.Base, "/") {
		opts.Base += "/"
	}
	u, err := url.Parse(opts.Base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fdp: base %q is not an absolute http(s) IRI", opts.Base)
	}
	if opts.Title == "" {
		opts.Title = "Tessera FAIR Data Point"
	}
	if opts.Description == "" {
		opts.Description = "FAIR Data Point of a Tessera node: the catalogues, datasets and distributions it holds, as DCAT."
	}
	if opts.Publisher == "" {
		opts.Publisher = opts.Base + "fdp#publisher"
	}
	if opts.PublisherName == "" {
		opts.PublisherName = "Tessera"
	}
	if opts.Language == "" {
		opts.Language = "en"
	}
	opts.Language = strings.ToLower(opts.Language)
	if opts.MetadataLicense == "" {
		opts.MetadataLicense = DefaultMetadataLicense
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.SystemGraph == "" {
		opts.SystemGraph = DefaultSystemGraph
	}
	if opts.MaxDescription <= 0 {
		opts.MaxDescription = 10_000
	}
	if opts.DefaultPageSize <= 0 {
		opts.DefaultPageSize = 10
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = 100
	}
	opts.DefaultPageSize = min(opts.DefaultPageSize, opts.MaxPageSize)
	if opts.VoIDTTL <= 0 {
		opts.VoIDTTL = time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sh, err := shapes.Load("fdp")
	if err != nil {
		return nil, fmt.Errorf("fdp: load the FDP shapes: %w", err)
	}
	s := &Service{
		store:  store,
		opts:   opts,
		log:    log,
		start:  opts.Now().UTC().Truncate(time.Second),
		root:   graph.IRI(opts.Base + "fdp"),
		prefix: u.EscapedPath(),
		rules:  rulesFromShapes(sh),
		shapes: relabelBlanks(sh, "shape"),
	}
	if !strings.HasSuffix(s.prefix, "/") {
		s.prefix += "/"
	}
	return s, nil
}

// Register adds the routes of a new Service to e: the FAIR Data Point at
// /fdp (with /fdp/spec, /fdp/{level}/spec and /fdp/page/catalog), VoID at
// /.well-known/void, and Linked Data for every other GET or HEAD below
// Base's path that no other route takes (an echo RouteNotFound route, so
// the server's own surfaces always win). A Service that cannot start is
// logged and registers nothing, so the rest of the server still runs.
func Register(e *echo.Echo, store graph.Store, opts Options) *Service {
	s, err := New(store, opts)
	if err != nil {
		if opts.Logger != nil {
			opts.Logger.Error("FAIR Data Point disabled", "error", err)
		}
		return nil
	}
	s.Routes(e)
	return s
}

// Routes registers the service's handlers on e.
func (s *Service) Routes(e *echo.Echo) {
	get := []string{http.MethodGet, http.MethodHead}
	p := s.prefix
	e.Match(get, p+"fdp", s.handleRoot)
	e.Match(get, p+"fdp/", s.redirectRoot)
	e.Match(get, p+"fdp/spec", s.handleSpec)
	e.Match(get, p+"fdp/:level/spec", s.handleSpec)
	e.Match(get, p+"fdp/page/:level", s.handleRootPage)
	e.Match(get, p+".well-known/void", s.handleVoID)
	e.RouteNotFound(p+"*", s.handleResource)
}

// Handler returns the service alone as an http.Handler, for tests and
// embedding; web.New registers it on the main server instead.
func (s *Service) Handler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s.Routes(e)
	return e
}

// Root returns the IRI of the FAIR Data Point.
func (s *Service) Root() graph.Term { return s.root }

// apiError writes the JSON error body every Tessera API uses.
func apiError(c echo.Context, status int, code, msg string) error {
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.JSON(status, map[string]map[string]string{"error": {"code": code, "message": msg}})
}

// storeError answers a failure of the store or of the request's context.
func (s *Service) storeError(c echo.Context, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return apiError(c, http.StatusServiceUnavailable, "timeout", "the request was cancelled or timed out")
	}
	s.log.Error("fdp: store read failed", "path", c.Request().URL.Path, "error", err)
	return apiError(c, http.StatusInternalServerError, "store_error", "reading the store failed (the error was logged)")
}

func (s *Service) redirectRoot(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, s.prefix+"fdp")
}

// relabelBlanks renames blank nodes prefix0, prefix1, ... in order of first
// appearance, so that a document parsed at start-up is served the same by
// every process (the parser's labels are random).
func relabelBlanks(quads []graph.Quad, prefix string) []graph.Quad {
	names := map[graph.Term]graph.Term{}
	name := func(t graph.Term) graph.Term {
		if !t.IsBlank() {
			return t
		}
		n, ok := names[t]
		if !ok {
			n = graph.Blank(prefix + strconv.Itoa(len(names)))
			names[t] = n
		}
		return n
	}
	out := make([]graph.Quad, len(quads))
	for i, q := range quads {
		out[i] = graph.Quad{S: name(q.S), P: q.P, O: name(q.O), G: q.G}
	}
	return out
}
