package shacl

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

// integerRanges gives the value space bounds of xsd:integer and its derived
// types (XSD 1.1 Part 2 §3.4); nil bounds are unbounded.
var integerRanges = map[string][2]*big.Int{
	"integer":            {nil, nil},
	"long":               {big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)},
	"int":                {big.NewInt(math.MinInt32), big.NewInt(math.MaxInt32)},
	"short":              {big.NewInt(math.MinInt16), big.NewInt(math.MaxInt16)},
	"byte":               {big.NewInt(math.MinInt8), big.NewInt(math.MaxInt8)},
	"nonNegativeInteger": {big.NewInt(0), nil},
	"positiveInteger":    {big.NewInt(1), nil},
	"nonPositiveInteger": {nil, big.NewInt(0)},
	"negativeInteger":    {nil, big.NewInt(-1)},
	"unsignedLong":       {big.NewInt(0), new(big.Int).SetUint64(math.MaxUint64)},
	"unsignedInt":        {big.NewInt(0), big.NewInt(math.MaxUint32)},
	"unsignedShort":      {big.NewInt(0), big.NewInt(math.MaxUint16)},
	"unsignedByte":       {big.NewInt(0), big.NewInt(math.MaxUint8)},
}

func isIntegerType(dt string) bool {
	local, ok := strings.CutPrefix(dt, xsd)
	if !ok {
		return false
	}
	_, ok = integerRanges[local]
	return ok
}

// Lexical spaces of the XSD datatypes the validator checks (XSD 1.1 Part 2).
var (
	reInteger  = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reDecimal  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	reFloat    = regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$`)
	reDateTime = regexp.MustCompile(`^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDate     = regexp.MustCompile(`^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reTime     = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reGYear    = regexp.MustCompile(`^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reGYM      = regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDuration = regexp.MustCompile(`^-?P(([0-9]+Y)?([0-9]+M)?([0-9]+D)?)(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$`)
	reLang     = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)
)

// validLexical reports whether a literal's lexical form is in the lexical
// space of its datatype, for the XSD datatypes listed above plus
// xsd:boolean and rdf:langString; literals of other datatypes are taken
// as valid. Whitespace is collapsed first, as the XSD whiteSpace facet
// of the non-string types says.
func validLexical(t graph.Term) bool {
	dt := t.Datatype()
	if dt == graph.RDFLangString {
		return t.Lang() != ""
	}
	local, ok := strings.CutPrefix(dt, xsd)
	if !ok {
		return true
	}
	lex := t.Value()
	switch local {
	case "string", "normalizedString", "token", "anyURI", "language", "Name", "NCName", "NMTOKEN":
		return local != "language" || reLang.MatchString(lex)
	}
	lex = strings.TrimSpace(lex)
	if r, ok := integerRanges[local]; ok {
		if !reInteger.MatchString(lex) {
			return false
		}
		n, ok := new(big.Int).SetString(strings.TrimPrefix(lex, "+"), 10)
		return ok && (r[0] == nil || n.Cmp(r[0]) >= 0) && (r[1] == nil || n.Cmp(r[1]) <= 0)
	}
	switch local {
	case "boolean":
		return lex == "true" || lex == "false" || lex == "1" || lex == "0"
	case "decimal":
		return reDecimal.MatchString(lex)
	case "float", "double":
		return reFloat.MatchString(lex)
	case "dateTime", "dateTimeStamp":
		_, ok := parseDateTime(lex)
		m := reDateTime.FindStringSubmatch(lex)
		return ok && (local == "dateTime" || m[8] != "")
	case "date":
		_, ok := parseDateTime(lex)
		return ok
	case "time":
		m := reTime.FindStringSubmatch(lex)
		return m != nil && (atoi(m[1]) < 24 || (m[1] == "24" && m[2] == "00" && m[3] == "00")) && atoi(m[2]) < 60 && atoi(m[3]) < 60
	case "gYear":
		return reGYear.MatchString(lex)
	case "gYearMonth":
		return reGYM.MatchString(lex)
	case "duration":
		return reDuration.MatchString(lex) && lex != "P" && !strings.HasSuffix(lex, "T")
	}
	return true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// dateTimeValue is an xsd:dateTime or xsd:date value: the instant (in UTC
// when it had a timezone, read as UTC otherwise) and whether it had one.
type dateTimeValue struct {
	t     time.Time
	hasTZ bool
}

// parseDateTime reads an xsd:dateTime or xsd:date lexical form.
func parseDateTime(lex string) (dateTimeValue, bool) {
	var year, month, day, hour, min, sec int
	var frac, tz string
	if m := reDateTime.FindStringSubmatch(lex); m != nil {
		year, month, day, hour, min, sec = atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6])
		frac, tz = m[7], m[8]
		if hour == 24 {
			if min != 0 || sec != 0 || (frac != "" && strings.Trim(frac, ".0") != "") {
				return dateTimeValue{}, false
			}
		} else if hour > 23 {
			return dateTimeValue{}, false
		}
		if min > 59 || sec > 59 {
			return dateTimeValue{}, false
		}
	} else if m := reDate.FindStringSubmatch(lex); m != nil {
		year, month, day, tz = atoi(m[1]), atoi(m[2]), atoi(m[3]), m[4]
	} else {
		return dateTimeValue{}, false
	}
	if strings.HasPrefix(lex, "-") {
		year = -year
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return dateTimeValue{}, false
	}
	ns := 0
	if frac != "" {
		f, _ := strconv.ParseFloat("0"+frac, 64)
		ns = int(f * 1e9)
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, ns, time.UTC)
	if tz != "" && tz != "Z" {
		h, m := atoi(tz[1:3]), atoi(tz[4:6])
		if h > 14 || m > 59 || (h == 14 && m != 0) {
			return dateTimeValue{}, false
		}
		off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		if tz[0] == '+' {
			off = -off
		}
		t = t.Add(off)
	}
	return dateTimeValue{t: t, hasTZ: tz != ""}, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// valueClass groups datatypes whose values SPARQL compares with < and >.
