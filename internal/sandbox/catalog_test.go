package sandbox_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/lswctl/lswctl/internal/sandbox"
)

type listMeta struct {
	TotalCount int `json:"totalCount"`
	Offset     int `json:"offset"`
	Limit      int `json:"limit"`
}

func TestRegions(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var page struct {
		Regions []struct{ Name, Location string } `json:"regions"`
		Meta    listMeta                          `json:"_metadata"`
	}
	r := e.do("GET", "/publicCloud/v1/regions?limit=50", nil)
	wantStatus(t, r, http.StatusOK)
	r.decode(t, &page)
	var names []string
	for _, reg := range page.Regions {
		names = append(names, reg.Name)
		if reg.Location == "" {
			t.Errorf("region %s has no location", reg.Name)
		}
	}
	want := []string{"eu-west-3", "us-east-1", "eu-central-1", "ap-southeast-1", "us-west-1", "eu-west-2", "ca-central-1", "ap-northeast-1"}
	if !slices.Equal(names, want) || page.Meta != (listMeta{8, 0, 50}) {
		t.Errorf("regions %v %+v", names, page.Meta)
	}
	page.Regions = nil
	e.do("GET", "/publicCloud/v1/regions?limit=3&offset=6", nil).decode(t, &page)
	if len(page.Regions) != 2 || page.Regions[0].Name != "ca-central-1" || page.Meta != (listMeta{8, 6, 3}) {
		t.Errorf("last page %v %+v", page.Regions, page.Meta)
	}
}

type typesPage struct {
	InstanceTypes []struct {
		Name      string `json:"name"`
		Resources struct {
			Memory struct{ Value float64 } `json:"memory"`
		} `json:"resources"`
		StorageTypes []string `json:"storageTypes"`
		MinDiskSize  int      `json:"minDiskSize"`
	} `json:"instanceTypes"`
	Meta struct {
		listMeta
		Currency       string `json:"currency"`
		CurrencySymbol string `json:"currencySymbol"`
	} `json:"_metadata"`
}

func (p typesPage) names() []string {
	var out []string
	for _, it := range p.InstanceTypes {
		out = append(out, it.Name)
	}
	return out
}

func TestInstanceTypes(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var ams typesPage
	e.do("GET", "/publicCloud/v1/instanceTypes?region=eu-west-3", nil).decode(t, &ams)
	if ams.Meta.listMeta != (listMeta{24, 0, 50}) || ams.Meta.Currency != "EUR" || ams.Meta.CurrencySymbol != "€" {
		t.Errorf("metadata %+v", ams.Meta)
	}
	for _, n := range []string{"lsw.m5a.large", "lsw.m5a.xlarge", "lsw.m4.large", "lsw.m4.xlarge", "lsw.m3.large"} {
		if !slices.Contains(ams.names(), n) {
			t.Errorf("eu-west-3 lacks %s", n)
		}
	}
	var tokyo typesPage
	e.do("GET", "/publicCloud/v1/instanceTypes?region=ap-northeast-1", nil).decode(t, &tokyo)
	for _, n := range tokyo.names() {
		if n[:7] == "lsw.m3." || n[:7] == "lsw.m4." {
			t.Errorf("ap-northeast-1 offers %s", n)
		}
	}
	if len(tokyo.InstanceTypes) == 0 || len(tokyo.InstanceTypes) >= 24 {
		t.Errorf("ap-northeast-1 offers %d types", len(tokyo.InstanceTypes))
	}
	var page typesPage
	e.do("GET", "/publicCloud/v1/instanceTypes?region=eu-west-3&limit=5&offset=20", nil).decode(t, &page)
	if !slices.Equal(page.names(), ams.names()[20:]) || page.Meta.listMeta != (listMeta{24, 20, 5}) {
		t.Errorf("page %v %+v", page.names(), page.Meta)
	}
	var r result
	e.expectViolation(`parameter "region"`, func() { r = e.do("GET", "/publicCloud/v1/instanceTypes", nil) })
	wantStatus(t, r, http.StatusBadRequest)
	if d := errorDetails(t, r); d["region"] == nil {
		t.Errorf("errorDetails %v lacks region", d)
	}
}

func TestImages(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	type image struct {
		ID           string   `json:"id"`
		Flavour      string   `json:"flavour"`
		MinDiskSize  *int     `json:"minDiskSize"`
		StorageTypes []string `json:"storageTypes"`
		MarketApps   []string `json:"marketApps"`
		Region       *string  `json:"region"`
	}
	list := func(query string) ([]string, listMeta) {
		t.Helper()
		var page struct {
			Images []image  `json:"images"`
			Meta   listMeta `json:"_metadata"`
		}
		r := e.do("GET", "/publicCloud/v1/images"+query, nil)
		wantStatus(t, r, http.StatusOK)
		r.decode(t, &page)
		var ids []string
		for _, im := range page.Images {
			ids = append(ids, im.ID)
		}
		return ids, page.Meta
	}
	all, meta := list("")
	want := []string{"UBUNTU_24_04_64BIT", "UBUNTU_22_04_64BIT", "DEBIAN_12_64BIT", "ALMALINUX_9_64BIT",
		"ROCKYLINUX_9_64BIT", "FREEBSD_14_64BIT", "WINDOWS_SERVER_2022_STANDARD_64BIT"}
	if !slices.Equal(all, want) || meta != (listMeta{7, 0, 10}) {
		t.Errorf("images %v %+v", all, meta)
	}
	filters := map[string][]string{
		"?flavour=windows":       {"WINDOWS_SERVER_2022_STANDARD_64BIT"},
		"?marketAppId=CPANEL_30": {"ALMALINUX_9_64BIT"},
		"?name=ubuntu":           {"UBUNTU_24_04_64BIT", "UBUNTU_22_04_64BIT"},
		"?custom=true":           nil,
		"?standard=false":        nil,
		"?state=CREATING":        nil,
		"?limit=2&offset=5":      {"FREEBSD_14_64BIT", "WINDOWS_SERVER_2022_STANDARD_64BIT"},
		"?storageType=LOCAL&limit=50": {"UBUNTU_24_04_64BIT", "UBUNTU_22_04_64BIT", "DEBIAN_12_64BIT",
			"ALMALINUX_9_64BIT", "ROCKYLINUX_9_64BIT", "WINDOWS_SERVER_2022_STANDARD_64BIT"},
	}
	for q, want := range filters {
		if got, _ := list(q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	var page struct {
		Images []image `json:"images"`
	}
	e.do("GET", "/publicCloud/v1/images?flavour=windows&region=eu-west-3", nil).decode(t, &page)
	if im := page.Images[0]; im.MinDiskSize == nil || *im.MinDiskSize != 50 || im.Region == nil || *im.Region != "eu-west-3" {
		t.Errorf("windows image %+v", im)
	}
}
