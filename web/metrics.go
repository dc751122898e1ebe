package web

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
)

// metrics are the server's Prometheus instruments, registered on the
// registry given in Options (never the global one).
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	queries  *prometheus.CounterVec
	updates  *prometheus.CounterVec
	rows     prometheus.Counter
	timeouts prometheus.Counter
	stats    *statsCache
}

// newMetrics registers the instruments; policy gives the access policy
// the store gauges report through (they are public: anonymous callers'
// figures).
func newMetrics(reg *prometheus.Registry, store graph.Store, policy func(context.Context) (*access.Policy, error)) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tessera_http_requests_total",
			Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tessera_http_request_duration_seconds",
			Help:    "HTTP request latency by route and method, to the end of the response body.",
			Buckets: []float64{.001, .003, .01, .03, .1, .3, 1, 3, 10, 30, 100},
		}, []string{"route", "method"}),
		queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tessera_sparql_queries_total",
			Help: "SPARQL queries evaluated, by form (select, ask, construct, describe) and outcome (ok, error, timeout, too_many_rows).",
		}, []string{"form", "outcome"}),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tessera_sparql_updates_total",
			Help: "SPARQL update requests by outcome.",
		}, []string{"outcome"}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tessera_sparql_result_rows_total",
			Help: "Result rows (SELECT) and triples (CONSTRUCT, DESCRIBE) sent to clients.",
		}),
		timeouts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tessera_sparql_timeouts_total",
			Help: "Queries and updates stopped by the time limit.",
		}),
		stats: &statsCache{store: store, ttl: 15 * time.Second},
	}
	quads := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tessera_store_quads",
		Help: "Quads in the store as anonymous callers may see the figure: the sum of the per-graph counts, those of graphs whose records are hidden obfuscated (graph/access; from statistics cached for 15 s).",
	}, func() float64 {
		ctx := context.Background()
		st, err := m.stats.get(ctx)
		if err != nil {
			return -1
		}
		p, err := policy(ctx)
		if err != nil {
			return -1
		}
		return float64(m.stats.reported(st, p, false).Quads)
	})
	graphs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tessera_store_graphs",
		Help: "Graphs in the store, the default graph included when it has quads (cached for 15 s).",
	}, func() float64 {
		st, err := m.stats.get(context.Background())
		if err != nil {
			return -1
		}
		return float64(len(st.Graphs))
	})
	reg.MustRegister(m.requests, m.latency, m.queries, m.updates, m.rows, m.timeouts, quads, graphs)
	return m
}

// middleware counts and times every request by its route pattern (never
// the raw path, which would make the label set unbounded).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := c.Request().Method
		m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return nil
	}
}

// statsCache keeps store statistics for a while: exact statistics can cost
// a scan, and a scrape every few seconds must not cost one each time.
type statsCache struct {
	store graph.Store
	ttl   time.Duration
	mu    sync.Mutex
	at    time.Time
	st    *graph.Stats
	// views memoises the callers' views of st (reported).
	views map[reportedKey]*graph.Stats
}

func (s *statsCache) get(ctx context.Context) (*graph.Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != nil && time.Since(s.at) < s.ttl {
		return s.st, nil
	}
	st, err := s.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	s.st, s.at, s.views = st, time.Now(), nil
	return st, nil
}

// invalidate drops the cached statistics after a write.
func (s *statsCache) invalidate() {
	s.mu.Lock()
	s.st, s.views = nil, nil
	s.mu.Unlock()
}
