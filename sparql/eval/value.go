package eval

import (
	"cmp"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-fair/tessera/graph"
)

const xsd = graph.XSDNamespace

// XSD datatypes the evaluator knows the value space of.
const (
	xsdFloat    = xsd + "float"
	xsdDateTime = xsd + "dateTime"
	xsdDate     = xsd + "date"
	xsdTime     = xsd + "time"
	xsdDayTime  = xsd + "dayTimeDuration"
)

// isIntegerType reports whether dt is xsd:integer or a type derived from
// it. (A switch over the names: a compare or two, where a map lookup
// hashes the IRI; it runs for every literal a comparison meets.)
func isIntegerType(dt string) bool {
	switch dt {
	case graph.XSDInteger, xsd + "int", xsd + "long", xsd + "short", xsd + "byte",
		xsd + "nonNegativeInteger", xsd + "positiveInteger", xsd + "nonPositiveInteger",
		xsd + "negativeInteger", xsd + "unsignedLong", xsd + "unsignedInt",
		xsd + "unsignedShort", xsd + "unsignedByte":
		return true
	}
	return false
}

// numKind orders the numeric types by promotion (§17.3, XPath type
// promotion): integer < decimal < float < double.
type numKind uint8

const (
	kInteger numKind = iota
	kDecimal
	kFloat
	kDouble
)

// number is a numeric value: r for integer and decimal, f for float and
// double.
type number struct {
	k numKind
	r *big.Rat
	f float64
}

func (n number) float() float64 {
	if n.k >= kFloat {
		return n.f
	}
	f, _ := n.r.Float64()
	return f
}

func (n number) rat() *big.Rat {
	if n.k < kFloat {
		return n.r
	}
	r := new(big.Rat)
	if math.IsInf(n.f, 0) || math.IsNaN(n.f) {
		return nil
	}
	r.SetFloat64(n.f)
	return r
}

func isNumericType(dt string) bool {
	return isIntegerType(dt) || dt == graph.XSDDecimal || dt == xsdFloat || dt == graph.XSDDouble
}

func validInteger(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

func validDouble(s string) bool {
	switch s {
	case "INF", "-INF", "+INF", "NaN":
		return true
	}
	mant, exp, hasExp := strings.Cut(strings.ToUpper(s), "E")
	if !validDecimal(mant) {
		return false
	}
	return !hasExp || validInteger(exp)
}

// numeric returns the value of a numeric literal; false for other terms
// and for ill-typed numeric literals.
func numeric(t graph.Term) (number, bool) {
	if !t.IsLiteral() {
		return number{}, false
	}
	dt, lex := t.Datatype(), t.Value()
	switch {
	case isIntegerType(dt):
		if v, ok := smallInteger(t); ok {
			return number{k: kInteger, r: new(big.Rat).SetInt64(v)}, true
		}
		if !validInteger(lex) {
			return number{}, false
		}
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(lex, "+"))
		if !ok || !integerInRange(dt, r) {
			return number{}, false
		}
		return number{k: kInteger, r: r}, true
	case dt == graph.XSDDecimal:
		if !validDecimal(lex) {
			return number{}, false
		}
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(lex, "+"))
		if !ok {
			return number{}, false
		}
		return number{k: kDecimal, r: r}, true
	case dt == xsdFloat || dt == graph.XSDDouble:
		if !validDouble(lex) {
			return number{}, false
		}
		f, err := parseFloat(lex)
		if err != nil {
			return number{}, false
		}
		k := kDouble
		if dt == xsdFloat {
			k = kFloat
			f = float64(float32(f))
		}
		return number{k: k, f: f}, true
	}
	return number{}, false
}

