package loader

import (
	"math"
	"strconv"
	"strings"
)

// The engine keeps every number as its JSON text. The Rust CLI reads a YAML float as a double and
// writes it as serde_json does (the zmij crate): the shortest digits that name the double, in
// plain notation for decimal exponents from -5 to 15 ("0.00001", "22.5", "3.0" for a whole
// float), otherwise as "1e+16" or "1.5e-7". This loader writes YAML floats the same way, so a
// YAML design gives the engine the same text through it as through the Rust CLI; the
// cross-runtime identity test checks the result against the Rust CLI.

// formatFloat writes a finite float as serde_json writes it.
func formatFloat(value float64) string {
	sign := ""
	if math.Signbit(value) {
		sign = "-"
	}
	// Go's shortest digits are the shortest decimal that reads back as the double, as zmij's are.
	mantissa, exponentText, _ := strings.Cut(strconv.FormatFloat(math.Abs(value), 'e', -1, 64), "e")
	exponent, _ := strconv.Atoi(exponentText)
	digits := strings.Replace(mantissa, ".", "", 1)
	switch {
	case exponent < -5 || exponent > 15:
		scientific := digits[:1]
		if len(digits) > 1 {
			scientific += "." + digits[1:]
		}
		if exponent > 0 {
			return sign + scientific + "e+" + strconv.Itoa(exponent)
		}
		return sign + scientific + "e" + strconv.Itoa(exponent)
	case exponent < 0:
		return sign + "0." + strings.Repeat("0", -exponent-1) + digits
	case len(digits) <= exponent+1:
		return sign + digits + strings.Repeat("0", exponent+1-len(digits)) + ".0"
	default:
		return sign + digits[:exponent+1] + "." + digits[exponent+1:]
	}
}
