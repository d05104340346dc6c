package leaseweb

import (
	"context"
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
	once    onceTimes
	catalog *catalog
}

func newInstances(c *Client, poll pollTimes, once onceTimes) *instances {
	return &instances{c: c, poll: poll, once: once, catalog: newCatalog(c)}
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

// Create launches an instance through the create protocol (createonce.go),
// which adopts an instance another run launched with the same reference
// instead of launching a second one, then waits until it reaches the
// declared state.
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
	id, err := k.once.run(ctx, gate, onceSpec{
		what: "instance " + op.Addr.Name,
		lookup: func(ctx context.Context, own []string) ([]candidate, error) {
			found, err := byReference[apiInstance](ctx, k.c, instancesPath, "instances", op.Addr.Name, own)
			out := make([]candidate, len(found))
			for i, in := range found {
				out[i] = candidate{id: in.ID, misfit: misfits(
					[3]string{"region", in.Region, body.Region},
					[3]string{"image", in.Image.ID, body.ImageID},
					[3]string{"root disk storage type", in.RootDiskStorageType, body.RootDiskStorageType},
					[3]string{"market app", deref(in.MarketAppID), body.MarketAppID})}
			}
			return out, err
		},
		create: func(ctx context.Context) (string, error) {
			var created apiInstance
			err := k.c.Do(ctx, http.MethodPost, instancesPath, nil, body, &created)
			return created.ID, err
		},
		remove: func(ctx context.Context, id string) error {
			return k.Delete(ctx, gate, loserOp(op, id, body.ContractType))
		},
	})
	if err != nil {
		return "", err
	}
	want := a.str("state")
	if want == "" {
		want = "RUNNING"
	}
	return id, k.settle(ctx, gate, id, want)
}

// deref reads an optional string.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
