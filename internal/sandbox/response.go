package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// response is a fully buffered HTTP response. Handlers build one; the server
// decides afterwards whether a fault replaces it, and only then writes it.
type response struct {
	status int
	header http.Header
	body   []byte
}

// jsonResponse encodes v as the body of a response with the given status.
func jsonResponse(status int, v any) (response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return response{}, fmt.Errorf("encoding response: %w", err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return response{status: status, header: h, body: b}, nil
}

// emptyResponse is a response without a body (200 on DELETE, 202, 204).
func emptyResponse(status int) (response, error) {
	return response{status: status, header: http.Header{}}, nil
}

// wireError is the OpenAPI errorResult schema.
type wireError struct {
	CorrelationID string              `json:"correlationId,omitempty"`
	ErrorCode     string              `json:"errorCode"`
	ErrorMessage  string              `json:"errorMessage"`
	ErrorDetails  map[string][]string `json:"errorDetails,omitzero"`
}

// apiError is an error a handler returns to answer with an errorResult.
// details is keyed by request field name (the way the Leaseweb API and the
// Terraform provider's error mapping use it); a non-nil empty map is sent as
// "errorDetails": {} as in the documented 400 example.
type apiError struct {
	status  int
	message string
	details map[string][]string
	// bare sends errorCode and errorMessage only, as the documented 423
	// example does.
	bare bool
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s %v", e.status, e.message, e.details)
}

// standardMessage is the errorMessage the documentation shows for a status.
func standardMessage(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "The API could not interpret your request correctly."
	case http.StatusUnauthorized:
		return "You are not authorized to view this resource."
	case http.StatusForbidden:
		return "Access to the requested resource is forbidden."
	case http.StatusNotFound:
		return "Resource not found"
	case http.StatusInternalServerError:
		return "The API could not handle your request at this time."
	case http.StatusServiceUnavailable:
		return "The API is not available at the moment."
	default:
		return http.StatusText(status)
	}
}

// errNotFound is the documented 404.
func errNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, message: standardMessage(http.StatusNotFound)}
}

// errBadRequest is a 400 with the standard message and the given field errors.
func errBadRequest(details map[string][]string) *apiError {
	if details == nil {
		details = map[string][]string{}
	}
	return &apiError{status: http.StatusBadRequest, message: standardMessage(http.StatusBadRequest), details: details}
}

// errPrecondition is a 400 for an action the object's current state forbids.
// The message says what was expected; details name the field at fault.
func errPrecondition(field, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, message: msg, details: map[string][]string{field: {msg}}}
}

// errorResponse renders err as an errorResult. Errors that are not *apiError
// become a 500 whose message carries the error text.
func errorResponse(correlationID string, err error) response {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError,
			message: standardMessage(http.StatusInternalServerError) + " (sandbox: " + err.Error() + ")"}
	}
	var body any = wireError{
		CorrelationID: correlationID,
		ErrorCode:     strconv.Itoa(ae.status),
		ErrorMessage:  ae.message,
		ErrorDetails:  ae.details,
	}
	if ae.bare {
		body = wireError{ErrorCode: strconv.Itoa(ae.status), ErrorMessage: ae.message}
	}
	b, _ := json.Marshal(body) // a struct of strings and string slices always encodes
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return response{status: ae.status, header: h, body: b}
}
