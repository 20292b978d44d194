package loader

import (
	"math"
	"strconv"
	"strings"
)

// The engine decodes JSON numbers with serde_json's default algorithm (without its
// float_roundtrip feature): the digits as an integer converted to a float, then one multiply or
// divide by a power of ten. For some 17-digit decimals that lands one unit in the last place
// away from the float the decimal means, while the Rust CLI reads YAML floats with a correctly
// rounding parser. So that a YAML design gives the engine the same float through this loader as
// through the Rust CLI, floats are written as a decimal the engine's decoder reads back as
// exactly that float; the cross-runtime identity test checks the result against the Rust CLI.

// powersOfTen are serde_json's POW10 table: 1e0 … 1e308, correctly rounded.
var powersOfTen = func() []float64 {
	table := make([]float64, 309)
	for i := range table {
		table[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i), 64)
	}
	return table
}()

// engineReads is the float the engine's JSON decoder makes of significand × 10^exponent.
func engineReads(significand uint64, exponent int) float64 {
	f := float64(significand)
	for {
		if exponent >= -308 && exponent <= 308 {
			if exponent >= 0 {
				return f * powersOfTen[exponent]
			}
			return f / powersOfTen[-exponent]
		}
		if f == 0 || exponent > 0 {
			return f
		}
		f /= 1e308
		exponent += 308
	}
}

// decimalParts splits FormatFloat's 'e' form ("1.2345e-07") into an integer significand and
// a decimal exponent.
func decimalParts(text string) (uint64, int, bool) {
	mantissa, exponentText, _ := strings.Cut(text, "e")
	exponent, err := strconv.Atoi(exponentText)
	if err != nil {
		return 0, 0, false
	}
	whole, fraction, _ := strings.Cut(mantissa, ".")
	significand, err := strconv.ParseUint(whole+fraction, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return significand, exponent - len(fraction), true
}

// formatFloat writes a finite float as a JSON number the engine reads back as exactly value
// (the shortest such decimal found; the shortest round-trip decimal when none is).
func formatFloat(value float64) string {
	negative := math.Signbit(value)
	magnitude := math.Abs(value)
	sign := ""
	if negative {
		sign = "-"
	}
	shortest := strconv.FormatFloat(magnitude, 'g', -1, 64)
	if !strings.ContainsAny(shortest, ".e") {
		shortest += ".0" // a float stays a float: 1.0, not 1
	}
	for digits := -1; digits <= 18; digits++ {
		if digits >= 0 && digits < 15 {
			continue // fewer digits than the shortest form cannot name the float
		}
		significand, exponent, ok := decimalParts(strconv.FormatFloat(magnitude, 'e', digits, 64))
		if !ok {
			continue
		}
		for _, delta := range []int64{0, -1, 1, -2, 2, -3, 3} {
			candidate := uint64(int64(significand) + delta)
			if engineReads(candidate, exponent) == magnitude {
				if digits == -1 && delta == 0 {
					return sign + shortest
				}
				return sign + strconv.FormatUint(candidate, 10) + "e" + strconv.Itoa(exponent)
			}
		}
	}
	return sign + shortest
}
