package graph

import (
	"fmt"
	"testing"
)

func TestTopFrequent(t *testing.T) {
	counts := map[Term]int64{}
	for i := range MaxFrequent + 10 {
		counts[IRI(fmt.Sprintf("http://example.org/c%03d", i))] = FrequentMin + int64(i)
	}
	counts[IRI("http://example.org/rare")] = FrequentMin - 1
	got := TopFrequent(counts)
	if len(got) != MaxFrequent {
		t.Fatalf("TopFrequent kept %d objects, want %d", len(got), MaxFrequent)
	}
	if _, ok := got[IRI("http://example.org/rare")]; ok {
		t.Error("TopFrequent kept an object below FrequentMin")
	}
	// The largest are kept: c010 … c073; c009 and below are dropped.
	if _, ok := got[IRI("http://example.org/c009")]; ok {
		t.Error("TopFrequent kept c009, which 64 larger objects outrank")
	}
	if n := got[IRI(fmt.Sprintf("http://example.org/c%03d", MaxFrequent+9))]; n != FrequentMin+MaxFrequent+9 {
		t.Errorf("largest object count = %d, want %d", n, FrequentMin+MaxFrequent+9)
	}
	if TopFrequent(map[Term]int64{IRI("http://example.org/x"): 1}) != nil {
		t.Error("TopFrequent of only rare objects is not nil")
	}
}
