package loader

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// The YAML 1.2 core schema's forms (https://yaml.org/spec/1.2.2/#1023-core-schema): a plain
// scalar that matches none is a string.
var (
	nullForm   = regexp.MustCompile(`^(?:null|Null|NULL|~|)$`)
	trueForm   = regexp.MustCompile(`^(?:true|True|TRUE)$`)
	falseForm  = regexp.MustCompile(`^(?:false|False|FALSE)$`)
	decimal    = regexp.MustCompile(`^[-+]?[0-9]+$`)
	octal      = regexp.MustCompile(`^0o[0-7]+$`)
	hexa       = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	floatForm  = regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$`)
	notFinite  = regexp.MustCompile(`^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	maxUint64  = new(big.Int).SetUint64(math.MaxUint64)
	errNoMatch = errors.New("no match")
)

const mergeKeyMessage = "merge keys (<<) are YAML 1.1, not part of the YAML 1.2 core schema this reader follows; " +
	"write the merged mapping out, or quote the key to mean the text <<"

// scalarJSON is the JSON text of a scalar: its tag ("" when none is written, "str", "int"…
// for the YAML tags, another tag as written) decides, else a plain scalar is resolved by the
// core schema and any other style is a string.
func scalarJSON(text, tag string, plain bool) (string, error) {
	if tag == "" && !plain {
		tag = "str"
	}
	if tag == "" {
		tag = resolvePlain(text)
	}
	var json string
	err := errNoMatch
	switch tag {
	case "str":
		var out bytes.Buffer
		writeString(&out, text)
		return out.String(), nil
	case "null":
		if nullForm.MatchString(text) {
			json, err = "null", nil
		}
	case "bool":
		if trueForm.MatchString(text) || falseForm.MatchString(text) {
			json, err = strconv.FormatBool(trueForm.MatchString(text)), nil
		}
	case "int":
		json, err = intJSON(text)
	case "float":
		json, err = floatJSON(text)
	default:
		return "", errors.New(unsupportedTag(tag, "a scalar"))
	}
	if errors.Is(err, errNoMatch) {
		return "", fmt.Errorf("%q is not a YAML 1.2 core-schema %s", text, tag)
	}
	return json, err
}

func resolvePlain(text string) string {
	switch {
	case nullForm.MatchString(text):
		return "null"
	case trueForm.MatchString(text), falseForm.MatchString(text):
		return "bool"
	case decimal.MatchString(text), octal.MatchString(text), hexa.MatchString(text):
		return "int"
	case floatForm.MatchString(text), notFinite.MatchString(text):
		return "float"
	}
	return "str"
}

// intJSON writes an integer in decimal: every digit of a decimal one, however long (no sign for
// zero, no leading zeros); an octal or hexadecimal one must fit 64 bits.
func intJSON(text string) (string, error) {
	switch {
	case decimal.MatchString(text):
		negative := text[0] == '-'
		digits := strings.TrimLeft(strings.TrimLeft(text, "+-"), "0")
		if digits == "" {
			return "0", nil
		}
		if negative {
			return "-" + digits, nil
		}
		return digits, nil
	case octal.MatchString(text), hexa.MatchString(text):
		value, _ := new(big.Int).SetString(text, 0)
		if value.Cmp(maxUint64) > 0 {
			return "", fmt.Errorf("%s is past the 64 bits an octal or hexadecimal integer may have here", text)
		}
		return value.String(), nil
	}
	return "", errNoMatch
}

// floatJSON writes a float as the shortest text of the nearest double (formatFloat); JSON has no
// infinities or NaN, so they and the floats past a double's range are refused.
func floatJSON(text string) (string, error) {
	if notFinite.MatchString(text) {
		return "", fmt.Errorf("%s is not a finite number, which JSON cannot carry", text)
	}
	if !floatForm.MatchString(text) {
		return "", errNoMatch
	}
	value, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(value, 0) {
		return "", fmt.Errorf("%s is past the range of a double", text)
	}
	return formatFloat(value), nil
}

func unsupportedTag(tag, what string) string {
	if len(tag) > 0 && tag[0] != '!' {
		tag = "!!" + tag
	}
	return fmt.Sprintf("the tag %s on %s is outside the YAML 1.2 core schema this reader follows "+
		"(!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)", tag, what)
}

// writeString writes a JSON string as serde_json does: \" \\ \b \f \n \r \t, other control
// characters as \u00XX, everything else as it is.
func writeString(out *bytes.Buffer, s string) {
	out.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			out.WriteString(`\"`)
		case '\\':
			out.WriteString(`\\`)
		case '\b':
			out.WriteString(`\b`)
		case '\f':
			out.WriteString(`\f`)
		case '\n':
			out.WriteString(`\n`)
		case '\r':
			out.WriteString(`\r`)
		case '\t':
			out.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(out, `\u%04x`, r)
			} else {
				out.WriteRune(r)
			}
		}
	}
	out.WriteByte('"')
}
