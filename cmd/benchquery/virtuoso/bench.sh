#!/usr/bin/env bash
# Side-by-side run of cmd/benchquery's queries in Virtuoso 7 (Debian package
# virtuoso-opensource-7-bin), on the N-Quads dump of the benchmark data:
#
#   go run ./cmd/benchquery -triples N -dump /tmp/catalog.nq
#   cmd/benchquery/virtuoso/bench.sh [-triples N] /tmp/catalog.nq [runs] [warmup]
#
# It installs Virtuoso with apt-get when virtuoso-t is missing (as root),
# creates a throw-away database under $TMPDIR with its own virtuoso.ini (free
# ports, DirsAllowed = the dump's directory, buffers from Virtuoso's RDF
# performance tuning table), bulk-loads the dump with ld_dir/rdf_loader_run
# and a checkpoint, prints the load rate, then times every
# cmd/benchquery/queries/*.rq over the SPARQL HTTP endpoint with the Go
# client beside this script (2 warm-ups, 20 runs or a 1-minute budget, every
# result fully read; median/p90/min as bench.mjs prints them). With -triples
# it first runs cmd/benchquery once on the same data and flags every query
# whose row count differs. Virtuoso is stopped and the directory deleted on
# exit. `make bench-compare` runs it; it is not part of `make test` or CI.
#
# Semantics: Virtuoso has no unnamed default graph, so the dump's triples
# without a graph are loaded into the named graph $DEFAULT_GRAPH; a query
# without FROM reads all graphs (like `tessera serve --union-default-graph`),
# but GRAPH ?g also sees that graph and Virtuoso's own system graphs
# (virtrdf:, ldp:), so GRAPH ?g queries may count one more graph than Tessera.
set -euo pipefail

usage() {
	echo "usage: $0 [-triples N] FILE.nq [runs] [warmup]" >&2
	exit 2
}

