package discovery

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/graph/access"
)

// Criteria are the patient- and study-level criteria of a cohort count.
// Lists are OR, criteria AND; empty lists and nil bounds do not restrict.
type Criteria struct {
	// Patient level.
	Sexes                                []graph.Term
	MinAgeAtDiagnosis, MaxAgeAtDiagnosis *int
	Diagnoses                            []graph.Term
	// ExactConcepts turns off the expansion of Diagnoses, Sexes,
	// Modalities and BodyParts to descendants (equivalents still match).
	ExactConcepts bool
	// Study level.
	Modalities       []graph.Term
	BodyParts        []graph.Term
	Manufacturers    []string // case-insensitive
	YearFrom, YearTo *int
}

func (c Criteria) check() error {
	return checkLists(map[string]int{"sexes": len(c.Sexes), "diagnoses": len(c.Diagnoses), "modalities": len(c.Modalities),
		"bodyParts": len(c.BodyParts), "manufacturers": len(c.Manufacturers)})
}

func (c Criteria) hasStudyCriteria() bool {
	return len(c.Modalities) > 0 || len(c.BodyParts) > 0 || len(c.Manufacturers) > 0 || c.YearFrom != nil || c.YearTo != nil
}

// Mode says what happens to a count below the threshold.
type Mode uint8

// The obfuscation modes.
const (
	// Round reports a small non-zero count as the threshold ("10"), as
	// EUCAIM's federated search does.
	Round Mode = iota
	// Suppress reports a small non-zero count as suppressed (no value,
	// displayed "<10").
	Suppress
)

// Obfuscation is the rule for the counts of graphs whose records the
// caller may not see exactly. EUCAIM's Focus (samply/laplace) perturbs a
// count, reports counts below 10 as 10 and rounds the rest to the nearest
// multiple of 10; Tessera does the same without the random perturbation
// (deterministic: repeating a query leaks nothing new).
//
// The zero value is that rule: Threshold 10, Step 10, Round, and no level
// exact. A count is exact only when the graph's level is in ExactFor, the
// caller may see the graph's records (access.Policy.CanSeeRecords) and the
// level is not Controlled: no configuration yields an exact count from a
// controlled graph.
type Obfuscation struct {
	Threshold int
	Step      int
	Mode      Mode
	ExactFor  []access.Level
}

func (o Obfuscation) withDefaults() Obfuscation {
	if o.Threshold <= 0 {
		o.Threshold = 10
	}
	if o.Step <= 0 {
		o.Step = 10
	}
	return o
}

// Count is a reported count: exact, rounded, or suppressed.
type Count struct {
	// Value is the reported number (0 when Suppressed).
	Value int64
	// Display is Value as text, or "<Threshold" when suppressed.
	Display    string
	Exact      bool
	Suppressed bool
}

// Apply obfuscates n, or reports it exactly when exact. Zero is always
// exact: an empty result discloses no individual.
func (o Obfuscation) Apply(n int64, exact bool) Count {
	o = o.withDefaults()
	if exact || n == 0 {
		return Count{Value: n, Display: strconv.FormatInt(n, 10), Exact: true}
	}
	th, step := int64(o.Threshold), int64(o.Step)
	if n < th {
		if o.Mode == Suppress {
			return Count{Display: "<" + strconv.Itoa(o.Threshold), Suppressed: true}
		}
		return Count{Value: th, Display: strconv.FormatInt(th, 10)}
	}
	v := max((n+step/2)/step*step, th)
	return Count{Value: v, Display: strconv.FormatInt(v, 10)}
}

// Describe states the rule in words, for CohortResult.policy.
func (o Obfuscation) Describe() string {
	o = o.withDefaults()
	var b strings.Builder
	var exact []string
	for _, l := range access.Levels {
		if l != access.Controlled && slices.Contains(o.ExactFor, l) {
			exact = append(exact, l.String())
		}
	}
	if len(exact) > 0 {
		fmt.Fprintf(&b, "Counts from %s graphs whose records you may see are exact. ", strings.Join(exact, " and "))
		b.WriteString("Other counts")
	} else {
		b.WriteString("All non-zero counts")
	}
	fmt.Fprintf(&b, " are rounded to the nearest multiple of %d", o.Step)
	if o.Mode == Suppress {
		fmt.Fprintf(&b, "; counts below %d are suppressed", o.Threshold)
	} else {
		fmt.Fprintf(&b, "; counts below %d are reported as %d", o.Threshold, o.Threshold)
	}
	b.WriteString(". Controlled graphs never report exact counts. Totals are sums of the reported counts.")
	return b.String()
}

// Bucket is one value of a breakdown with its count.
type Bucket struct {
	Value string
	Label string
	Count Count
}

