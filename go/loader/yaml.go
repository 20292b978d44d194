package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// One YAML reading (docs/yaml.md): the YAML 1.2 core schema, read alike by the Rust CLI, the npm
// package and this loader, which tests/yaml/cases.json holds to the same JSON text or the same
// error code and path. yaml.v3 gives the nodes with their text, style and explicit tag; the
// resolution of a scalar to a JSON value is this package's (scalar.go), not yaml.v3's, which
// follows YAML 1.1 in places (0644 is octal there, 2001-12-14 a timestamp).

// Error is a reading error with the engine's code (INVALID_JSON, DUPLICATE_KEY, INVALID_TYPE,
// CYCLE, LIMIT_EXCEEDED) and the JSON pointer of the node at fault ("" for the whole text).
type Error struct {
	Code    string
	Path    string
	Message string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s at %s: %s", e.Code, e.Path, e.Message)
}

const (
	// DeepestNesting is the engine's limit on nested arrays and objects (limits::DEEPEST_NESTING).
	DeepestNesting = 128
	// aliasValueBudget bounds the values aliases may copy in one document, so a "billion laughs"
	// text is refused instead of expanded.
	aliasValueBudget = 1_000_000
)

// YAMLToJSON returns the JSON text of one YAML document, mapping order kept, or an *Error.
func YAMLToJSON(text []byte, maxDepth int) ([]byte, error) {
	if err := checkRawDepth(text, maxDepth); err != nil {
		return nil, err
	}
	decoder := yaml.NewDecoder(bytes.NewReader(acceptVersion12(text)))
	var document yaml.Node
	if err := decoder.Decode(&document); err != nil {
		if errors.Is(err, io.EOF) {
			return []byte("null"), nil
		}
		if strings.Contains(err.Error(), "exceeded max depth") {
			// yaml.v3's own limit (10,000 levels), met before this reader's on block nesting.
			return nil, tooDeep(maxDepth, "")
		}
		return nil, &Error{Code: "INVALID_JSON", Message: err.Error()}
	}
	var second yaml.Node
	if err := decoder.Decode(&second); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, &Error{Code: "INVALID_JSON", Message: err.Error()}
		}
		return nil, &Error{Code: "INVALID_JSON", Message: "the text holds more than one YAML document"}
	}
	r := reader{maxDepth: maxDepth, open: map[*yaml.Node]bool{}, done: map[*yaml.Node]written{}}
	var out bytes.Buffer
	if len(document.Content) == 0 {
		out.WriteString("null")
		return out.Bytes(), nil
	}
	if _, err := r.write(&out, document.Content[0], nil, 0); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// acceptVersion12 reads a "%YAML 1.2" directive as yaml.v3 can: it knows only 1.1, whose
// directive changes nothing in how it parses.
func acceptVersion12(text []byte) []byte {
	directive := versionDirective.FindIndex(text)
	if directive == nil {
		return text
	}
	if marker := documentMarker.FindIndex(text); marker != nil && marker[0] < directive[0] {
		return text
	}
	accepted := append([]byte(nil), text...)
	accepted[directive[1]-1] = '1'
	return accepted
}

var (
	versionDirective = regexp.MustCompile(`(?m)^%YAML[ \t]+1\.2`)
	documentMarker   = regexp.MustCompile(`(?m)^---`)
)

// checkRawDepth is reading::check_raw_depth: brackets outside double-quoted strings, counted
// before any parser runs, so a million open brackets cost one scan.
func checkRawDepth(text []byte, maxDepth int) error {
	depth, inString, escaped := 0, false, false
	for offset, b := range text {
		switch {
		case inString && escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case inString:
			inString = b != '"'
		case b == '"':
			inString = true
		case b == '[' || b == '{':
			depth++
			if depth > maxDepth {
				return tooDeep(maxDepth, fmt.Sprintf(" (byte %d)", offset))
			}
		case (b == ']' || b == '}') && depth > 0:
			depth--
		}
	}
	return nil
}

func tooDeep(maxDepth int, where string) *Error {
	message := fmt.Sprintf("maxDepth: the input nests deeper than the limit of %d levels%s", maxDepth, where)
	return &Error{Code: "LIMIT_EXCEEDED", Message: message}
}

// written is what an anchored node became: its text, how many values it holds and how many
// levels of arrays and objects it nests, for the aliases that copy it.
type written struct {
	text []byte
	shape
}

type reader struct {
	maxDepth int
	copied   int
	open     map[*yaml.Node]bool
	done     map[*yaml.Node]written
}

// shape is how many values a node holds (itself included, aliases expanded) and how many levels
// of arrays and objects it nests.
type shape struct {
	values int
	height int
}

// write writes node, found at path inside level arrays and objects.
func (r *reader) write(out *bytes.Buffer, node *yaml.Node, path []string, level int) (shape, error) {
	if node.Kind == yaml.AliasNode {
		return r.writeAlias(out, node.Alias, path, level)
	}
	start := out.Len()
	own, err := r.writeOwn(out, node, path, level)
	if err == nil && node.Anchor != "" {
		r.done[node] = written{text: append([]byte(nil), out.Bytes()[start:]...), shape: own}
	}
	return own, err
}

