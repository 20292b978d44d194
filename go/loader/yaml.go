package loader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlToJSON converts one YAML document to JSON text, keeping mapping order (the Rust CLI keeps
// it too) and the int/float distinction: 1.0 stays a float, 1 an integer.
func yamlToJSON(text []byte) ([]byte, error) {
	var document yaml.Node
	if err := yaml.Unmarshal(text, &document); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if len(document.Content) == 0 {
		out.WriteString("null")
		return out.Bytes(), nil
	}
	if err := writeNode(&out, document.Content[0]); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func writeNode(out *bytes.Buffer, node *yaml.Node) error {
	switch node.Kind {
	case yaml.AliasNode:
		return writeNode(out, node.Alias)
	case yaml.MappingNode:
		out.WriteByte('{')
		for i := 0; i+1 < len(node.Content); i += 2 {
			if i > 0 {
				out.WriteByte(',')
			}
			key := node.Content[i]
			if key.Kind == yaml.AliasNode {
				key = key.Alias
			}
			writeString(out, key.Value)
			out.WriteByte(':')
			if err := writeNode(out, node.Content[i+1]); err != nil {
				return err
			}
		}
		out.WriteByte('}')
	case yaml.SequenceNode:
		out.WriteByte('[')
		for i, item := range node.Content {
			if i > 0 {
				out.WriteByte(',')
			}
			if err := writeNode(out, item); err != nil {
				return err
			}
		}
		out.WriteByte(']')
	case yaml.ScalarNode:
		return writeScalar(out, node)
	default:
		return fmt.Errorf("line %d: unsupported YAML node", node.Line)
	}
	return nil
}

func writeScalar(out *bytes.Buffer, node *yaml.Node) error {
	switch node.ShortTag() {
	case "!!null":
		out.WriteString("null")
	case "!!bool":
		value, err := strconv.ParseBool(node.Value)
		if err != nil {
			return fmt.Errorf("line %d: %w", node.Line, err)
		}
		out.WriteString(strconv.FormatBool(value))
	case "!!int":
		value, err := strconv.ParseInt(strings.ReplaceAll(node.Value, "_", ""), 0, 64)
		if err != nil {
			unsigned, uerr := strconv.ParseUint(node.Value, 0, 64)
			if uerr != nil {
				return fmt.Errorf("line %d: %w", node.Line, err)
			}
			out.WriteString(strconv.FormatUint(unsigned, 10))
			return nil
		}
		out.WriteString(strconv.FormatInt(value, 10))
	case "!!float":
		value, err := strconv.ParseFloat(node.Value, 64)
		if err != nil || math.IsInf(value, 0) || math.IsNaN(value) {
			// JSON has no infinities or NaN; serde_json writes them as null.
			out.WriteString("null")
			return nil
		}
		out.WriteString(formatFloat(value))
	default:
		writeString(out, node.Value)
	}
	return nil
}

func writeString(out *bytes.Buffer, s string) {
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	_ = encoder.Encode(s)
	out.Truncate(out.Len() - 1) // Encode appends a newline
}
