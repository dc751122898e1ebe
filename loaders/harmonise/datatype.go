package harmonise

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/tessera-fair/tessera/graph"
)

// Lexical forms of the XSD datatypes harmonised records use (XML Schema 1.1
// Part 2). Values of other datatypes are not checked.
var (
	reInteger  = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reDecimal  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	reDouble   = regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$`)
	reDate     = regexp.MustCompile(`^-?([1-9][0-9]{3,}|0[0-9]{3})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDateTime = regexp.MustCompile(`^-?([1-9][0-9]{3,}|0[0-9]{3})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reTime     = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reGYear    = regexp.MustCompile(`^-?([1-9][0-9]{3,}|0[0-9]{3})(Z|[+-][0-9]{2}:[0-9]{2})?$`)
)

// validLexical reports whether lex is a valid lexical form of datatype
// (a full IRI). Unknown datatypes accept everything.
func validLexical(datatype, lex string) bool {
	local, ok := strings.CutPrefix(datatype, graph.XSDNamespace)
	if !ok {
		return true
	}
	switch local {
	case "integer", "long", "int", "short", "byte":
		return reInteger.MatchString(lex) && intInRange(local, lex)
	case "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
		return reInteger.MatchString(lex) && !negative(lex) && intInRange(local, lex)
	case "positiveInteger":
		return reInteger.MatchString(lex) && !negative(lex) && strings.Trim(strings.TrimLeft(lex, "+"), "0") != ""
	case "nonPositiveInteger":
		return reInteger.MatchString(lex) && (negative(lex) || strings.Trim(strings.TrimLeft(lex, "+-"), "0") == "")
	case "negativeInteger":
		return reInteger.MatchString(lex) && negative(lex) && strings.Trim(lex[1:], "0") != ""
	case "decimal":
		return reDecimal.MatchString(lex)
	case "double", "float":
		return reDouble.MatchString(lex)
	case "boolean":
		return lex == "true" || lex == "false" || lex == "1" || lex == "0"
	case "date":
		m := reDate.FindStringSubmatch(lex)
		return m != nil && validDay(m[1], m[2], m[3]) && validZone(m[4])
	case "dateTime":
		m := reDateTime.FindStringSubmatch(lex)
		return m != nil && validDay(m[1], m[2], m[3]) && validClock(m[4], m[5], m[6]) && validZone(m[8])
	case "time":
		m := reTime.FindStringSubmatch(lex)
		return m != nil && validClock(m[1], m[2], m[3]) && validZone(m[5])
	case "gYear":
		m := reGYear.FindStringSubmatch(lex)
		return m != nil && validZone(m[2])
	case "anyURI":
		return !strings.ContainsAny(lex, " \t\n\r<>\"{}|\\^`")
	}
	return true
}

func negative(lex string) bool { return strings.HasPrefix(lex, "-") }

// intInRange checks the bounded integer types.
func intInRange(local, lex string) bool {
	bits := map[string]int{"long": 64, "int": 32, "short": 16, "byte": 8,
		"unsignedLong": 64, "unsignedInt": 32, "unsignedShort": 16, "unsignedByte": 8}[local]
	if bits == 0 {
		return true
	}
	lex = strings.TrimPrefix(lex, "+")
	if strings.HasPrefix(local, "unsigned") {
		_, err := strconv.ParseUint(strings.TrimPrefix(lex, "-"), 10, bits)
		return err == nil
	}
	_, err := strconv.ParseInt(lex, 10, bits)
	return err == nil
}

func validDay(year, month, day string) bool {
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 28
	}
	return d <= days
}

func validClock(h, m, s string) bool {
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	ss, _ := strconv.Atoi(s)
	return hh < 24 && mm < 60 && ss < 60 || hh == 24 && mm == 0 && ss == 0
}

func validZone(z string) bool {
	if len(z) != 6 {
		return true
	}
	h, _ := strconv.Atoi(z[1:3])
	m, _ := strconv.Atoi(z[4:6])
	return h < 14 && m < 60 || h == 14 && m == 0
}