// CohortCount is the cohort count of one dataset.
type CohortCount struct {
	Dataset                      *Dataset
	Level                        access.Level
	Subjects, Studies            Count
	Age, Sex, Modality, BodyPart []Bucket
}

// CohortResult is the answer of Cohort.
type CohortResult struct {
	// Datasets with a non-zero (reported or suppressed) subject count,
	// by reported subjects (descending), then IRI.
	Datasets []CohortCount
	// Subjects and Studies are the sums of the reported counts.
	Subjects, Studies Count
	// Policy states the obfuscation rule applied.
	Policy string
}

// rawCount is a dataset's exact cohort count, before obfuscation.
type rawCount struct {
	d                       *Dataset
	subjects, studies       int64
	age                     map[int]int64
	sex, modality, bodyPart map[graph.Term]int64
}

// Cohort counts, per dataset matching f, the subjects matching c and their
// matching studies. A subject counts when it matches the patient criteria
// and, when study criteria are given, has at least one study matching them;
// studies counts the matching studies of the counted subjects (all their
// studies when no study criteria are given). Breakdowns: age at diagnosis
// (10-year buckets) and sex of the subjects, modality and body part of the
// studies. Counts are obfuscated per Options.Obfuscation; registered says
// whether the caller is signed in.
func (ix *Index) Cohort(ctx context.Context, c Criteria, f Filters, registered bool) (*CohortResult, error) {
	raws, err := ix.cohortCounts(ctx, c, f)
	if err != nil {
		return nil, err
	}
	ob := ix.opts.Obfuscation
	res := &CohortResult{Policy: ob.Describe(), Datasets: []CohortCount{}}
	totalExact := true
	for _, r := range raws {
		lvl := ix.Level(r.d)
		exact := lvl != access.Controlled && slices.Contains(ob.ExactFor, lvl) && ix.pol.CanSeeRecords(r.d.Graph, registered)
		cc := CohortCount{Dataset: r.d, Level: lvl, Subjects: ob.Apply(r.subjects, exact), Studies: ob.Apply(r.studies, exact)}
		cc.Age = ageBuckets(r.age, ob, exact)
		cc.Sex = ix.termBuckets(r.sex, ob, exact)
		cc.Modality = ix.termBuckets(r.modality, ob, exact)
		cc.BodyPart = ix.termBuckets(r.bodyPart, ob, exact)
		res.Datasets = append(res.Datasets, cc)
		res.Subjects.Value += cc.Subjects.Value
		res.Studies.Value += cc.Studies.Value
		totalExact = totalExact && cc.Subjects.Exact && cc.Studies.Exact
	}
	slices.SortFunc(res.Datasets, func(a, b CohortCount) int {
		return cmp.Or(cmp.Compare(b.Subjects.Value, a.Subjects.Value), strings.Compare(a.Dataset.IRI.Value(), b.Dataset.IRI.Value()))
	})
	res.Subjects.Exact, res.Studies.Exact = totalExact, totalExact
	res.Subjects.Display = strconv.FormatInt(res.Subjects.Value, 10)
	res.Studies.Display = strconv.FormatInt(res.Studies.Value, 10)
	return res, nil
}

func ageBuckets(m map[int]int64, ob Obfuscation, exact bool) []Bucket {
	out := []Bucket{}
	keys := slices.Sorted(func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		v := "unknown"
		if k >= 0 {
			v = ageBucket(k)
		}
		out = append(out, Bucket{Value: v, Label: v, Count: ob.Apply(m[k], exact)})
	}
	return out
}

func (ix *Index) termBuckets(m map[graph.Term]int64, ob Obfuscation, exact bool) []Bucket {
	out := make([]Bucket, 0, len(m))
	for t, n := range m {
		out = append(out, Bucket{Value: t.Value(), Label: ix.label(t, "en"), Count: ob.Apply(n, exact)})
	}
	slices.SortFunc(out, func(a, b Bucket) int {
		return cmp.Or(cmp.Compare(b.Count.Value, a.Count.Value), strings.Compare(a.Value, b.Value))
	})
	return out
}

