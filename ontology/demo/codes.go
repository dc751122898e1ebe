package demo

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// codeTable is a small extract of the real vocabularies the generator draws
// its codes from (OncoTree with NCIt cross-references, DICOM CID 29
// modalities, DICOM Body Part Examined with the SNOMED CT regions of CID
// 4031). It is committed so that the build needs nothing outside the
// repository; codes_test.go checks it against ../shared/data.
//
//go:embed codes.tsv
var codeTable string

// condition is a cancer type: its OncoTree code and name, the NCIt concept
// OncoTree cross-references, and the body part usually imaged for it.
type condition struct {
	oncoTree, name, ncit string
	bodyPart             *bodyPart
	modalities           []modality
	ncitIRI              graph.Term
}

// bodyPart is a DICOM Body Part Examined term with its SNOMED CT region.
type bodyPart struct {
	dicom, name, snomed string
	snomedIRI           graph.Term // the SNOMED CT region
	literal             graph.Term // the DICOM value as a string literal
}

// modality is a DICOM CID 29 acquisition modality.
type modality struct {
	code, name string
	iri        graph.Term // in the DICOM DCM namespace
}

// codes is the parsed code table.
type codes struct {
	conditions []condition
	bodyParts  []*bodyPart
	modalities []modality
}

// parseCodes reads the code table. Conditions name their body part, which
// must have its own row.
func parseCodes(table string) (*codes, error) {
	c := &codes{}
	byDICOM := map[string]*bodyPart{}
	type pending struct {
		cond condition
		bp   string
		mods string
		line int
	}
	var conds []pending
	sc := bufio.NewScanner(strings.NewReader(table))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		bad := func() error { return fmt.Errorf("code table line %d: want %s, got %d fields", line, f[0], len(f)) }
		switch f[0] {
		case "condition":
			if len(f) != 6 {
				return nil, bad()
			}
			conds = append(conds, pending{condition{oncoTree: f[1], name: f[2], ncit: f[3], ncitIRI: graph.IRI(ncitNS + f[3])}, f[4], f[5], line})
		case "bodypart":
			if len(f) != 4 {
				return nil, bad()
			}
			bp := &bodyPart{dicom: f[1], name: f[2], snomed: f[3], snomedIRI: graph.IRI(snomedNS + f[3]), literal: graph.String(f[1])}
			byDICOM[bp.dicom] = bp
			c.bodyParts = append(c.bodyParts, bp)
		case "modality":
			if len(f) != 3 {
				return nil, bad()
			}
			c.modalities = append(c.modalities, modality{code: f[1], name: f[2], iri: graph.IRI(dcmNS + f[1])})
		default:
			return nil, fmt.Errorf("code table line %d: unknown kind %q", line, f[0])
		}
	}
	for _, p := range conds {
		bp, ok := byDICOM[p.bp]
		if !ok {
			return nil, fmt.Errorf("code table line %d: condition %s names unknown body part %s", p.line, p.cond.oncoTree, p.bp)
		}
		p.cond.bodyPart = bp
		for _, code := range strings.Split(p.mods, ",") {
			m, ok := c.modality(code)
			if !ok {
				return nil, fmt.Errorf("code table line %d: condition %s names unknown modality %s", p.line, p.cond.oncoTree, code)
			}
			p.cond.modalities = append(p.cond.modalities, m)
		}
		c.conditions = append(c.conditions, p.cond)
	}
	if len(c.conditions) == 0 || len(c.modalities) == 0 {
		return nil, fmt.Errorf("code table: no conditions or no modalities")
	}
	return c, nil
}

func (c *codes) modality(code string) (modality, bool) {
	for _, m := range c.modalities {
		if m.code == code {
			return m, true
		}
	}
	return modality{}, false
}