triples=""
if [[ ${1:-} == -triples ]]; then
	[[ $# -ge 2 ]] || usage
	triples=$2
	shift 2
fi
[[ $# -ge 1 ]] || usage
dump=$(realpath "$1")
runs=${2:-20}
warmup=${3:-2}
[[ -r $dump ]] || { echo "$0: cannot read $dump" >&2; exit 1; }

# DEFAULT_GRAPH receives the dump's triples that have no graph.
DEFAULT_GRAPH=urn:tessera:default-graph

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"

# 1. Virtuoso itself.
if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
	if [[ $(id -u) -ne 0 ]]; then
		echo "$0: virtuoso-t is missing; install virtuoso-opensource-7-bin (needs root)" >&2
		exit 1
	fi
	echo "virtuoso: installing virtuoso-opensource-7-bin" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q virtuoso-opensource-7-bin >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q virtuoso-opensource-7-bin >&2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-virtuoso.XXXXXX")
pid=""
cleanup() {
	if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		isql-vt "$sqlport" dba dba exec="shutdown;" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
		for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 2. The Go side: the client, and with -triples the row counts Tessera gives.
go build -o "$work/client" ./cmd/benchquery/virtuoso
expect=()
if [[ -n $triples ]]; then
	echo "virtuoso: row counts from cmd/benchquery -triples $triples (one run each)" >&2
	go run ./cmd/benchquery -triples "$triples" -runs 1 -warmup 0 >"$work/go-rows.txt"
	expect=(-expect "$work/go-rows.txt")
fi

# 3. Configuration. Ports: Virtuoso's defaults when free, else the next free.
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
	local p=$1
	while in_use "$p"; do p=$((p + 1)); done
	echo "$p"
}
sqlport=$(free_port 1111)
httpport=$(free_port 8890)
[[ $httpport != "$sqlport" ]] || httpport=$(free_port $((sqlport + 1)))

# Buffers (8 KB pages) from the table of Virtuoso's "RDF Performance
# Tuning" and the stock virtuoso.ini: give the server about 2/3 of the free
# memory, by the documented rows for 2, 4, 8, 16 and 32 GB.
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
gb=$((avail_kb * 2 / 3 / 1024 / 1024))
if ((gb >= 32)); then buffers=2720000 dirty=2000000
elif ((gb >= 16)); then buffers=1360000 dirty=1000000
elif ((gb >= 8)); then buffers=680000 dirty=500000
elif ((gb >= 4)); then buffers=340000 dirty=250000
else buffers=170000 dirty=130000
fi
# Threads: one query may use every core (ThreadsPerQuery); the bulk loader
# guide suggests one rdf_loader_run per 2.5 cores, so one loader here.
cores=$(nproc)

cat >"$work/virtuoso.ini" <<EOF
; Throw-away database of cmd/benchquery/virtuoso/bench.sh.
[Database]
DatabaseFile       = $work/virtuoso.db
ErrorLogFile       = $work/virtuoso.log
LockFile           = $work/virtuoso.lck
TransactionFile    = $work/virtuoso.trx
xa_persistent_file = $work/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $work/virtuoso-temp.db
TransactionFile    = $work/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$sqlport
DisableUnixSocket    = 1
ServerThreads        = 20
CheckpointInterval   = 0
NumberOfBuffers      = $buffers
MaxDirtyBuffers      = $dirty
MaxQueryMem          = 2G
ThreadsPerQuery      = $cores
AsyncQueueMaxThreads = 10
DirsAllowed          = ., $work, $(dirname "$dump")
DefaultIsolation     = 2

[HTTPServer]
ServerPort         = 127.0.0.1:$httpport
ServerRoot         = $work
ServerThreads      = 10
MaxKeepAlives      = 10
KeepAliveTimeout   = 10
EnabledDavVSP      = 0
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows           = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
EOF

# 4. Start and wait until the SQL port answers.
isql() {
	local out
	out=$(isql-vt "$sqlport" dba dba verbose=off banner=off prompt=off echo=off errors=stdout exec="$1" 2>&1)
	if grep -q '^\*\*\* Error' <<<"$out"; then
		echo "virtuoso: $1: $out" >&2
		return 1
	fi
	printf '%s\n' "$out"
}
virtuoso-t -f -c "$work/virtuoso.ini" >"$work/server.out" 2>&1 &
pid=$!
for i in $(seq 240); do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "virtuoso: server exited:" >&2
		tail -20 "$work/server.out" >&2
		exit 1
	fi
	isql-vt "$sqlport" dba dba exec="status();" >/dev/null 2>&1 && break
	((i < 240)) || { echo "virtuoso: no answer on port $sqlport after 120 s" >&2; exit 1; }
	sleep 0.5
done

# 5. Bulk load (named graphs kept: N-Quads), then a checkpoint.
count='sparql select count(*) where { graph ?g { ?s ?p ?o } };'
before=$(isql "$count" | tr -dc 0-9)
lines=$(grep -cv '^[[:space:]]*\(#\|$\)' "$dump")
start=$(date +%s.%N)
isql "ld_dir('$(dirname "$dump")', '$(basename "$dump")', '$DEFAULT_GRAPH'); rdf_loader_run(); checkpoint;" >/dev/null
end=$(date +%s.%N)
failed=$(isql "select count(*) from DB.DBA.load_list where ll_error is not null;" | tr -dc 0-9)
if [[ $failed != 0 ]]; then
	isql "select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;" >&2
	exit 1
fi
after=$(isql "$count" | tr -dc 0-9)
awk -v n="$lines" -v q="$((after - before))" -v s="$start" -v e="$end" -v b="$buffers" -v d="$dirty" 'BEGIN {
	printf "virtuoso: loaded %d quads (%d distinct in the store) from the dump in %.1f s with ld_dir + rdf_loader_run + checkpoint: %.0f triples/s; NumberOfBuffers %d, MaxDirtyBuffers %d\n", n, q, e - s, n / (e - s), b, d
}'

# 6. The queries.
"$work/client" -endpoint "http://127.0.0.1:$httpport/sparql" -queries cmd/benchquery/queries \
	-runs "$runs" -warmup "$warmup" "${expect[@]}" | tee "$work/table.txt"
if grep -q 'ROWS DIFFER' "$work/table.txt"; then
	echo "virtuoso: note: GRAPH ?g also matches <$DEFAULT_GRAPH>, where the dump's default-graph triples went, so GRAPH ?g queries may count one graph more than Tessera"
fi
