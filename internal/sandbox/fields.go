package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
)

// fields is a JSON object request body whose members are decoded one at a
// time, so that every bad field is reported at once in errorDetails under
// its own name, as the API does, instead of stopping at the first. A nested
// object (object) shares the details and reports under its dotted path
// ("healthCheck.method", "certificate.privateKey").
type fields struct {
	raw     map[string]json.RawMessage
	details map[string][]string
	prefix  string
}

// Validation messages, phrased like the API's.
const (
	msgRequired    = "This value should not be blank."
	msgNotAChoice  = "The value you selected is not a valid choice."
	msgNotString   = "This value should be of type string."
	msgNotInteger  = "This value should be of type integer."
	msgNotBoolean  = "This value should be of type bool."
	msgNotObject   = "This value should be of type object."
	msgNotNull     = "This value should not be null."
	msgPortRange   = "This value should be between 1 and 65535."
	msgDiskRange   = "This value should be between 5 and 1000."
	msgInvalidJSON = "The API could not interpret your request correctly: the body is not a JSON object."
)

// parseFields decodes body. An empty body is an empty object unless
// required; anything that is not a JSON object is a 400.
func parseFields(body []byte, required bool) (*fields, error) {
	f := &fields{raw: map[string]json.RawMessage{}, details: map[string][]string{}}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 && !required {
		return f, nil
	}
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &f.raw) != nil {
		return nil, &apiError{status: http.StatusBadRequest, message: msgInvalidJSON, details: map[string][]string{}}
	}
	return f, nil
}

// add records a problem with a field.
func (f *fields) add(name, msg string) {
	f.details[f.prefix+name] = append(f.details[f.prefix+name], msg)
}

// isNull reports whether name is present with the value null.
func (f *fields) isNull(name string) bool {
	v, ok := f.raw[name]
	return ok && bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

// object returns the nested object name; ok is false when it is absent,
// null or not an object (the latter is recorded).
func (f *fields) object(name string) (*fields, bool) {
	if !f.has(name) {
		return nil, false
	}
	sub := &fields{raw: map[string]json.RawMessage{}, details: f.details, prefix: f.prefix + name + "."}
	v := bytes.TrimSpace(f.raw[name])
	if v[0] != '{' || json.Unmarshal(v, &sub.raw) != nil {
		f.add(name, msgNotObject)
		return nil, false
	}
	return sub, true
}

// boolean returns the boolean member name, like str.
func (f *fields) boolean(name string) (bool, bool) {
	if !f.has(name) {
		return false, false
	}
	var b bool
	if err := json.Unmarshal(f.raw[name], &b); err != nil {
		f.add(name, msgNotBoolean)
		return false, false
	}
	return b, true
}

// requiredInteger is integer that records msgRequired when the member is
// absent.
func (f *fields) requiredInteger(name string) (int, bool) {
	n, ok := f.integer(name)
	if !ok && !f.has(name) {
		f.add(name, msgRequired)
	}
	return n, ok
}

// port checks a present port number against 1..65535 (the API documents
// no range; the Terraform provider validates this one).
func (f *fields) port(name string, v int, present bool) bool {
	if present && (v < 1 || v > 65535) {
		f.add(name, msgPortRange)
		return false
	}
	return present
}

// has reports whether name is present and not null.
func (f *fields) has(name string) bool {
	v, ok := f.raw[name]
	return ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

// str returns the string member name; ok is false when it is absent, null
// or not a string (the latter is recorded).
func (f *fields) str(name string) (string, bool) {
	if !f.has(name) {
		return "", false
	}
	var s string
	if err := json.Unmarshal(f.raw[name], &s); err != nil {
		f.add(name, msgNotString)
		return "", false
	}
	return s, true
}

// integer returns the integer member name, like str.
func (f *fields) integer(name string) (int, bool) {
	if !f.has(name) {
		return 0, false
	}
	var n int
	if err := json.Unmarshal(f.raw[name], &n); err != nil {
		f.add(name, msgNotInteger)
		return 0, false
	}
	return n, true
}

// requiredString is str that records msgRequired when the member is absent
// or empty.
func (f *fields) requiredString(name string) string {
	s, ok := f.str(name)
	if !ok && !f.has(name) || ok && s == "" {
		f.add(name, msgRequired)
	}
	return s
}

// enum checks that a present, non-empty value is one of choices.
func (f *fields) enum(name, v string, choices []string) bool {
	if v == "" {
		return false
	}
	if !slices.Contains(choices, v) {
		f.add(name, msgNotAChoice)
		return false
	}
	return true
}

// intEnum checks a present integer against choices.
func (f *fields) intEnum(name string, v int, present bool, choices []int) {
	if present && !slices.Contains(choices, v) {
		f.add(name, msgNotAChoice)
	}
}

// result is nil when no field had a problem, else the 400 to answer.
func (f *fields) result() error {
	if len(f.details) == 0 {
		return nil
	}
	return errBadRequest(f.details)
}

// Enumerations of the OpenAPI document used in validation.
func contractTypes() []string    { return []string{contractHourly, contractMonthly} }
func contractTerms() []int       { return []int{0, 1, 3, 6, 12, 24, 36} }
func billingFrequencies() []int  { return []int{1, 3, 6, 12} }
func storageTypeNames() []string { return []string{"LOCAL", "CENTRAL"} }
func protocols() []string        { return []string{"HTTP", "HTTPS", "TCP"} }
func httpMethods() []string      { return []string{"GET", "HEAD", "POST", "OPTIONS"} }
func balances() []string         { return []string{"roundrobin", "leastconn", "source"} }
func cancellationReasons() []string {
	return []string{"CANCEL_TRIAL_PERIOD", "CANCEL_PRODUCT_SWITCH", "CANCEL_FEATURE_QUALITY",
		"CANCEL_HIGH_PRICE", "CANCEL_SUSPENSION", "CANCEL_NEW_OFFER", "CANCEL_DELIVERY_TIME",
		"CANCEL_OUT_OF_STOCK", "CANCEL_FAULTY_DELIVERY", "CANCEL_INCONSISTENCY",
		"CANCEL_PERFORMANCE", "CANCEL_NETWORK", "CANCEL_SUPPORT_QUALITY",
		"CANCEL_SUPPORT_RESPONSE", "CANCEL_SUPPORT_RESOLUTION_TIME", "CANCEL_CP_USABILITY",
		"CANCEL_CP_FEATURE_QUALITY", "CANCEL_RELIABILITY", "CANCEL_OTHER"}
}