type valueClass uint8

const (
	classNone valueClass = iota
	classNumeric
	classString
	classBoolean
	classDateTime
	classDate
)

func classify(t graph.Term) valueClass {
	if !t.IsLiteral() {
		return classNone
	}
	local, ok := strings.CutPrefix(t.Datatype(), xsd)
	if !ok {
		return classNone
	}
	switch {
	case isIntegerType(t.Datatype()), local == "decimal", local == "float", local == "double":
		return classNumeric
	case local == "string":
		return classString
	case local == "boolean":
		return classBoolean
	case local == "dateTime", local == "dateTimeStamp":
		return classDateTime
	case local == "date":
		return classDate
	}
	return classNone
}

// compareValues compares two literals with SPARQL's operator semantics
// (SPARQL 1.1 §17.3): numbers by value across the numeric types, strings
// by code point, booleans, and dateTimes (and dates) on the XSD time line,
// where a value without a timezone is compared with the ±14h rule of XSD
// 1.1 and may be incomparable. ok is false when the values cannot be
// compared: other kinds of term, different value classes, ill-typed
// literals or NaN.
func compareValues(a, b graph.Term) (cmp int, ok bool) {
	ca, cb := classify(a), classify(b)
	if ca == classNone || ca != cb || !validLexical(a) || !validLexical(b) {
		return 0, false
	}
	switch ca {
	case classNumeric:
		return compareNumbers(a, b)
	case classString:
		return strings.Compare(a.Value(), b.Value()), true
	case classBoolean:
		x, _ := boolValue(graph.Literal(strings.TrimSpace(a.Value()), xsdBoolean))
		y, _ := boolValue(graph.Literal(strings.TrimSpace(b.Value()), xsdBoolean))
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case classDateTime, classDate:
		x, ok1 := parseDateTime(strings.TrimSpace(a.Value()))
		y, ok2 := parseDateTime(strings.TrimSpace(b.Value()))
		if !ok1 || !ok2 {
			return 0, false
		}
		return compareInstants(x, y)
	}
	return 0, false
}

func compareInstants(x, y dateTimeValue) (int, bool) {
	if x.hasTZ == y.hasTZ {
		return x.t.Compare(y.t), true
	}
	// One value lacks a timezone: it stands for any instant within ±14h.
	const d = 14 * time.Hour
	if !x.hasTZ {
		c, ok := compareInstants(y, x)
		return -c, ok
	}
	switch {
	case x.t.Before(y.t.Add(-d)):
		return -1, true
	case x.t.After(y.t.Add(d)):
		return 1, true
	}
	return 0, false
}

func compareNumbers(a, b graph.Term) (int, bool) {
	fa, fb := isFloat(a), isFloat(b)
	if fa || fb {
		x, err1 := parseFloat(a.Value())
		y, err2 := parseFloat(b.Value())
		if err1 != nil || err2 != nil || math.IsNaN(x) || math.IsNaN(y) {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	x, ok1 := new(big.Rat).SetString(strings.TrimPrefix(strings.TrimSpace(a.Value()), "+"))
	y, ok2 := new(big.Rat).SetString(strings.TrimPrefix(strings.TrimSpace(b.Value()), "+"))
	if !ok1 || !ok2 {
		return 0, false
	}
	return x.Cmp(y), true
}

func isFloat(t graph.Term) bool {
	return t.Datatype() == xsd+"float" || t.Datatype() == xsd+"double"
}

func parseFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "INF", "+INF":
		return math.Inf(1), nil
	case "-INF":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, 64)
}
