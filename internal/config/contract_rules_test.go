package config

import "testing"

// TestContractRules covers the contract rules of the README's instance and
// load balancer tables, which the API would otherwise refuse at apply with a
// 400 that names no line: term and billingFrequency only with MONTHLY, a
// MONTHLY contract needs a term other than 0, and CANCEL_OTHER needs a text.
func TestContractRules(t *testing.T) {
	runErrorCases(t, []errorCase{
		{
			name:  "term with an HOURLY contract",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: HOURLY, term: 12}")},
			want:  []string{`./a.yaml:8:30: instances.web-1.contract.term: field "term" is not allowed (only MONTHLY contracts have a term)`},
		},
		{
			name:  "term 0 with an HOURLY contract",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: HOURLY, term: 0}")},
			want:  []string{`./a.yaml:8:30: instances.web-1.contract.term: field "term" is not allowed (only MONTHLY contracts have a term)`},
		},
		{
			name:  "billing frequency with an HOURLY contract",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: HOURLY, billingFrequency: 3}")},
			want:  []string{`./a.yaml:8:30: instances.web-1.contract.billingFrequency: field "billingFrequency" is not allowed (only MONTHLY contracts have a billing frequency)`},
		},
		{
			name:  "MONTHLY contract without a term",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: MONTHLY, billingFrequency: 3}")},
			want:  []string{`./a.yaml:8:5: instances.web-1.contract: missing required field "term" (a MONTHLY contract needs a term of 1 to 36 months)`},
		},
		{
			name:  "MONTHLY contract with a term of 0",
			files: map[string]string{"a.yaml": edit(t, "type: HOURLY}", "type: MONTHLY, term: 0}")},
			want:  []string{`./a.yaml:8:37: instances.web-1.contract.term: 0 is not allowed here (a MONTHLY contract needs a term of 1 to 36 months)`},
		},
		tierCase(t, "load balancer MONTHLY contract with a term of 0", "type: MONTHLY, term: 12,", "type: MONTHLY, term: 0,",
			`./a.yaml:24:37: loadBalancers.edge.contract.term: 0 is not allowed here (a MONTHLY contract needs a term of 1 to 36 months)`),
		tierCase(t, "load balancer HOURLY contract with a term", "type: MONTHLY, term: 12, billingFrequency: 1,", "type: HOURLY, term: 12,",
			`./a.yaml:24:30: loadBalancers.edge.contract.term: field "term" is not allowed (only MONTHLY contracts have a term)`),
		tierCase(t, "load balancer CANCEL_OTHER without text", "cancelReason: CANCEL_HIGH_PRICE", "cancelReason: CANCEL_OTHER",
			`./a.yaml:24:5: loadBalancers.edge.contract: missing required field "cancelReasonText" (CANCEL_OTHER needs a text)`),
	})
}
