package sandbox_test

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/lswctl/lswctl/internal/contract"
	"github.com/lswctl/lswctl/internal/sandbox"
)

// TestDocumentedRequestExamples sends the OpenAPI document's own request
// examples for the load balancing operations (ids replaced by live ones)
// and wants the documented success status.
func TestDocumentedRequestExamples(t *testing.T) {
	e := newEnv(t, sandbox.Options{}) // skips when the document is missing
	b, err := os.ReadFile(contract.DocumentPath())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"` // operations and parameters
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	example := func(path, method string) map[string]any {
		t.Helper()
		var op struct {
			RequestBody struct {
				Content map[string]struct {
					Example map[string]any `json:"example"`
				} `json:"content"`
			} `json:"requestBody"`
		}
		if err := json.Unmarshal(doc.Paths[pc+path][method], &op); err != nil {
			t.Fatal(err)
		}
		ex := op.RequestBody.Content["application/json"].Example
		if ex == nil {
			t.Fatalf("no request example for %s %s", method, path)
		}
		return ex
	}
	r := e.do("POST", pc+"/loadBalancers", example("/loadBalancers", "post"))
	wantStatus(t, r, http.StatusCreated)
	lb := r.object(t)["id"].(string)
	e.clock.Advance(2 * time.Second)
	wantStatus(t, e.do("PUT", pc+"/loadBalancers/"+lb, example("/loadBalancers/{loadBalancerId}", "put")), http.StatusOK)

	wantStatus(t, e.do("POST", pc+"/targetGroups", example("/targetGroups", "post")), http.StatusCreated)
	tg := e.createTG("web", "eu-west-3")
	wantStatus(t, e.do("PUT", pc+"/targetGroups/"+tg, example("/targetGroups/{targetGroupId}", "put")), http.StatusOK)

	create := example("/loadBalancers/{loadBalancerId}/listeners", "post")
	create["defaultRule"] = map[string]any{"targetGroupId": tg}
	r = e.do("POST", pc+"/loadBalancers/"+lb+"/listeners", create)
	wantStatus(t, r, http.StatusCreated)
	listener := r.object(t)["id"].(string)
	update := example("/loadBalancers/{loadBalancerId}/listeners/{listenerId}", "put")
	update["defaultRule"] = map[string]any{"targetGroupId": tg}
	wantStatus(t, e.do("PUT", pc+"/loadBalancers/"+lb+"/listeners/"+listener, update), http.StatusOK)

	wantStatus(t, e.do("DELETE", pc+"/loadBalancers/"+lb, example("/loadBalancers/{loadBalancerId}", "delete")), http.StatusAccepted)
}