func parseFloat(lex string) (float64, error) {
	switch lex {
	case "INF", "+INF":
		return math.Inf(1), nil
	case "-INF":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	f, err := strconv.ParseFloat(lex, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
	}
	return f, err
}

func integerInRange(dt string, r *big.Rat) bool {
	n := r.Num()
	if n.IsInt64() {
		return int64InRange(dt, n.Int64())
	}
	if _, bounded := intBounds[dt]; bounded {
		return false
	}
	// Beyond int64 only the sign matters to the unbounded types.
	return int64InRange(dt, int64(n.Sign()))
}

// intBounds are the value ranges of the bounded integer types.
var intBounds = map[string][2]int64{
	xsd + "long": {math.MinInt64, math.MaxInt64}, xsd + "int": {math.MinInt32, math.MaxInt32},
	xsd + "short": {math.MinInt16, math.MaxInt16}, xsd + "byte": {math.MinInt8, math.MaxInt8},
	xsd + "unsignedInt": {0, math.MaxUint32}, xsd + "unsignedShort": {0, math.MaxUint16},
	xsd + "unsignedByte": {0, math.MaxUint8},
}

// int64InRange is integerInRange for a value that fits an int64.
func int64InRange(dt string, v int64) bool {
	switch dt {
	case xsd + "nonNegativeInteger", xsd + "unsignedLong":
		return v >= 0
	case xsd + "positiveInteger":
		return v > 0
	case xsd + "nonPositiveInteger":
		return v <= 0
	case xsd + "negativeInteger":
		return v < 0
	}
	if b, ok := intBounds[dt]; ok {
		return v >= b[0] && v <= b[1]
	}
	return true
}

// term returns the canonical literal of n.
func (n number) term() graph.Term {
	switch n.k {
	case kInteger:
		return graph.Literal(n.r.Num().String(), graph.XSDInteger)
	case kDecimal:
		return graph.Literal(formatDecimal(n.r), graph.XSDDecimal)
	case kFloat:
		return graph.Literal(formatDouble(float64(float32(n.f)), 32), xsdFloat)
	}
	return graph.Literal(formatDouble(n.f, 64), graph.XSDDouble)
}

func intTerm(i int64) graph.Term { return graph.Literal(strconv.FormatInt(i, 10), graph.XSDInteger) }

// formatDecimal writes a decimal in canonical form (always with a
// fractional digit), with up to 24 fractional digits for values whose
// expansion does not terminate.
func formatDecimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String() + ".0"
	}
	s := r.FloatString(24)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

// formatRatio is formatDecimal(num/den) for int64 operands with
// |num| < 2^62 and 0 < den < 2^58 (the sum and count of an AVG over
// small integers), computed by long division without big.Rat: 24
// fractional digits, the last rounded half away from zero, trailing
// zeros trimmed.
func formatRatio(num, den int64) string {
	neg := num < 0
	if neg {
		num = -num
	}
	q, rem := num/den, num%den
	var frac [24]byte
	for i := range frac {
		rem *= 10
		frac[i] = byte('0' + rem/den)
		rem %= den
	}
	if 2*rem >= den { // round half away from zero
		i := len(frac) - 1
		for ; i >= 0 && frac[i] == '9'; i-- {
			frac[i] = '0'
		}
		if i >= 0 {
			frac[i]++
		} else {
			q++
		}
	}
	n := len(frac)
	for n > 1 && frac[n-1] == '0' {
		n--
	}
	var b []byte
	if neg && (q != 0 || n > 1 || frac[0] != '0') {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, q, 10)
	b = append(b, '.')
	return string(append(b, frac[:n]...))
}

// formatDouble writes the canonical xsd:double form, e.g. 1.0E2.
func formatDouble(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0E0"
		}
		return "0.0E0"
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// promote returns the common kind of a and b.
func promote(a, b number) numKind { return max(a.k, b.k) }

func arith(op byte, a, b number) (number, bool) {
	k := promote(a, b)
	if k >= kFloat {
		x, y := a.float(), b.float()
		var f float64
		switch op {
		case '+':
			f = x + y
		case '-':
			f = x - y
		case '*':
			f = x * y
		case '/':
			f = x / y
		}
		if k == kFloat {
			f = float64(float32(f))
		}
		return number{k: k, f: f}, true
	}
	r := new(big.Rat)
	switch op {
	case '+':
		r.Add(a.r, b.r)
	case '-':
		r.Sub(a.r, b.r)
	case '*':
		r.Mul(a.r, b.r)
	case '/':
		if b.r.Sign() == 0 {
			return number{}, false
		}
		r.Quo(a.r, b.r)
		k = max(k, kDecimal)
	}
	return number{k: k, r: r}, true
}

