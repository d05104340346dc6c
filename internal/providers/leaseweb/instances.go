package leaseweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

const instancesPath = "/publicCloud/v1/instances"

// instanceSchema is what the diff needs to know about instances
// (api/publiccloud.md §2.3): region, image, storage type and market app
// cannot be updated; sshKey and userData are sent at launch only and never
// returned; the cancellation reason is only ever sent on delete.
var instanceSchema = model.KindSchema{
	Kind:      "instance",
	Plural:    "instances",
	Immutable: []string{"region", "image", "rootDisk.storageType", "marketApp"},
	WriteOnly: []string{"sshKey", "userData", "contract.cancelReason", "contract.cancelReasonText"},
	Sensitive: []string{"userData"},
}

// instances is the public cloud instance kind.
type instances struct {
	c       *Client
	poll    pollTimes
	catalog *catalog
}

func newInstances(c *Client, poll pollTimes) *instances {
	return &instances{c: c, poll: poll, catalog: newCatalog(c)}
}

func (k *instances) Schema() model.KindSchema { return instanceSchema }

// Read lists every instance except the destroyed ones (the API lists them
// for a while).
func (k *instances) Read(ctx context.Context) ([]model.Resource, error) {
	all, err := listScheduled[apiInstance](ctx, k.c, instancesPath, "instances")
	if err != nil {
		return nil, fmt.Errorf("reading instances: %w", err)
	}
	out := make([]model.Resource, 0, len(all))
	for _, in := range all {
		if in.State != "DESTROYED" {
			out = append(out, instanceResource(in))
		}
	}
	return out, nil
}

// ReadOne re-reads one instance by id; nil when it is gone.
func (k *instances) ReadOne(ctx context.Context, id string) (*model.Resource, error) {
	return readOne(ctx, k.c, instancesPath+"/"+url.PathEscape(id), func(v *apiInstance) bool { return v.State == "DESTROYED" }, instanceResource)
}

func (k *instances) get(ctx context.Context, id string) (*apiInstance, error) {
	return getObject[apiInstance](ctx, k.c, instancesPath+"/"+url.PathEscape(id))
}

// instanceResource converts the wire shape to the configuration's shape.
func instanceResource(in apiInstance) model.Resource {
	name := in.ID
	if in.Reference != nil && *in.Reference != "" {
		name = *in.Reference
	}
	a := model.Object{
		"region":   in.Region,
		"type":     in.Type,
		"image":    in.Image.ID,
		"rootDisk": map[string]any{"size": in.RootDiskSize, "storageType": in.RootDiskStorageType},
		"contract": map[string]any{"type": in.Contract.Type, "term": in.Contract.Term, "billingFrequency": in.Contract.BillingFrequency},
		"state":    in.State,
	}
	if in.MarketAppID != nil {
		a["marketApp"] = *in.MarketAppID
	}
	return model.Resource{
		Addr:        model.Address{Kind: instanceSchema.Kind, Name: name},
		ID:          in.ID,
		Attrs:       a,
		Untouchable: untouchable(in),
	}
}

// untouchable says why lswctl must leave an instance alone, or "".
func untouchable(in apiInstance) string {
	if in.AutoScalingGroup != nil {
		return "owned by auto scaling group " + in.AutoScalingGroup.ID
	}
	return ending(in.State, in.Contract.State)
}

// ending says why an object with a lifecycle and a contract (an instance, a
// load balancer) is on its way out and must be left alone, or "".
func ending(state, contractState string) string {
	switch {
	case state == "DESTROYING" || state == "DESTROYED":
		return "being destroyed"
	case contractState == "DELETE_SCHEDULED":
		return "scheduled for deletion at the end of its contract"
	}
	return ""
}

// Create launches an instance and waits until it reaches the declared
// state. A launch is never retried blindly: after an ambiguous failure the
// instance is looked up by its reference and adopted if the launch landed.
func (k *instances) Create(ctx context.Context, gate providers.Gate, op providers.Op) (string, error) {
	a := attrs(op.After)
	body := launchInstance{
		Region:              a.str("region"),
		Type:                a.str("type"),
		ImageID:             a.str("image"),
		ContractType:        a.str("contract.type"),
		ContractTerm:        a.optNum("contract.term"),
		BillingFrequency:    a.optNum("contract.billingFrequency"),
		RootDiskStorageType: a.str("rootDisk.storageType"),
		MarketAppID:         a.str("marketApp"),
		Reference:           op.Addr.Name,
		SSHKey:              a.str("sshKey"),
		UserData:            a.str("userData"),
	}
	body.RootDiskSize, _ = a.num("rootDisk.size")
	var created apiInstance
	err := gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodPost, instancesPath, nil, body, &created)
	})
	if err != nil {
		if !ambiguous(err) {
			return "", err
		}
		found, lookErr := findByReference[apiInstance](ctx, k.c, instancesPath, "instances", op.Addr.Name)
		if lookErr != nil || found == "" {
			return "", err
		}
		created.ID = found
	}
	want := a.str("state")
	if want == "" {
		want = "RUNNING"
	}
	return created.ID, k.settle(ctx, gate, created.ID, want)
}

// ambiguous reports whether a failed create may nonetheless have landed: the
// connection dropped or the server failed after accepting the request.
func ambiguous(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	st := StatusOf(err)
	return st == 0 || st >= 500
}
