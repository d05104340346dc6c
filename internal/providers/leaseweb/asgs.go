package leaseweb

/*
Auto scaling groups.

lswctl adopts existing auto scaling groups only, to manage which target
groups their instances are registered in; it never creates or deletes one
(DESIGN.md §4). Check refuses both at plan time, and Create and Delete
refuse them again should they ever be called.

List items have no target groups, so Read fetches each group's details.
An update applies the declared set against a fresh read, one target group
per call, as the API takes them. Linking a group twice, or unlinking one
that is not linked, is refused, so neither call is repeated by the client:
after a failure the details are re-read and the call counts as done when
the link is as wanted.
*/

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// asgSchema is what the diff needs to know about auto scaling groups: only
// their target groups are managed, as a set.
var asgSchema = model.KindSchema{
	Kind:   "autoScalingGroup",
	Plural: "autoScalingGroups",
	Sets:   []string{"targetGroups"},
}

// autoScalingGroups is the auto scaling group kind (target group links).
type autoScalingGroups struct {
	c *Client
}

func newAutoScalingGroups(c *Client) *autoScalingGroups { return &autoScalingGroups{c: c} }

func (k *autoScalingGroups) Schema() model.KindSchema { return asgSchema }

func asgPath(id string) string { return asgsPath + "/" + url.PathEscape(id) }

// Read lists every auto scaling group that is not destroyed, then GETs
// each one's details, at most readLimit at once.
func (k *autoScalingGroups) Read(ctx context.Context) ([]model.Resource, error) {
	list, err := ListAll[apiASG](ctx, k.c, asgsPath, nil, "autoScalingGroups")
	if err != nil {
		return nil, fmt.Errorf("reading auto scaling groups: %w", err)
	}
	list = slices.DeleteFunc(list, func(a apiASG) bool { return a.State == "DESTROYED" })
	details := make([]*apiASGDetails, len(list))
	err = eachLimited(ctx, list, func(ctx context.Context, i int, a apiASG) error {
		d, err := k.get(ctx, a.ID)
		if IsNotFound(err) {
			return nil // gone since it was listed
		}
		details[i] = d
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading auto scaling groups: %w", err)
	}
	out := make([]model.Resource, 0, len(details))
	for _, d := range details {
		if d != nil && d.State != "DESTROYED" {
			out = append(out, asgResource(*d))
		}
	}
	return out, nil
}

// ReadOne re-reads one auto scaling group; nil when it is gone.
func (k *autoScalingGroups) ReadOne(ctx context.Context, id string) (*model.Resource, error) {
	return readOne(ctx, k.c, asgPath(id), func(v *apiASGDetails) bool { return v.State == "DESTROYED" }, asgResource)
}

func (k *autoScalingGroups) get(ctx context.Context, id string) (*apiASGDetails, error) {
	return getObject[apiASGDetails](ctx, k.c, asgPath(id))
}

func (d *apiASGDetails) targetGroupIDs() []string {
	ids := make([]string, len(d.TargetGroups))
	for i, tg := range d.TargetGroups {
		ids[i] = tg.ID
	}
	return ids
}

// asgResource converts the details to the configuration's shape, named by
// reference (or id without one).
func asgResource(d apiASGDetails) model.Resource {
	name := d.Reference
	if name == "" {
		name = d.ID
	}
	r := model.Resource{
		Addr:  model.Address{Kind: asgSchema.Kind, Name: name},
		ID:    d.ID,
		Attrs: model.Object{"targetGroups": idList(d.targetGroupIDs())},
	}
	if d.State == "DESTROYING" {
		r.Untouchable = "being destroyed"
	}
	return r
}

// errNoCreate and errNoDelete say what lswctl will not do.
func errNoCreate(name string) error {
	return &providers.FieldError{Msg: fmt.Sprintf("auto scaling group %q does not exist: lswctl adopts existing groups; "+
		"create it in the Leaseweb Customer Portal or fix the name", name)}
}

func errNoDelete() error {
	return &providers.FieldError{Msg: "lswctl does not delete auto scaling groups"}
}

// Check refuses creating and deleting (or replacing) a group at plan time.
func (k *autoScalingGroups) Check(_ context.Context, action string, op providers.Op) error {
	switch action {
	case "create":
		return errNoCreate(op.Addr.Name)
	case "delete", "replace":
		return errNoDelete()
	}
	return nil
}

// Create refuses: lswctl adopts existing groups only.
func (k *autoScalingGroups) Create(_ context.Context, _ providers.Gate, op providers.Op) (string, error) {
	return "", errNoCreate(op.Addr.Name)
}

// Delete refuses: lswctl never deletes a group.
func (k *autoScalingGroups) Delete(context.Context, providers.Gate, providers.Op) error {
	return errNoDelete()
}

// Update links the declared target groups that are missing and unlinks
// the extra ones, against a fresh read, one call each.
func (k *autoScalingGroups) Update(ctx context.Context, gate providers.Gate, op providers.Op) error {
	if !slices.Contains(op.Changed, "targetGroups") {
		return nil
	}
	d, err := k.get(ctx, op.ID)
	if err != nil {
		return fmt.Errorf("reading auto scaling group %s: %w", op.ID, err)
	}
	missing, extra := setDiff(attrs(op.After).strs("targetGroups"), d.targetGroupIDs())
	for _, tg := range missing {
		if err := k.link(ctx, gate, op.ID, "registerTargetGroup", tg, true); err != nil {
			return err
		}
	}
	for _, tg := range extra {
		if err := k.link(ctx, gate, op.ID, "deregisterTargetGroup", tg, false); err != nil {
			return err
		}
	}
	return nil
}

// link sends one register or deregister call; after a failure it re-reads
// the group and accepts the call when the link is as wanted.
func (k *autoScalingGroups) link(ctx context.Context, gate providers.Gate, id, action, tg string, linked bool) error {
	err := gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodPost, asgPath(id)+"/"+action, nil, targetGroupIDOpts{TargetGroupID: tg}, nil)
	})
	if err == nil {
		return nil
	}
	if d, readErr := k.get(ctx, id); readErr == nil && slices.Contains(d.targetGroupIDs(), tg) == linked {
		return nil
	}
	return fmt.Errorf("%s %s of auto scaling group %s: %w", action, tg, id, err)
}

var (
	_ providers.Checker   = (*autoScalingGroups)(nil)
	_ providers.Refresher = (*autoScalingGroups)(nil)
)
