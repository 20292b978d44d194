package evaluator

import (
	"encoding/json"
	"fmt"
)

// Error codes: the same strings as the Rust core and the JavaScript package.
const (
	CodeInvalidJSON     = "INVALID_JSON"
	CodeDuplicateKey    = "DUPLICATE_KEY"
	CodeInvalidType     = "INVALID_TYPE"
	CodeMissingField    = "MISSING_FIELD"
	CodeDuplicateID     = "DUPLICATE_ID"
	CodeUnknownID       = "UNKNOWN_ID"
	CodeCycle           = "CYCLE"
	CodeLimitExceeded   = "LIMIT_EXCEEDED"
	CodeFlapping        = "FLAPPING"
	CodeInvalidSnapshot = "INVALID_SNAPSHOT"
	CodeInvalidOption   = "INVALID_OPTION"
	CodeInternal        = "INTERNAL"
	CodePoisoned        = "POISONED"
)

// Error is an evaluation error: Code for programs, Message for people, Path (an RFC 6901 JSON
// pointer such as /components/3/id, empty for the whole input) for the field at fault. Use
// errors.As to get one out of a returned error.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

// Error formats the error as the Rust core does.
func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s at %s: %s", e.Code, e.Path, e.Message)
}

// decodeError reads the error JSON the engine returns.
func decodeError(payload []byte) *Error {
	var e Error
	if err := json.Unmarshal(payload, &e); err != nil || e.Code == "" {
		return &Error{Code: CodeInternal, Message: fmt.Sprintf("unreadable error from the engine: %q", payload)}
	}
	return &e
}
