package loader

import (
	"math"
	"testing"
)

// The texts are serde_json's (zmij) for the same doubles, printed by the Rust crate.
func TestFloatsAreWrittenAsTheRustCLIWritesThem(t *testing.T) {
	tests := []struct {
		value float64
		text  string
	}{
		{1, "1.0"},
		{0.5, "0.5"},
		{100, "100.0"},
		{1e15, "1000000000000000.0"},
		{1e16, "1e+16"},
		{1.5e300, "1.5e+300"},
		{1e-4, "0.0001"},
		{1e-5, "0.00001"},
		{1e-6, "1e-6"},
		{1.2345e-7, "1.2345e-7"},
		{123456789012345680, "1.2345678901234568e+17"},
		{5e-324, "5e-324"},
		{-22.381870586134934, "-22.381870586134934"},
		{12345678.9, "12345678.9"},
		{9007199254740993, "9007199254740992.0"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
	}
	for _, test := range tests {
		if got := formatFloat(test.value); got != test.text {
			t.Errorf("%v written as %q, the Rust CLI writes %q", test.value, got, test.text)
		}
	}
}
