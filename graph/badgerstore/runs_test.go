package badgerstore

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"
)

// TestRadixSort compares radixSort with a comparison sort on record sets
// shaped like the indexes' (constant, low-entropy and hashed columns).
func TestRadixSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	hashed := func() uint64 { return hashedID(0, rng.Uint64()) }
	tests := []struct {
		name string
		n    int
		rec  func() quadRec
	}{
		{"empty", 0, nil},
		{"one", 1, func() quadRec { return quadRec{hashed(), 1, 2, 3} }},
		{"small", 20, func() quadRec { return quadRec{hashed(), hashed(), 0, 0} }},
		{"uniform", 50_000, func() quadRec { return quadRec{hashed(), hashed(), hashed(), hashed()} }},
		{"oneGraph", 50_000, func() quadRec { return quadRec{0, hashed(), uint64(rng.IntN(7)), hashed()} }},
		{"duplicates", 50_000, func() quadRec { return quadRec{uint64(rng.IntN(3)), uint64(rng.IntN(300)), 5, uint64(rng.IntN(40))} }},
		{"inline", 50_000, func() quadRec { return quadRec{uint64(rng.IntN(1 << 20)), 1 << 56, rng.Uint64(), 0} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := make([]quadRec, tt.n)
			for i := range recs {
				recs[i] = tt.rec()
			}
			want := slices.Clone(recs)
			slices.SortFunc(want, compareRec)
			radixSort(recs, 0)
			if !slices.Equal(recs, want) {
				t.Errorf("radixSort of %d records differs from slices.SortFunc", tt.n)
			}
		})
	}
}

// TestAppendKV checks the hand-written KV encoding against badger's own
// decoder.
func TestAppendKV(t *testing.T) {
	tests := []struct {
		prefix byte
		rest   []byte
		val    []byte
		ver    uint64
		meta   byte
		stream uint32
		done   bool
	}{
		{pfxSPOG, bytes.Repeat([]byte{0xab}, 32), nil, 3, 0, pfxSPOG, false},
		{pfxGOSP, bytes.Repeat([]byte{1}, 32), nil, 1 << 40, bitDelete, pfxGOSP, false},
		{pfxDict, []byte{1, 2, 3, 4, 5, 6, 7, 8}, bytes.Repeat([]byte("long term "), 40), 300, 0, pfxDict, false},
		{0, nil, nil, 0, 0, pfxGraph, true},
	}
	buf := z.NewBuffer(1<<10, "test")
	defer func() { _ = buf.Release() }()
	var want []*pb.KV
	for _, tt := range tests {
		buf.WriteSlice(appendKV(nil, tt.prefix, tt.rest, tt.val, tt.ver, tt.meta, tt.stream, tt.done))
		kv := &pb.KV{Version: tt.ver, StreamId: tt.stream, StreamDone: tt.done, Value: tt.val}
		if tt.prefix != 0 {
			kv.Key = append([]byte{tt.prefix}, tt.rest...)
		}
		if tt.meta != 0 {
			kv.Meta = []byte{tt.meta}
		}
		want = append(want, kv)
	}
	list, err := badger.BufferToKVList(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Kv) != len(want) {
		t.Fatalf("decoded %d KVs, want %d", len(list.Kv), len(want))
	}
	for i, got := range list.Kv {
		w := want[i]
		if !bytes.Equal(got.Key, w.Key) || !bytes.Equal(got.Value, w.Value) || got.Version != w.Version ||
			!bytes.Equal(got.Meta, w.Meta) || got.StreamId != w.StreamId || got.StreamDone != w.StreamDone {
			t.Errorf("KV %d decodes as %v, want %v", i, got, w)
		}
	}
}
