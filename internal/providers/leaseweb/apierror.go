package leaseweb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is every non-2xx answer of the Leaseweb API (and a 2xx answer that
// a call did not Expect). It carries the documented error body: errorCode,
// errorMessage, errorDetails and correlationId, plus userMessage and
// reference, which some Leaseweb APIs add. Answers that are not JSON (an HTML
// page from a proxy) keep a cleaned, truncated copy of their text in
// ErrorMessage. Request bodies are never part of an APIError.
type APIError struct {
	Method string // HTTP method of the request
	Path   string // request path, without host and query
	Status int    // HTTP status code

	ErrorCode     string              // body errorCode; a numeric code is normalised to its decimal string
	ErrorMessage  string              // body errorMessage, or the cleaned text of a non-JSON body
	ErrorDetails  map[string][]string // body errorDetails: request field path → messages
	CorrelationID string              // body correlationId; quote it when contacting Leaseweb support
	UserMessage   string              // body userMessage, when the API sends one
	Reference     string              // body reference (a documentation URL), when the API sends one

	RetryAfter time.Duration // Retry-After of the answer, capped; 0 when absent
}

// Error returns a one-line description, for example
//
//	POST /publicCloud/v1/instances: 400 Bad Request: The API could not interpret your request correctly. (rootDiskSize: must be at least 5) [correlationId 289346a1-…]
//
// Details are sorted by field. An errorCode that merely repeats the status is
// left out.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.Status)
	if text := http.StatusText(e.Status); text != "" {
		b.WriteString(" " + text)
	}
	msg := e.ErrorMessage
	if msg == "" {
		msg = e.UserMessage
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	if d := e.detailsString(); d != "" {
		b.WriteString(" (" + d + ")")
	}
	var tags []string
	if e.ErrorCode != "" && e.ErrorCode != strconv.Itoa(e.Status) {
		tags = append(tags, "errorCode "+e.ErrorCode)
	}
	if e.CorrelationID != "" {
		tags = append(tags, "correlationId "+e.CorrelationID)
	}
	if len(tags) > 0 {
		b.WriteString(" [" + strings.Join(tags, ", ") + "]")
	}
	return b.String()
}

// detailsString renders ErrorDetails as "field: message; field: message",
// sorted by field and keeping each field's message order.
func (e *APIError) detailsString() string {
	keys := make([]string, 0, len(e.ErrorDetails))
	for k := range e.ErrorDetails {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, m := range e.ErrorDetails[k] {
			parts = append(parts, k+": "+m)
		}
	}
	return strings.Join(parts, "; ")
}

// IsNotFound reports whether err is, or wraps, an APIError with status 404.
func IsNotFound(err error) bool {
	return StatusOf(err) == http.StatusNotFound
}

// StatusOf returns the HTTP status of the APIError in err's chain, or 0 when
// err is not (and does not wrap) an APIError.
func StatusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}

// maxErrorText bounds the text kept from a non-JSON error body.
const maxErrorText = 300

// errorBody is the wire form of the Leaseweb error body. "message" is what
// API gateways answer with (for example on 429) instead of errorMessage.
type errorBody struct {
	CorrelationID string                     `json:"correlationId"`
	ErrorCode     flexString                 `json:"errorCode"`
	ErrorMessage  string                     `json:"errorMessage"`
	ErrorDetails  map[string]json.RawMessage `json:"errorDetails"`
	UserMessage   string                     `json:"userMessage"`
	Reference     string                     `json:"reference"`
	Message       string                     `json:"message"`
}

// newAPIError builds the APIError for an answer with the given status and
// body. It never fails: a body that is not the documented JSON shape still
// yields the status and a readable excerpt of the text.
func newAPIError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) == 0 {
		return e
	}
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &eb) != nil {
		e.ErrorMessage = cleanText(trimmed)
		return e
	}
	e.CorrelationID = eb.CorrelationID
	e.ErrorCode = string(eb.ErrorCode)
	e.ErrorMessage = eb.ErrorMessage
	if e.ErrorMessage == "" {
		e.ErrorMessage = eb.Message
	}
	e.UserMessage = eb.UserMessage
	e.Reference = eb.Reference
	e.ErrorDetails = decodeDetails(eb.ErrorDetails)
	return e
}

// decodeDetails accepts each errorDetails value as a list of strings (the
// documented shape) or a single string; anything else is kept as raw JSON.
func decodeDetails(raw map[string]json.RawMessage) map[string][]string {
	if len(raw) == 0 {
		return nil
	}
	out := make(map[string][]string, len(raw))
	for k, v := range raw {
		var list []string
		var one string
		switch {
		case json.Unmarshal(v, &list) == nil:
			out[k] = list
		case json.Unmarshal(v, &one) == nil:
			out[k] = []string{one}
		default:
			out[k] = []string{string(v)}
		}
	}
	return out
}

var (
	htmlTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	whitespace = regexp.MustCompile(`\s+`)
)

// cleanText turns a non-JSON body (often an HTML error page from a proxy)
// into one short line: tags removed, whitespace collapsed, truncated.
func cleanText(body []byte) string {
	s := htmlTag.ReplaceAllString(string(body), " ")
	s = strings.TrimSpace(whitespace.ReplaceAllString(s, " "))
	return truncate(s, maxErrorText)
}

// truncate shortens s to at most n bytes without splitting a UTF-8 sequence,
// marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ") + "…"
}

// flexString decodes a JSON string or number (some Leaseweb APIs send
// numeric error codes) into its string form; null decodes to "".
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("errorCode: want a string or a number, got %s", truncate(string(b), 40))
		}
		*f = flexString(n.String())
	}
	return nil
}
