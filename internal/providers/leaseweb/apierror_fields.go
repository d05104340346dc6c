package leaseweb

import (
	"strings"

	"github.com/lswctl/lswctl/internal/providers"
)

// requestAttrs maps the request fields whose names differ from the
// configuration's attribute paths. Every other field (region, type, sshKey,
// protocol, port, healthCheck.uri, …) is spelled alike in both.
var requestAttrs = map[string]string{
	"imageId":                   "image",
	"marketAppId":               "marketApp",
	"rootDiskSize":              "rootDisk.size",
	"rootDiskStorageType":       "rootDisk.storageType",
	"contractType":              "contract.type",
	"contractTerm":              "contract.term",
	"billingFrequency":          "contract.billingFrequency",
	"reference":                 "",
	"name":                      "",
	"targetGroupId":             "targetGroup",
	"defaultRule.targetGroupId": "targetGroup",
}

// AttrMessages returns the errorDetails by configuration attribute path; a
// field naming the object itself (reference, name) maps to "". It
// implements providers.AttrError.
func (e *APIError) AttrMessages() map[string][]string {
	if len(e.ErrorDetails) == 0 {
		return nil
	}
	out := make(map[string][]string, len(e.ErrorDetails))
	for field, msgs := range e.ErrorDetails {
		attr, ok := requestAttrs[field]
		if !ok {
			attr = strings.TrimPrefix(field, "$.")
		}
		out[attr] = append(out[attr], msgs...)
	}
	return out
}

var _ providers.AttrError = (*APIError)(nil)
