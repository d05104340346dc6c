package leaseweb

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorDecoding(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		header  []string
		want    APIError
		wantMsg string
	}{
		{
			name: "documented shape with details", status: 400,
			body: `{"correlationId":"289346a1-3eaf-4da4-b707-62ef12eb08be","errorCode":"400",
				"errorMessage":"The API could not interpret your request correctly.",
				"errorDetails":{"type":["unknown type"],"rootDiskSize":["must be at least 5","must be at most 1000"]}}`,
			want: APIError{Status: 400, ErrorCode: "400", CorrelationID: "289346a1-3eaf-4da4-b707-62ef12eb08be",
				ErrorMessage: "The API could not interpret your request correctly.",
				ErrorDetails: map[string][]string{"type": {"unknown type"}, "rootDiskSize": {"must be at least 5", "must be at most 1000"}}},
			wantMsg: "POST /publicCloud/v1/instances: 400 Bad Request: The API could not interpret your request correctly. " +
				"(rootDiskSize: must be at least 5; rootDiskSize: must be at most 1000; type: unknown type) " +
				"[correlationId 289346a1-3eaf-4da4-b707-62ef12eb08be]",
		},
		{
			name: "numeric errorCode", status: 404,
			body:    `{"errorCode":404,"errorMessage":"Resource not found","correlationId":"c-1"}`,
			want:    APIError{Status: 404, ErrorCode: "404", ErrorMessage: "Resource not found", CorrelationID: "c-1"},
			wantMsg: "POST /publicCloud/v1/instances: 404 Not Found: Resource not found [correlationId c-1]",
		},
		{
			name: "general shape with userMessage and reference", status: 403,
			body: `{"errorCode":"APP00800","errorMessage":"Access denied","correlationId":"c-2",
				"userMessage":"You cannot do this.","reference":"https://developer.leaseweb.com/errors/APP00800"}`,
			want: APIError{Status: 403, ErrorCode: "APP00800", ErrorMessage: "Access denied", CorrelationID: "c-2",
				UserMessage: "You cannot do this.", Reference: "https://developer.leaseweb.com/errors/APP00800"},
			wantMsg: "POST /publicCloud/v1/instances: 403 Forbidden: Access denied [errorCode APP00800, correlationId c-2]",
		},
		{
			name: "locked without correlationId, details as string", status: 423,
			body:    `{"errorCode":"423","errorMessage":"Resource is locked by other process","errorDetails":{"targets":"busy"}}`,
			want:    APIError{Status: 423, ErrorCode: "423", ErrorMessage: "Resource is locked by other process", ErrorDetails: map[string][]string{"targets": {"busy"}}},
			wantMsg: "POST /publicCloud/v1/instances: 423 Locked: Resource is locked by other process (targets: busy)",
		},
		{
			name: "html from a proxy", status: 502,
			body:    "<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
			want:    APIError{Status: 502, ErrorMessage: "502 Bad Gateway 502 Bad Gateway nginx"},
			wantMsg: "POST /publicCloud/v1/instances: 502 Bad Gateway: 502 Bad Gateway 502 Bad Gateway nginx",
		},
		{
			name: "long plain text is truncated", status: 500, body: strings.Repeat("oops ", 200),
			want: APIError{Status: 500, ErrorMessage: strings.TrimSpace(strings.Repeat("oops ", 60)) + "…"},
		},
		{
			name: "gateway message and Retry-After", status: 429, body: `{"message":"API rate limit exceeded"}`,
			header:  []string{"Retry-After", "12"},
			want:    APIError{Status: 429, ErrorMessage: "API rate limit exceeded", RetryAfter: 12 * time.Second},
			wantMsg: "POST /publicCloud/v1/instances: 429 Too Many Requests: API rate limit exceeded",
		},
		{
			name: "empty body", status: 503, body: "",
			want:    APIError{Status: 503},
			wantMsg: "POST /publicCloud/v1/instances: 503 Service Unavailable",
		},
		{
			name: "broken json", status: 500, body: `{"errorCode":`,
			want: APIError{Status: 500, ErrorMessage: `{"errorCode":`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := newScripted(t, func(o *ClientOptions) { o.MaxRetries = -1 }, answer(tt.status, tt.body, tt.header...))
			err := c.Do(context.Background(), "POST", "/publicCloud/v1/instances", nil, map[string]string{"sshKey": "secret-body"}, nil)
			var got *APIError
			if !errors.As(err, &got) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			want := tt.want
			want.Method, want.Path = "POST", "/publicCloud/v1/instances"
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %#v\nwant %#v", *got, want)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("Error() = %q\nwant      %q", err.Error(), tt.wantMsg)
			}
			if strings.Contains(err.Error(), "secret-body") {
				t.Error("error message contains the request body")
			}
		})
	}
}

func TestStatusOfAndIsNotFound(t *testing.T) {
	notFound := &APIError{Method: "GET", Path: "/x", Status: 404}
	tests := []struct {
		name     string
		err      error
		status   int
		notFound bool
	}{
		{"nil", nil, 0, false},
		{"plain error", errors.New("boom"), 0, false},
		{"404", notFound, 404, true},
		{"wrapped 404", fmt.Errorf("reading instance web-1: %w", notFound), 404, true},
		{"500", &APIError{Status: 500}, 500, false},
		{"context", context.Canceled, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusOf(tt.err); got != tt.status {
				t.Errorf("StatusOf = %d, want %d", got, tt.status)
			}
			if got := IsNotFound(tt.err); got != tt.notFound {
				t.Errorf("IsNotFound = %v, want %v", got, tt.notFound)
			}
		})
	}
}

func TestFlexString(t *testing.T) {
	tests := map[string]string{`"APP1"`: "APP1", `400`: "400", `4.5e2`: "4.5e2", `null`: ""}
	for in, want := range tests {
		var f flexString
		if err := f.UnmarshalJSON([]byte(in)); err != nil || string(f) != want {
			t.Errorf("%s: got %q, %v; want %q", in, f, err, want)
		}
	}
	var f flexString
	if err := f.UnmarshalJSON([]byte(`{}`)); err == nil {
		t.Error("object accepted as errorCode")
	}
}
