package demo

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedData returns ../shared/data beside the repository.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("shared data missing: %v", err)
	}
	return data
}

// readCSV returns column 0 → column 2 of a code,system,display file.
func readCSV(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	m := map[string]string{}
	for _, r := range rows[1:] {
		m[r[0]] = r[2]
	}
	return m
}

// TestCodeTableMatchesVocabularies checks every row of codes.tsv against the
// real vocabulary files it was extracted from.
func TestCodeTableMatchesVocabularies(t *testing.T) {
	data := filepath.Join(sharedData(t), "vocabularies")
	c, err := parseCodes(codeTable)
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Code               string              `json:"code"`
		Name               string              `json:"name"`
		ExternalReferences map[string][]string `json:"externalReferences"`
		Children           map[string]*node    `json:"children"`
	}
	raw, err := os.ReadFile(filepath.Join(data, "oncotree_2025_10_03.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]*node
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatalf("oncotree: %v", err)
	}
	onco := map[string]*node{}
	var walk func(n *node)
	walk = func(n *node) {
		onco[n.Code] = n
		for _, ch := range n.Children {
			walk(ch)
		}
	}
	for _, n := range tree {
		walk(n)
	}
	for _, cond := range c.conditions {
		n := onco[cond.oncoTree]
		switch {
		case n == nil:
			t.Errorf("condition %s: not in OncoTree", cond.oncoTree)
		case n.Name != cond.name:
			t.Errorf("condition %s: name %q, OncoTree says %q", cond.oncoTree, cond.name, n.Name)
		case !slices.Contains(n.ExternalReferences["NCI"], cond.ncit):
			t.Errorf("condition %s: NCIt %s, OncoTree says %v", cond.oncoTree, cond.ncit, n.ExternalReferences["NCI"])
		}
	}
	dicomDir := filepath.Join(data, "dicom")
	modalities := readCSV(t, filepath.Join(dicomDir, "acquisition-modality-cid29.csv"))
	for _, m := range c.modalities {
		if modalities[m.code] != m.name {
			t.Errorf("modality %s: %q, CID 29 says %q", m.code, m.name, modalities[m.code])
		}
	}
	parts := readCSV(t, filepath.Join(dicomDir, "body-part-examined.csv"))
	regions := readCSV(t, filepath.Join(dicomDir, "common-anatomic-region-cid4031.csv"))
	for _, bp := range c.bodyParts {
		if parts[bp.dicom] != bp.name {
			t.Errorf("body part %s: %q, Body Part Examined says %q", bp.dicom, bp.name, parts[bp.dicom])
		}
		if _, ok := regions[bp.snomed]; !ok {
			t.Errorf("body part %s: SNOMED %s is not in CID 4031", bp.dicom, bp.snomed)
		}
	}
}

func TestParseCodesErrors(t *testing.T) {
	for _, tc := range []struct {
		name, table, want string
	}{
		{"unknown kind", "colour\tred\n", "unknown kind"},
		{"short condition", "condition\tPRAD\tProstate\n", "want condition"},
		{"unknown body part", "modality\tMR\tMagnetic Resonance\ncondition\tPRAD\tProstate Adenocarcinoma\tC2919\tPROSTATE\tMR\n", "unknown body part"},
		{"unknown modality", "bodypart\tPROSTATE\tProstate\t41216001\ncondition\tPRAD\tProstate Adenocarcinoma\tC2919\tPROSTATE\tXX\nmodality\tMR\tMR\n", "unknown modality"},
		{"empty", "# nothing\n", "no conditions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseCodes(tc.table)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseCodes(%q) = %v, want error containing %q", tc.table, err, tc.want)
			}
		})
	}
	if _, err := parseCodes(codeTable); err != nil {
		t.Errorf("parseCodes(codes.tsv) = %v", err)
	}
}
