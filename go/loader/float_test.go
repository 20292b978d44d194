package loader

import (
	"math"
	"testing"
)

func TestFloatsAreWrittenSoTheEngineReadsTheSameFloat(t *testing.T) {
	tests := []struct {
		name  string
		value float64
	}{
		{"a design coordinate serde_json's default decoder misreads", -22.381870586134934},
		{"another", -107.97727272727273},
		{"short", 1.5},
		{"whole", 3},
		{"tiny", 5e-324},
		{"huge", 1.7976931348623157e308},
		{"negative zero", math.Copysign(0, -1)},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			text := formatFloat(test.value)
			significand, exponent, ok := decimalParts(normalise(text))
			if !ok {
				t.Fatalf("%q is not a decimal", text)
			}
			got := engineReads(significand, exponent)
			if text[0] == '-' {
				got = -got
			}
			if got != test.value && !(test.value == 0 && got == 0) {
				t.Fatalf("%v written as %q is read as %v", test.value, text, got)
			}
		})
	}
}

func TestAWholeFloatStaysAFloat(t *testing.T) {
	if got := formatFloat(3); got != "3.0" {
		t.Fatalf("3.0 written as %q", got)
	}
}

// normalise turns any JSON number the formatter writes into FormatFloat's 'e' shape.
func normalise(text string) string {
	if text[0] == '-' {
		text = text[1:]
	}
	mantissa, exponent := text, "0"
	for i, c := range text {
		if c == 'e' {
			mantissa, exponent = text[:i], text[i+1:]
		}
	}
	return mantissa + "e" + exponent
}
