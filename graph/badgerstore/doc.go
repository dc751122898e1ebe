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
// # Keys
//
// Six permutations of the ids, SPOG, POSG, OSPG, GSPO, GPOS and GOSP, each a
// 33-byte key (prefix + four ids) with an empty value, so every quad pattern
// is one prefix scan and Count is a key-only scan. A registry key per named
// graph records that the graph exists (from its first quad or CreateGraph
// until DropGraph). One meta key holds the commit record.
//
// # Versions, atomicity and durability
//
// The store keeps visible, the last committed version, in the commit record.
// Snapshots read at visible. One Update runs at a time; its first write
// durably marks the commit record "pending", then its writes go through
// badger write batches at versions above visible (so a transaction has no
// size limit: a 10-million-quad load is one transaction). A batch holds only
// additions or only deletions, and reading inside the transaction flushes
// the batch and moves to the next version, so no key gets two values at one
// version and the transaction reads its own writes. Commit flushes, syncs,
// and durably moves the commit record to a version above all the writes.
// Rollback (fn failed, panicked, ctx ended, or Open found a pending record
// after a crash) scans the keys written above visible (badger's SinceTs
// skips older tables) and writes each one's value as of visible again at a
// newer version, then commits that. Readers never see a failed write.
// badger's discard timestamp follows the oldest pinned snapshot, so old
// versions are garbage-collected by compaction.
//
// # Statistics
//
// Stats are exact: one key-only scan of SPOG gives quad, graph and
// predicate counts and distinct subjects per predicate, one of POSG distinct
// objects per predicate. They are cached per committed version.
//
// # Performance (2-core shared machine, catalogue data from graphgen)
//
// Loading runs at about 50k triples/s (sorted runs of 256k entries into
// badger's memtables through its KVLoader); peak memory of a 10M-triple load
// is about 2 GB, mostly badger's compaction buffers. Both miss their targets
// (250k triples/s, 1 GB); the fix is a bulk path that writes sorted tables
// directly (badger's StreamWriter), not yet written.
//
// Not implemented: ids for dates and decimals, a bulk path that bypasses
// badger's write batches (badger's StreamWriter with sorted runs), and
// reclaiming dictionary entries of terms no quad uses any more.
package badgerstore
