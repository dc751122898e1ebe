// Package badgerstore is Tessera's durable graph.Store, on badger v4 in
// managed-timestamp mode.
//
// # Terms
//
// Every term is an 8-byte id. Small values are inlined in the id and need no
// dictionary entry: the default graph (id 0), integer-family literals
// (xsd:integer, xsd:nonNegativeInteger, xsd:long, ... thirteen datatypes)
// whose lexical form is canonical and fits in 56 bits, xsd:boolean "true" and
// "false", and xsd:string literals of up to 7 bytes. A non-canonical form
// ("042", "+1", "1"^^xsd:boolean) is not inlined, so decoding always gives
// back exactly the stored term. Every other term gets a tag bit, two kind
// bits and 61 bits of the xxhash of its encoding, and a dictionary entry
// id → encoding. Writing a term costs no read when the presence cache knows
// it; otherwise one point read checks that the id is free or holds this very
// term. An id holding another term (a collision) fails the write with
// ErrCollision and nothing is stored; with 61 bits the odds of any collision
// are about n²/2^62 for n distinct terms (1 in 46,000 for 10 million terms,
// 1 in 460 for 100 million). Dictionary entries are never removed except by
// a rollback, so Stats.Terms counts terms that are no longer used too.
//
// Readers implement graph.IDReader: QuadIDs scans an index without decoding
// anything, LookupID and TermOf translate at the edges, so the SPARQL
// evaluator joins and groups on ids. Ids with the top byte
// graph.LocalIDTag (0x7f) are never issued (tags in use: 0x00–0x0d, 0x10,
// 0x20–0x27, 0x80 and up), which leaves the range to callers.
//
// # Keys
//
// Six permutations of the ids, SPOG, POSG, OSPG, GSPO, GPOS and GOSP, each a
// 33-byte key (prefix + four ids) with an empty value, so every quad pattern
// is one prefix scan and Count is a key-only scan. A named graph's quad has
// a key in all six; a default-graph quad in SPOG, POSG and OSPG only (with
// G = 0, as Oxigraph keeps the default graph in three orders), which halves
// the keys a default-graph load writes: a pattern in the default graph scans
// the S/P/O index of its other bound positions, skipping named graphs' keys
// (keys.go). Store format 1 kept six keys for every quad; Open migrates it
// (store.go, migrate). A registry key per named
// graph records that the graph exists (from its first quad or CreateGraph
// until DropGraph). One meta key holds the commit record.
//
// # Versions, atomicity and durability
//
// The store keeps visible, the last committed version, in the commit record.
// Snapshots read at visible. One Update runs at a time; its first write
// durably marks the commit record "pending", then its writes go through
// badger write batches at versions above visible (so a transaction has no
// size limit). A batch holds only additions or only deletions, and reading
// inside the transaction flushes the batch and moves to the next version, so
// no key gets two values at one version and the transaction reads its own
// writes. Commit flushes, syncs, and durably moves the commit record to a
// version above all the writes. Rollback (fn failed, panicked, ctx ended, or
// Open found a pending record after a crash) scans the keys written above
// visible (badger's SinceTs skips older tables) and writes each one's value
// as of visible again at a newer version, then commits that. Readers never
// see a failed write. badger's discard timestamp follows the oldest pinned
// snapshot, so old versions are garbage-collected by compaction.
//
// # Bulk loads
//
// graph.Load finds (*Store).BulkLoad. Loads under Options.BulkMinQuads
// (100,000) run as one Update. Larger ones hold the writer lock and:
//
//  1. Phase 1, the store untouched: the caller's goroutine reads (parses)
//     the stream and hands quads over in batches to a second goroutine, so
//     that parsing and id assignment use both cores. Each quad becomes
//     four ids (as Tx.Add makes them) appended as a 32-byte record to a
//     run buffer; new terms'
//     encodings go to a dictionary buffer, skipped when a load-local cache
//     or the store's presence cache knows them. A full buffer (the buffers
//     share Options.BulkMemory, 128 MiB) is spilled as one sorted run file
//     per index order, two workers sorting the orders between them (an in-place
//     MSD radix sort, the records reordered in place between orders) into
//     bulk.tmp in the store's directory. With Replace the graph's current
//     quads go into the runs as deletions. Then the dictionary runs are
//     merged and checked, in id order, against each other and the store's
//     dictionary: two terms with one id fail the load with ErrCollision.
//     Any failure here (stream error, ctx, invalid quad, collision) only
//     removes the runs.
//  2. Phase 2: the pending record is written and badger's memtables are
//     flushed (PrepareIncremental refuses to run while they hold data; see
//     write in bulk.go for how), or, when the store holds nothing yet, a
//     marker file is written and badger emptied, so that the tables go
//     straight into its last level (fresh.go); then badger's StreamWriter
//     receives, per index, the k-way merge of its runs and of the last,
//     in-memory buffer (duplicates dropped, an addition winning over a
//     deletion), the new dictionary entries and the graph registry keys,
//     all at one new version, one stream per key prefix, two index merges
//     at a time and the dictionary alongside. While it runs, the pages of
//     the tables it has written are dropped from the process's memory
//     maps (see startTrim in trim_linux.go: badger keeps every table
//     mapped, and its written pages would otherwise stay resident). It
//     writes sorted tables straight into a level above the existing data.
//     Then the commit record, synced, as Update commits. A failure or ctx
//     ending in phase 2 is rolled back like a failed Update (into an empty
//     store: by emptying badger again), and so is a crash: tables badger
//     had not yet recorded in its MANIFEST are discarded by badger at
//     Open, recorded ones hold the pending version and are compensated by
//     Open's rollback (TestCrashDuringBulkWrite), or, into an empty store,
//     dropped (TestCrashDuringFreshBulkWrite). A
//     rollback rewrites every key the load wrote, so it costs about as
//     much as the load.
//
// The StreamWriter appends tables to their level unsorted until its final
// Flush sorts them, so new iterators wait for phase 2 to end (reads already
// running, and point reads, go on: the level they would need was empty).
//
// # Performance
//
// Measured on a shared 2-core machine (other engineers' jobs kept the load
// average between 3 and 15, so wall-clock figures vary by up to 2×; CPU-time
// figures are given too), catalogue data from graphgen, default options:
//
//   - Bulk load of 1M triples, durable commit included (cmd/benchload, from
//     N-Triples, load average about 2): into the default graph 300k–331k
//     triples/s, 5.1–5.7 CPU-s, 63 bytes a triple on disk; into a named
//     graph (six keys a quad instead of three) 202k–240k triples/s,
//     7.3–8.9 CPU-s, 117 bytes a triple. BenchmarkLoad 322k/s, the
//     transactional path (BenchmarkLoadTransactional) 170k/s. Before the
//     three-index default graph and the lower GC percentage
//     (Options.BulkGCPercent) a default-graph load ran at 188k–214k/s.
//     10M triples: 373k/s into the default graph, 233k/s into a named
//     graph. A load into a store that holds data leaves badger a
//     compaction of its level into the one below to run in the
//     background: 1.5 s (1.8 CPU-s) after 1M triples into the default
//     graph, 2.5 s into a named graph (Store.Compact runs it on demand;
//     cmd/benchload reports it). A load into an empty store leaves none:
//     it writes badger's last level (fresh.go), and ran at 341k–345k/s
//     into the default graph and 209k–217k/s into a named one, where the
//     general path ran at 295k–330k and 194k–200k/s.
//   - Bound-subject lookup of 7 quads on a 1M-triple bulk-loaded, compacted
//     store: 9.7 µs (BenchmarkLookupSubject; 17 to 33 µs with badger's
//     post-load compaction running beside it); in cmd/benchload, right
//     after reopening p50 16–20 µs and p99 109–145 µs (each first read of
//     a block: a decompression, and fresh pages for the block cache at
//     about 13 µs a page fault in the VM measured), then p50 6.4–7.4 µs,
//     p99 45–47 µs, max 122–163 µs. P+O scans 4.1 to 4.3M quads/s.
//   - Memory of a bulk load (cmd/benchload, VmHWM reset before each load):
//     0.34 GB at 1M triples (either graph), 0.46 GB at 10M into the default
//     graph (RssAnon 0.43 GB). Run buffers of 128 MiB, 4 MiB tables so that
//     the StreamWriter's table builders stay small, three memtables, a
//     128 MiB block cache, the GC percentage lowered to 40; what grows with
//     the store is badger's in-memory table indexes and bloom filters (about
//     8 MB per million triples). badger writes the tables through memory
//     maps and keeps them mapped, so their pages count in the resident set
//     (RssFile); the write phase drops them as it goes (startTrim), and
//     RssFile stays under 61 MB. badger's compaction after a load into a
//     store holding data maps the tables it reads and writes: RssFile
//     grows to about the store's size while it runs (Store.Compact, or
//     badger's background compactor).
//
// Not implemented: ids for dates and decimals, and reclaiming dictionary
// entries of terms no quad uses any more.
package badgerstore
