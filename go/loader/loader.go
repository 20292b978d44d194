// Package loader reads designs and relationship definitions from files the way the Rust CLI
// (examples/evaluate) does, so the Go command prints the same bytes for the same files: a design
// is JSON, or YAML when it is not JSON; --relationships names JSON or YAML files holding one
// definition or an array of them, or directories of such files (*.json, *.yaml, *.yml, in name
// order, not recursively). A path that yields no definition is a *UsageError, as in the Rust CLI
// and the npm CLI: evaluating against none would delete every relationship of the design.
package loader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Document returns the JSON text of a design file ("-" reads r): the file itself when it is
// JSON, else its YAML converted to JSON with key order kept.
func Document(path string, stdin io.Reader) ([]byte, error) {
	var text []byte
	var err error
	if path == "-" {
		text, err = io.ReadAll(stdin)
	} else {
		text, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return ToJSON(text, path)
}

// ToJSON returns text when it starts like JSON ({ or [, or is JSON), for the engine to read and
// name its errors, as the Rust CLI and the npm package do; else its YAML as JSON (YAMLToJSON). A
// YAML error is an *Error whose message names the source.
func ToJSON(text []byte, source string) ([]byte, error) {
	body := bytes.TrimLeft(bytes.TrimPrefix(text, []byte("\uFEFF")), " \t\r\n")
	if json.Valid(text) || bytes.HasPrefix(body, []byte("{")) || bytes.HasPrefix(body, []byte("[")) {
		return text, nil
	}
	converted, err := YAMLToJSON(text, DeepestNesting)
	var reading *Error
	if errors.As(err, &reading) {
		return nil, &Error{Code: reading.Code, Path: reading.Path, Message: fmt.Sprintf("%s: %s", source, reading.Message)}
	}
	return converted, err
}

// UsageError is a --relationships path that yields no definition: bad usage (exit 2), never an
// evaluation against no definitions.
type UsageError struct{ Message string }

func (e *UsageError) Error() string { return e.Message }

// Definitions returns one JSON array holding every definition in the given files and
// directories, in the order the Rust CLI reads them.
func Definitions(paths ...string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteByte('[')
	count := 0
	for _, path := range paths {
		files, subdirectories, err := definitionFiles(path)
		if err != nil {
			return nil, err
		}
		before := count
		for _, file := range files {
			text, err := Document(file, nil)
			if err != nil {
				return nil, err
			}
			items, err := splitArray(text)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			for _, item := range items {
				if count > 0 {
					out.WriteByte(',')
				}
				out.Write(item)
				count++
			}
		}
		if count == before {
			return nil, noDefinitions(path, files, subdirectories)
		}
	}
	out.WriteByte(']')
	return out.Bytes(), nil
}

// noDefinitions says why a path yielded no definition, in the words of the other two CLIs.
func noDefinitions(path string, files, subdirectories []string) *UsageError {
	place := path + " holds no definitions"
	if len(files) == 0 {
		place = "no *.json, *.yaml or *.yml files in the directory " + path
		if len(subdirectories) > 0 {
			place += " (directories are not searched recursively; it has " + strings.Join(subdirectories, ", ") + ")"
		}
	}
	return &UsageError{Message: "--relationships " + path + ": " + place +
		"; evaluating without definitions would delete every relationship of the design"}
}

// definitionFiles returns the file itself, or a directory's JSON and YAML files in name order
// and the subdirectories it was not searched into.
func definitionFiles(path string) ([]string, []string, error) {
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		return []string{path}, nil, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot list %s: %w", path, err)
	}
	var files, subdirectories []string
	for _, entry := range entries {
		name := entry.Name()
		switch {
		case entry.IsDir():
			subdirectories = append(subdirectories, name+"/")
		case strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
			files = append(files, filepath.Join(path, name))
		}
	}
	sort.Strings(files)
	sort.Strings(subdirectories)
	return files, subdirectories, nil
}

// splitArray returns the elements of a JSON array, or the document itself when it is not one.
func splitArray(text []byte) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(text)
	if string(trimmed) == "null" {
		return nil, nil // an empty YAML document: no definition
	}
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return []json.RawMessage{trimmed}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(trimmed, &items); err != nil {
		return nil, err
	}
	return items, nil
}
