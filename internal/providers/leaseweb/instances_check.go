package leaseweb

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/lswctl/lswctl/internal/providers"
)

// catalog caches the read-only catalogs plan-time checks consult, so a plan
// fetches each at most once.
type catalog struct {
	c      *Client
	mu     sync.Mutex
	types  map[string][]apiInstanceType // by region
	images map[string]apiImage          // by id; nil until loaded
}

func newCatalog(c *Client) *catalog { return &catalog{c: c, types: map[string][]apiInstanceType{}} }

func (cat *catalog) typesIn(ctx context.Context, region string) ([]apiInstanceType, error) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	if t, ok := cat.types[region]; ok {
		return t, nil
	}
	t, err := ListAll[apiInstanceType](ctx, cat.c, "/publicCloud/v1/instanceTypes", url.Values{"region": {region}}, "instanceTypes")
	if err != nil {
		return nil, fmt.Errorf("reading instance types of %s: %w", region, err)
	}
	cat.types[region] = t
	return t, nil
}

func (cat *catalog) image(ctx context.Context, id string) (apiImage, bool, error) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	if cat.images == nil {
		list, err := ListAll[apiImage](ctx, cat.c, "/publicCloud/v1/images", nil, "images")
		if err != nil {
			return apiImage{}, false, fmt.Errorf("reading images: %w", err)
		}
		cat.images = map[string]apiImage{}
		for _, im := range list {
			cat.images[im.ID] = im
		}
	}
	im, ok := cat.images[id]
	return im, ok, nil
}

// unknownImage explains an image id the catalog does not hold: the nearest
// catalog id when one is a plausible typo, and the operating system images
// (custom images, named by UUID, are left out of the list).
func (cat *catalog) unknownImage(id string) string {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	var ids, named []string
	for imID := range cat.images {
		ids = append(ids, imID)
		if !isUUID(imID) {
			named = append(named, imID)
		}
	}
	slices.Sort(named)
	msg := fmt.Sprintf("image %s does not exist", id)
	if s, ok := nearest(id, ids); ok {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	if len(named) == 0 {
		return msg + "; the image catalog lists no operating system images"
	}
	return msg + "; images: " + strings.Join(named, ", ") + ", or a custom image UUID"
}

// Check catches at plan time what the API would reject at apply time.
func (k *instances) Check(ctx context.Context, action string, op providers.Op) error {
	switch action {
	case "create":
		return k.checkLaunch(ctx, op)
	case "update":
		return k.checkUpdate(ctx, op)
	case "delete", "replace":
		if contractType(op.Before) == "MONTHLY" {
			_, err := cancelReason(op)
			return err
		}
	}
	return nil
}

func (k *instances) checkLaunch(ctx context.Context, op providers.Op) error {
	a := attrs(op.After)
	region, typ, image := a.str("region"), a.str("type"), a.str("image")
	size, _ := a.num("rootDisk.size")
	types, err := k.catalog.typesIn(ctx, region)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(types, func(t apiInstanceType) bool { return t.Name == typ })
	if i < 0 {
		return &providers.FieldError{Path: "type", Msg: fmt.Sprintf("instance type %s is not offered in %s (offered: %s)", typ, region, typeNames(types))}
	}
	st := a.str("rootDisk.storageType")
	if len(types[i].Storage) > 0 && !slices.Contains(types[i].Storage, st) {
		return &providers.FieldError{Path: "rootDisk.storageType", Msg: fmt.Sprintf("%s supports storage %s, not %s", typ, strings.Join(types[i].Storage, ", "), st)}
	}
	if min := types[i].MinDiskSize; size < min {
		return &providers.FieldError{Path: "rootDisk.size", Msg: fmt.Sprintf("%s needs a root disk of at least %d GB, got %d", typ, min, size)}
	}
	im, ok, err := k.catalog.image(ctx, image)
	if err != nil {
		return err
	}
	if !ok {
		return &providers.FieldError{Path: "image", Msg: k.catalog.unknownImage(image)}
	}
	if im.MinDiskSize != nil && size < *im.MinDiskSize {
		return &providers.FieldError{Path: "rootDisk.size", Msg: fmt.Sprintf("image %s needs a root disk of at least %d GB, got %d", image, *im.MinDiskSize, size)}
	}
	if len(im.StorageTypes) > 0 && !slices.Contains(im.StorageTypes, st) {
		return &providers.FieldError{Path: "rootDisk.storageType", Msg: fmt.Sprintf("image %s supports storage %s, not %s", image, strings.Join(im.StorageTypes, ", "), st)}
	}
	if _, hasKey := op.After["sshKey"]; hasKey && strings.EqualFold(im.Family, "windows") {
		return &providers.FieldError{Path: "sshKey", Msg: fmt.Sprintf("image %s is Windows, and Leaseweb installs an SSH key only on Linux and FreeBSD", image)}
	}
	return nil
}

func (k *instances) checkUpdate(ctx context.Context, op providers.Op) error {
	before, after := attrs(op.Before), attrs(op.After)
	for _, p := range op.Changed {
		switch p {
		case "rootDisk.size":
			was, _ := before.num(p)
			now, _ := after.num(p)
			if now < was {
				return &providers.FieldError{Path: p, Msg: fmt.Sprintf("the root disk can only grow (live %d GB, declared %d GB); use --replace to rebuild the instance smaller", was, now)}
			}
		case "contract.type":
			if before.str(p) == "MONTHLY" && after.str(p) == "HOURLY" {
				return &providers.FieldError{Path: p, Msg: "a MONTHLY contract cannot be changed back to HOURLY"}
			}
		case "type":
			if err := k.checkNewType(ctx, op.ID, after.str("type")); err != nil {
				return err
			}
		}
	}
	return nil
}

func (k *instances) checkNewType(ctx context.Context, id, typ string) error {
	eligible, err := ListAll[apiInstanceType](ctx, k.c, instancesPath+"/"+url.PathEscape(id)+"/instanceTypesUpdate", nil, "instanceTypes")
	if err != nil {
		return fmt.Errorf("reading eligible types of instance %s: %w", id, err)
	}
	if slices.ContainsFunc(eligible, func(t apiInstanceType) bool { return t.Name == typ }) {
		return nil
	}
	return &providers.FieldError{Path: "type", Msg: fmt.Sprintf("instance %s cannot change to %s; Leaseweb allows: %s", id, typ, typeNames(eligible))}
}

func typeNames(ts []apiInstanceType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Warn says what replacing a MONTHLY instance leaves behind: Leaseweb only
// schedules the old instance's termination for the end of its contract, so
// until then it keeps running, and billed, next to its replacement, and two
// instances share one reference.
func (k *instances) Warn(_ context.Context, action string, op providers.Op) []string {
	if action != "replace" || contractType(op.Before) != "MONTHLY" {
		return nil
	}
	return []string{fmt.Sprintf("replacing this MONTHLY instance only schedules the old one (id %s) for termination "+
		"at the end of its contract: until then it keeps running and is billed, next to the new instance, "+
		"and both have the reference %s", op.ID, op.Addr.Name)}
}

var _ providers.Checker = (*instances)(nil)
var _ providers.Warner = (*instances)(nil)
var _ providers.Refresher = (*instances)(nil)
