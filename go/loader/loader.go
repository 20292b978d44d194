// Package loader reads designs and relationship definitions from files the way the Rust CLI
// (examples/evaluate) does, so the Go command prints the same bytes for the same files: a design
// is JSON, or YAML when it is not JSON; --relationships names JSON files holding one definition
// or an array of them, or directories of such files read in name order.
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

// Definitions returns one JSON array holding every definition in the given files and
// directories, in the order the Rust CLI reads them.
func Definitions(paths ...string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteByte('[')
	count := 0
	for _, path := range paths {
		files, err := definitionFiles(path)
		if err != nil {
			return nil, err
		}
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
	}
	out.WriteByte(']')
	return out.Bytes(), nil
}

func definitionFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", path, err)
	}
	var files []string
	for _, entry := range entries {
		if strings.HasSuffix(entry.Name(), ".json") {
			files = append(files, filepath.Join(path, entry.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

// splitArray returns the elements of a JSON array, or the document itself when it is not one.
func splitArray(text []byte) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return []json.RawMessage{trimmed}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(trimmed, &items); err != nil {
		return nil, err
	}
	return items, nil
}