func cmpNumbers(a, b number) (int, bool) {
	if promote(a, b) >= kFloat {
		x, y := a.float(), b.float()
		if math.IsNaN(x) || math.IsNaN(y) {
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
	return a.r.Cmp(b.r), true
}

// isString reports whether t is a simple literal or xsd:string.
func isString(t graph.Term) bool { return t.IsLiteral() && t.Datatype() == graph.XSDString }

// isStringLike reports whether t is a string literal, simple or with a
// language tag (the arguments string functions accept, §17.4.3).
func isStringLike(t graph.Term) bool {
	return t.IsLiteral() && (t.Datatype() == graph.XSDString || t.Datatype() == graph.RDFLangString)
}

func boolTerm(b bool) graph.Term {
	if b {
		return graph.Literal("true", graph.XSDBoolean)
	}
	return graph.Literal("false", graph.XSDBoolean)
}

func boolValue(t graph.Term) (bool, bool) {
	if !t.IsLiteral() || t.Datatype() != graph.XSDBoolean {
		return false, false
	}
	switch t.Value() {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// ebv is the effective boolean value (§17.2.2); false when it is an error.
func ebv(t graph.Term) (bool, bool) {
	if !t.IsLiteral() {
		return false, false
	}
	dt := t.Datatype()
	switch {
	case dt == graph.XSDBoolean:
		b, ok := boolValue(t)
		if !ok {
			return false, true
		}
		return b, true
	case dt == graph.XSDString || dt == graph.RDFLangString:
		return t.Value() != "", true
	case isNumericType(dt):
		n, ok := numeric(t)
		if !ok {
			return false, true
		}
		if n.k >= kFloat {
			return n.f != 0 && !math.IsNaN(n.f), true
		}
		return n.r.Sign() != 0, true
	}
	return false, false
}

// dateTime is an xsd:dateTime (or date) value; tz reports whether the
// lexical form had a time zone.
type dateTime struct {
	t     time.Time
	tz    bool
	frac  string // fractional seconds as written, without the dot
	local time.Time
}

func parseDateTime(t graph.Term) (dateTime, bool) {
	if !t.IsLiteral() {
		return dateTime{}, false
	}
	lex := t.Value()
	switch t.Datatype() {
	case xsdDateTime:
	case xsdDate:
		// a date is midnight of that day
		d, tzs := splitTZ(lex)
		lex = d + "T00:00:00" + tzs
	default:
		return dateTime{}, false
	}
	body, tzs := splitTZ(lex)
	layout := "2006-01-02T15:04:05"
	frac := ""
	if i := strings.IndexByte(body, '.'); i >= 0 {
		frac = body[i+1:]
		body = body[:i]
		if frac == "" || !validInteger(frac) || frac[0] == '+' || frac[0] == '-' {
			return dateTime{}, false
		}
	}
	tm, err := time.Parse(layout, body)
	if err != nil {
		if strings.HasPrefix(body[min(len(body), 10):], "T24:00:00") {
			tm, err = time.Parse(layout, body[:11]+"00:00:00")
			if err != nil {
				return dateTime{}, false
			}
			tm = tm.Add(24 * time.Hour)
		} else {
			return dateTime{}, false
		}
	}
	if frac != "" {
		ns, _ := strconv.ParseFloat("0."+frac, 64)
		tm = tm.Add(time.Duration(ns * 1e9))
	}
	dt := dateTime{frac: frac, local: tm}
	if tzs != "" {
		dt.tz = true
		off := 0
		if tzs != "Z" {
			h, _ := strconv.Atoi(tzs[1:3])
			m, _ := strconv.Atoi(tzs[4:6])
			off = h*3600 + m*60
			if tzs[0] == '-' {
				off = -off
			}
		}
		tm = time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.FixedZone("", off))
	}
	dt.t = tm
	return dt, true
}

// splitTZ splits "…Z", "…+01:00" or "…-05:00" off a lexical form.
func splitTZ(s string) (string, string) {
	if strings.HasSuffix(s, "Z") {
		return s[:len(s)-1], "Z"
	}
	if len(s) >= 6 {
		tz := s[len(s)-6:]
		if (tz[0] == '+' || tz[0] == '-') && tz[3] == ':' {
			return s[:len(s)-6], tz
		}
	}
	return s, ""
}

func cmpDateTimes(a, b dateTime) (int, bool) {
	if a.tz != b.tz {
		// XSD: indeterminate unless the 14-hour window decides it.
		x, y := a.t, b.t
		if !a.tz {
			x = time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC)
		}
		if !b.tz {
			y = time.Date(y.Year(), y.Month(), y.Day(), y.Hour(), y.Minute(), y.Second(), y.Nanosecond(), time.UTC)
		}
		d := x.Sub(y)
		if d > 14*time.Hour {
			return 1, true
		}
		if d < -14*time.Hour {
			return -1, true
		}
		return 0, false
	}
	return a.t.Compare(b.t), true
}

// equal is the = operator (§17.3): value equality for the types the
// evaluator knows, RDF term equality otherwise, and a type error when two
// literals of unknown types differ.
func equal(a, b graph.Term) (bool, bool) {
	if a.IsLiteral() && b.IsLiteral() {
		if na, ok := numeric(a); ok {
			if nb, ok := numeric(b); ok {
				c, ok := cmpNumbers(na, nb)
				return ok && c == 0, true
			}
		}
		da, db := a.Datatype(), b.Datatype()
		switch {
		case da == graph.XSDString && db == graph.XSDString:
			return a.Value() == b.Value(), true
		case da == graph.XSDBoolean && db == graph.XSDBoolean:
			x, ok1 := boolValue(a)
			y, ok2 := boolValue(b)
			if ok1 && ok2 {
				return x == y, true
			}
		case (da == xsdDateTime && db == xsdDateTime) || (da == xsdDate && db == xsdDate):
			x, ok1 := parseDateTime(a)
			y, ok2 := parseDateTime(b)
			if ok1 && ok2 {
				c, ok := cmpDateTimes(x, y)
				return c == 0, ok
			}
		case da == graph.RDFLangString && db == graph.RDFLangString:
			return a == b, true
		}
		if a == b {
			return true, true
		}
		if knownType(da) && knownType(db) && validLexical(a) && validLexical(b) {
			return false, true
		}
		return false, false
	}
	return a == b, true
}

// knownType reports whether the evaluator knows dt's value space, so that
// two valid literals of different known types are simply unequal.
func knownType(dt string) bool {
	return dt == graph.XSDString || dt == graph.RDFLangString || dt == graph.XSDBoolean ||
		isNumericType(dt) || dt == xsdDateTime || dt == xsdDate
}

func validLexical(t graph.Term) bool {
	dt := t.Datatype()
	switch {
	case isNumericType(dt):
		_, ok := numeric(t)
		return ok
	case dt == graph.XSDBoolean:
		_, ok := boolValue(t)
		return ok
	case dt == xsdDateTime || dt == xsdDate:
		_, ok := parseDateTime(t)
		return ok
	}
	return true
}

// compare is the < family (§17.3): numerics, strings, booleans and date
// times; an error for anything else.
func compare(a, b graph.Term) (int, bool) {
	if !a.IsLiteral() || !b.IsLiteral() {
		return 0, false
	}
	// Fast paths for the values catalogue queries compare most (ages,
	// counts, dates): same answer as below, without big.Rat or time.Parse.
	if x, ok := smallInteger(a); ok {
		if y, ok := smallInteger(b); ok {
			return cmp.Compare(x, y), true
		}
	}
	if da := a.Datatype(); da == b.Datatype() && (da == xsdDate || da == xsdDateTime) &&
		plainDateTime(a.Value(), da == xsdDate) && plainDateTime(b.Value(), da == xsdDate) {
		// Valid, zone-less, fixed-width forms order as their text.
		return strings.Compare(a.Value(), b.Value()), true
	}
	if na, ok := numeric(a); ok {
		if nb, ok := numeric(b); ok {
			return cmpNumbers(na, nb)
		}
		return 0, false
	}
	da, db := a.Datatype(), b.Datatype()
	switch {
	case da == graph.XSDString && db == graph.XSDString:
		return strings.Compare(a.Value(), b.Value()), true
	case da == graph.XSDBoolean && db == graph.XSDBoolean:
		x, ok1 := boolValue(a)
		y, ok2 := boolValue(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case (da == xsdDateTime && db == xsdDateTime) || (da == xsdDate && db == xsdDate):
		x, ok1 := parseDateTime(a)
		y, ok2 := parseDateTime(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		return cmpDateTimes(x, y)
	}
	return 0, false
}

// smallInteger returns the value of a literal of xsd:integer or a type
// derived from it whose lexical form is an optional sign and 1 to 18
// digits (so it fits an int64) and whose value is in its type's range:
// what numeric accepts, without big.Rat.
func smallInteger(t graph.Term) (int64, bool) {
	dt := t.Datatype()
	if dt != graph.XSDInteger && !isIntegerType(dt) {
		return 0, false
	}
	lex := t.Value()
	digits := lex
	if len(digits) > 0 && (digits[0] == '-' || digits[0] == '+') {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if lex[0] == '-' {
		v = -v
	}
	if dt != graph.XSDInteger && !int64InRange(dt, v) {
		return 0, false
	}
	return v, true
}

// plainDateTime reports whether lex is a valid xsd:date YYYY-MM-DD (date)
// or xsd:dateTime YYYY-MM-DDThh:mm:ss with a four-digit year, no
// fraction and no time zone: two such forms of the same type compare as
// their text.
func plainDateTime(lex string, date bool) bool {
	n := 19
	if date {
		n = 10
	}
	if len(lex) != n || lex[4] != '-' || lex[7] != '-' {
		return false
	}
	num := func(i, j int) int {
		v := 0
		for k := i; k < j; k++ {
			c := lex[k]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := num(0, 4), num(5, 7), num(8, 10)
	if y < 0 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return false
	}
	if date {
		return true
	}
	if lex[10] != 'T' || lex[13] != ':' || lex[16] != ':' {
		return false
	}
	h, mi, sec := num(11, 13), num(14, 16), num(17, 19)
	return h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60
}

// daysIn is the number of days of month m (1–12) in year y.
func daysIn(m, y int) int {
	if m == 2 {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + (m+m/8)%2 // 31 in Jan, Mar, May, Jul, Aug, Oct, Dec
}

// orderCompare is the ORDER BY order (§15.1): unbound < blank nodes < IRIs
// < literals; literals by value where comparable, then by a fixed total
// order of their lexical form, datatype and language.
func orderCompare(a, b graph.Term) int {
	ra, rb := orderRank(a), orderRank(b)
	if ra != rb {
		return ra - rb
	}
	switch ra {
	case 0:
		return 0
	case 1, 2:
		return strings.Compare(a.Value(), b.Value())
	}
	if c, ok := compare(a, b); ok && c != 0 {
		return c
	}
	// Simple literals before typed ones, then a total order.
	sa, sb := a.Datatype() == graph.XSDString, b.Datatype() == graph.XSDString
	if sa != sb {
		if sa {
			return -1
		}
		return 1
	}
	return graph.Compare(a, b)
}

func orderRank(t graph.Term) int {
	switch t.Kind() {
	case graph.KindNone:
		return 0
	case graph.KindBlank:
		return 1
	case graph.KindIRI:
		return 2
	}
	return 3
}