// cohortCounts computes the exact counts of Cohort; datasets with no
// matching subject are left out.
func (ix *Index) cohortCounts(ctx context.Context, c Criteria, f Filters) ([]rawCount, error) {
	if err := errors.Join(c.check(), f.check()); err != nil {
		return nil, err
	}
	masks := ix.masks(f, nil)
	ci := ix.concepts
	expand := func(ts []graph.Term) map[graph.Term]bool {
		if len(ts) == 0 {
			return nil
		}
		s := map[graph.Term]bool{}
		for _, t := range ts {
			for x := range ci.Expand(t, c.ExactConcepts) {
				s[x] = true
			}
		}
		return s
	}
	sexes, diags, mods, bodies := expand(c.Sexes), expand(c.Diagnoses), expand(c.Modalities), expand(c.BodyParts)
	var manufs map[string]bool
	if len(c.Manufacturers) > 0 {
		manufs = map[string]bool{}
		for _, m := range c.Manufacturers {
			manufs[strings.ToLower(strings.TrimSpace(m))] = true
		}
	}
	studyCrit := c.hasStudyCriteria()
	var out []rawCount
	for _, g := range slices.SortedFunc(func(yield func(graph.Term) bool) {
		for g := range ix.parts {
			if !yield(g) {
				return
			}
		}
	}, graph.Compare) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := ix.parts[g]
		rec := &p.rec
		if len(rec.pSex) == 0 {
			continue
		}
		// Per dictionary id: does the value pass each criterion?
		pass := func(s map[graph.Term]bool) []bool {
			if s == nil {
				return nil
			}
			ok := make([]bool, len(rec.dict))
			for i, t := range rec.dict {
				ok[i] = s[t]
			}
			return ok
		}
		sexOK, diagOK, modOK, bodyOK := pass(sexes), pass(diags), pass(mods), pass(bodies)
		var manOK []bool
		if manufs != nil {
			manOK = make([]bool, len(rec.dict))
			for i, t := range rec.dict {
				manOK[i] = t.IsLiteral() && manufs[strings.ToLower(strings.TrimSpace(t.Value()))]
			}
		}
		test := func(ok []bool, v int32) bool { return ok == nil || (v >= 0 && ok[v]) }
		for di, pd := range p.datasets {
			d := ix.byIRI[pd.IRI]
			if d == nil || d.Graph != g || masks[d.pos] != allFacets {
				continue
			}
			r := rawCount{d: d}
			// Breakdowns are counted in arrays by dictionary id (maps per
			// study would dominate the loop) and turned into maps below.
			mods, bodies, sexCounts := make([]int64, len(rec.dict)), make([]int64, len(rec.dict)), make([]int64, len(rec.dict))
			var ages [maxAgeBucket + 2]int64 // [0]: unknown age
			for pi := rec.patOff[di]; pi < rec.patOff[di+1]; pi++ {
				if !test(sexOK, rec.pSex[pi]) || !test(diagOK, rec.pDiag[pi]) {
					continue
				}
				age := int(rec.pAge[pi])
				if (c.MinAgeAtDiagnosis != nil || c.MaxAgeAtDiagnosis != nil) && age < 0 {
					continue
				}
				if (c.MinAgeAtDiagnosis != nil && age < *c.MinAgeAtDiagnosis) || (c.MaxAgeAtDiagnosis != nil && age > *c.MaxAgeAtDiagnosis) {
					continue
				}
				var n int64
				from, to := rec.stOff[pi], rec.stOff[pi+1]
				for si := from; si < to; si++ {
					if studyCrit {
						if !test(modOK, rec.sMod[si]) || !test(bodyOK, rec.sBody[si]) || !test(manOK, rec.sManuf[si]) {
							continue
						}
						y := int(rec.sYear[si])
						if (c.YearFrom != nil || c.YearTo != nil) && y == 0 {
							continue
						}
						if (c.YearFrom != nil && y < *c.YearFrom) || (c.YearTo != nil && y > *c.YearTo) {
							continue
						}
					}
					n++
					if v := rec.sMod[si]; v >= 0 {
						mods[v]++
					}
					if v := rec.sBody[si]; v >= 0 {
						bodies[v]++
					}
				}
				if studyCrit && n == 0 {
					continue
				}
				r.subjects++
				r.studies += n
				if age >= 0 {
					ages[min(age/10, maxAgeBucket)+1]++
				} else {
					ages[0]++
				}
				if v := rec.pSex[pi]; v >= 0 {
					sexCounts[v]++
				}
			}
			if r.subjects == 0 {
				continue
			}
			r.age = map[int]int64{}
			for b, n := range ages {
				if n > 0 {
					r.age[b-1] = n
				}
			}
			r.sex, r.modality, r.bodyPart = byTerm(rec.dict, sexCounts), byTerm(rec.dict, mods), byTerm(rec.dict, bodies)
			out = append(out, r)
		}
	}
	return out, nil
}

// maxAgeBucket is the last age bucket (200-209: ages are below 200).
const maxAgeBucket = 20

// byTerm turns counts by dictionary id into counts by term.
func byTerm(dict []graph.Term, counts []int64) map[graph.Term]int64 {
	m := map[graph.Term]int64{}
	for i, n := range counts {
		if n > 0 {
			m[dict[i]] += n
		}
	}
	return m
}