func (r *reader) writeAlias(out *bytes.Buffer, target *yaml.Node, path []string, level int) (shape, error) {
	if r.open[target] {
		return shape{}, &Error{Code: "CYCLE", Path: pointer(path), Message: "the alias is inside the node it names"}
	}
	copied, done := r.done[target]
	if !done {
		// An anchored key: a scalar, read as a value here (each time: it copies one value).
		return r.writeOwn(out, target, path, level)
	}
	if level+copied.height > r.maxDepth {
		return shape{}, tooDeep(r.maxDepth, " (through an alias)")
	}
	r.copied += copied.values
	if r.copied > aliasValueBudget {
		message := fmt.Sprintf("the aliases of the document copy more than %d values", aliasValueBudget)
		return shape{}, &Error{Code: "LIMIT_EXCEEDED", Message: message}
	}
	out.Write(copied.text)
	return copied.shape, nil
}

func (r *reader) writeOwn(out *bytes.Buffer, node *yaml.Node, path []string, level int) (shape, error) {
	tag := explicitTag(node)
	switch node.Kind {
	case yaml.ScalarNode:
		text, err := scalarJSON(node.Value, tag, isPlain(node))
		if err != nil {
			return shape{}, &Error{Code: "INVALID_TYPE", Path: pointer(path), Message: err.Error()}
		}
		out.WriteString(text)
		return shape{values: 1}, nil
	case yaml.SequenceNode, yaml.MappingNode:
		if level+1 > r.maxDepth {
			return shape{}, tooDeep(r.maxDepth, "")
		}
		if want := map[yaml.Kind]string{yaml.SequenceNode: "seq", yaml.MappingNode: "map"}[node.Kind]; tag != "" && tag != want {
			return shape{}, &Error{Code: "INVALID_TYPE", Path: pointer(path), Message: unsupportedTag(tag, "a collection")}
		}
		r.open[node] = true
		defer delete(r.open, node)
		if node.Kind == yaml.SequenceNode {
			return r.writeSequence(out, node, path, level)
		}
		return r.writeMapping(out, node, path, level)
	}
	return shape{}, &Error{Code: "INVALID_JSON", Path: pointer(path), Message: fmt.Sprintf("line %d: unsupported YAML node", node.Line)}
}

func (r *reader) writeSequence(out *bytes.Buffer, node *yaml.Node, path []string, level int) (shape, error) {
	own := shape{values: 1}
	out.WriteByte('[')
	for i, item := range node.Content {
		if i > 0 {
			out.WriteByte(',')
		}
		child, err := r.write(out, item, append(path, fmt.Sprint(i)), level+1)
		if err != nil {
			return shape{}, err
		}
		own = own.holding(child)
	}
	out.WriteByte(']')
	own.height++
	return own, nil
}

// holding adds a child's values and levels to a collection's.
func (s shape) holding(child shape) shape {
	return shape{values: s.values + child.values, height: max(s.height, child.height)}
}

func (r *reader) writeMapping(out *bytes.Buffer, node *yaml.Node, path []string, level int) (shape, error) {
	own := shape{values: 1}
	seen := map[string]bool{}
	out.WriteByte('{')
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, err := r.keyText(node.Content[i], path)
		if err != nil {
			return shape{}, err
		}
		keyPath := append(path[:len(path):len(path)], key)
		if seen[key] {
			return shape{}, &Error{Code: "DUPLICATE_KEY", Path: pointer(keyPath), Message: fmt.Sprintf("the key at %s appears twice in its mapping", pointer(keyPath))}
		}
		seen[key] = true
		if i > 0 {
			out.WriteByte(',')
		}
		writeString(out, key)
		out.WriteByte(':')
		child, err := r.write(out, node.Content[i+1], keyPath, level+1)
		if err != nil {
			return shape{}, err
		}
		own = own.holding(child)
	}
	out.WriteByte('}')
	own.height++
	return own, nil
}

// keyText is a key's text: a scalar as written (after quotes and escapes), whatever it would
// resolve to as a value; an alias names its scalar. A collection has no text to be a key.
func (r *reader) keyText(key *yaml.Node, path []string) (string, error) {
	if key.Kind == yaml.AliasNode {
		key = key.Alias
	}
	if key.Kind != yaml.ScalarNode {
		return "", &Error{Code: "INVALID_TYPE", Path: pointer(path), Message: "a mapping key must be a scalar, not a collection"}
	}
	keyPath := pointer(append(path[:len(path):len(path)], key.Value))
	tag := explicitTag(key)
	if tag == "" && isPlain(key) && key.Value == "<<" {
		return "", &Error{Code: "INVALID_TYPE", Path: keyPath, Message: mergeKeyMessage}
	}
	if tag != "" {
		if _, err := scalarJSON(key.Value, tag, isPlain(key)); err != nil {
			return "", &Error{Code: "INVALID_TYPE", Path: keyPath, Message: err.Error()}
		}
	}
	return key.Value, nil
}

// explicitTag is the tag written on the node: "str", "int"… for the YAML tags
// (tag:yaml.org,2002:), the tag as written for any other, "" for none.
func explicitTag(node *yaml.Node) string {
	if node.Style&yaml.TaggedStyle == 0 {
		return ""
	}
	if core, ok := strings.CutPrefix(node.Tag, "!!"); ok {
		return core
	}
	return node.Tag
}

func isPlain(node *yaml.Node) bool {
	return node.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

func pointer(path []string) string {
	var b strings.Builder
	for _, segment := range path {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(segment, "~", "~0"), "/", "~1"))
	}
	return b.String()
}
