package sandbox

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// launchOpts is a validated launchInstanceOpts body.
type launchOpts struct {
	region, typ, imageID, storageType string
	contract                          contractRec
	rootDiskSize                      int
	reference, marketAppID            *string
	sshKey, userData                  string
}

// parseLaunch validates a launchInstanceOpts body like the API: required
// fields, enums, the type offered in the region, disk size against the range
// and the type's and image's minimum, storage type supported by both, the
// contract rules, and the sshKey/userData rules. All problems are reported
// together, keyed by field name.
func (s *Server) parseLaunch(body []byte) (launchOpts, error) {
	f, err := parseFields(body, true)
	if err != nil {
		return launchOpts{}, err
	}
	o := launchOpts{
		region:      f.requiredString("region"),
		typ:         f.requiredString("type"),
		imageID:     f.requiredString("imageId"),
		storageType: f.requiredString("rootDiskStorageType"),
	}
	t, im := s.checkPlacement(f, o.region, o.typ, o.imageID)
	o.contract = checkLaunchContract(f)
	size, ok := f.integer("rootDiskSize")
	if !ok && !f.has("rootDiskSize") {
		f.add("rootDiskSize", msgRequired)
	}
	if ok {
		checkDiskSize(f, size, t, im)
		o.rootDiskSize = size
	}
	if f.enum("rootDiskStorageType", o.storageType, storageTypeNames()) {
		checkStorageType(f, o.storageType, t, im)
	}
	if ref, ok := f.str("reference"); ok {
		o.reference = &ref
	}
	o.marketAppID = checkMarketApp(f, im)
	o.sshKey, o.userData = checkAccess(f, im)
	return o, f.result()
}

// checkPlacement validates region, type and imageId and returns the catalog
// type and image when they are valid.
func (s *Server) checkPlacement(f *fields, region, typ, imageID string) (*instanceTypeSpec, *imageSpec) {
	_, regionOK := s.cat.region(region)
	if region != "" && !regionOK {
		f.add("region", msgNotAChoice)
	}
	var t *instanceTypeSpec
	if f.enum("type", typ, s.cat.typeNames) {
		spec, ok := s.cat.instanceType(typ)
		switch {
		case !ok || regionOK && !spec.offeredIn(region):
			f.add("type", fmt.Sprintf("Instance type %s is not available in region %s.", typ, region))
		default:
			t = spec
		}
	}
	im, ok := s.cat.image(imageID)
	if imageID != "" && !ok {
		f.add("imageId", fmt.Sprintf("Image %s does not exist.", imageID))
	}
	return t, im
}

// checkLaunchContract validates contractType, contractTerm and
// billingFrequency. The term and the billing frequency are "used only when
// contract type is MONTHLY": a MONTHLY contract needs a term other than 0,
// an HOURLY one must not have one (0 or absent); an HOURLY billing frequency
// is ignored and reported as 1. A MONTHLY one defaults to 1.
func checkLaunchContract(f *fields) contractRec {
	c := contractRec{Type: f.requiredString("contractType"), BillingFrequency: 1}
	term, hasTerm := f.integer("contractTerm")
	bf, hasBF := f.integer("billingFrequency")
	f.intEnum("contractTerm", term, hasTerm, contractTerms())
	f.intEnum("billingFrequency", bf, hasBF, billingFrequencies())
	if !f.enum("contractType", c.Type, contractTypes()) {
		return c
	}
	checkTermForType(f, c.Type, term)
	if c.Type == contractMonthly {
		c.Term = term
		if hasBF {
			c.BillingFrequency = bf
		}
	}
	return c
}

// checkTermForType applies the term rule of contract type typ.
func checkTermForType(f *fields, typ string, term int) {
	switch {
	case typ == contractMonthly && term == 0:
		f.add("contractTerm", "A MONTHLY contract needs a contractTerm other than 0.")
	case typ == contractHourly && term != 0:
		f.add("contractTerm", "An HOURLY contract has no contractTerm; send 0 or leave it out.")
	}
}

// checkDiskSize checks rootDiskSize against 5..1000 and the minimum of the
// type and the image (50 GB for Windows).
func checkDiskSize(f *fields, size int, t *instanceTypeSpec, im *imageSpec) {
	if size < 5 || size > 1000 {
		f.add("rootDiskSize", msgDiskRange)
		return
	}
	if t != nil && size < t.MinDiskSize {
		f.add("rootDiskSize", fmt.Sprintf("The root disk must be at least %d GB for instance type %s.", t.MinDiskSize, t.Name))
	}
	if im != nil && size < im.MinDiskSize {
		f.add("rootDiskSize", fmt.Sprintf("The root disk must be at least %d GB for image %s.", im.MinDiskSize, im.ID))
	}
}

// checkStorageType checks that both the type and the image support st.
func checkStorageType(f *fields, st string, t *instanceTypeSpec, im *imageSpec) {
	if t != nil && !slices.Contains(t.StorageTypes, st) {
		f.add("rootDiskStorageType", fmt.Sprintf("Storage type %s is not supported by instance type %s.", st, t.Name))
	}
	if im != nil && !slices.Contains(im.StorageTypes, st) {
		f.add("rootDiskStorageType", fmt.Sprintf("Storage type %s is not supported by image %s.", st, im.ID))
	}
}

// checkMarketApp checks that a requested market app comes with the image.
func checkMarketApp(f *fields, im *imageSpec) *string {
	app, ok := f.str("marketAppId")
	if !ok {
		return nil
	}
	if im != nil && !slices.Contains(im.MarketApps, app) {
		f.add("marketAppId", fmt.Sprintf("Market app %s is not available for image %s.", app, im.ID))
	}
	return &app
}

// checkAccess validates sshKey and userData: not both, no SSH key on
// Windows, and a key that looks like an OpenSSH public key.
func checkAccess(f *fields, im *imageSpec) (sshKey, userData string) {
	sshKey, hasKey := f.str("sshKey")
	userData, hasData := f.str("userData")
	if hasKey && hasData {
		f.add("userData", "This setting cannot be used in combination with the 'sshKey' setting.")
	}
	if !hasKey {
		return sshKey, userData
	}
	if im != nil && im.Family == "windows" {
		f.add("sshKey", "An SSH key can only be used on Linux and FreeBSD instances.")
	} else if !validSSHKey(sshKey) {
		f.add("sshKey", "This value is not a valid SSH public key.")
	}
	return sshKey, userData
}

// validSSHKey accepts "<type> <base64> [comment]" for the key types the
// Terraform provider used to accept.
func validSSHKey(k string) bool {
	parts := strings.Fields(k)
	if len(parts) < 2 {
		return false
	}
	types := []string{"ssh-dss", "ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa"}
	if !slices.Contains(types, parts[0]) {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(parts[1])
	return err == nil
}
